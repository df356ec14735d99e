/** The AI command menu: opened from the selection's ✦ button, Mod-J or the toolbar. */
import { useEffect, useRef, useState } from "react";
import { AI_LANGUAGES, AI_TONES, type AiCommand, type AiOptions } from "../../../shared/ai";
import { AI_MAX_INSTRUCTION_CHARS } from "../../../shared/limits";
import { MENU_COMMANDS } from "./commands";

interface Props {
  hasSelection: boolean;
  position: { left: number; top: number };
  onRun: (command: AiCommand, options?: AiOptions) => void;
  onClose: () => void;
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function AiMenu({ hasSelection, position, onRun, onClose }: Props) {
  const [sub, setSub] = useState<"tone" | "translate" | null>(null);
  const [ask, setAsk] = useState("");
  const ref = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [onClose]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      if (sub) setSub(null);
      else onClose();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>("button:not(:disabled), input") ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(i + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length];
    next?.focus();
    e.preventDefault();
  };

  const item = (label: string, icon: string, run: () => void, enabled = true, more = false) => (
    <button type="button" role="menuitem" className="ai-menu-item" disabled={!enabled} onClick={run} key={label}>
      <span className="ai-menu-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="ai-menu-label">{label}</span>
      {more && <span aria-hidden="true">›</span>}
    </button>
  );

  const selectionHint = hasSelection ? null : <p className="ai-menu-hint">Select text to rewrite, summarize, translate…</p>;

  return (
    <div
      ref={ref}
      className="ai-menu"
      role="menu"
      aria-label="AI assist"
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKey}
      onMouseDown={(e) => {
        // Keep the editor's selection while clicking in the menu (but let the input focus).
        if ((e.target as HTMLElement).tagName !== "INPUT") e.preventDefault();
      }}
    >
      <form
        className="ai-ask"
        onSubmit={(e) => {
          e.preventDefault();
          if (ask.trim() && hasSelection) onRun("ask", { instruction: ask.trim() });
        }}
      >
        <span aria-hidden="true">✦</span>
        <input
          ref={input}
          value={ask}
          maxLength={AI_MAX_INSTRUCTION_CHARS}
          onChange={(e) => setAsk(e.target.value)}
          placeholder={hasSelection ? "Ask AI to edit the selection…" : "Select text to ask AI about it"}
          aria-label="Ask AI…"
          disabled={!hasSelection}
        />
      </form>
      {sub === null && (
        <div className="ai-menu-list">
          {selectionHint}
          {MENU_COMMANDS.map((c) => item(c.label, c.icon, () => onRun(c.command), hasSelection))}
          {item("Change tone", "♪", () => setSub("tone"), hasSelection, true)}
          {item("Translate", "⇄", () => setSub("translate"), hasSelection, true)}
          <div className="ai-menu-sep" />
          {item("Continue writing", "→", () => onRun("continue"), true)}
        </div>
      )}
      {sub === "tone" && (
        <div className="ai-menu-list">
          {item("Back", "‹", () => setSub(null))}
          {AI_TONES.map((tone) => item(cap(tone), "♪", () => onRun("tone", { tone })))}
        </div>
      )}
      {sub === "translate" && (
        <div className="ai-menu-list ai-menu-scroll">
          {item("Back", "‹", () => setSub(null))}
          {AI_LANGUAGES.map((language) => item(language, "⇄", () => onRun("translate", { language })))}
        </div>
      )}
    </div>
  );
}
