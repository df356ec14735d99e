/** The header menu's settings: theme, the shortcut list, your name. Loaded when the
 * menu first opens (DocumentHeader.tsx): nothing here is needed to start typing. */
import { useState } from "react";
import { type Identity, saveName } from "../lib/identity";
import { ShortcutsButton } from "../shortcuts/ShortcutsButton";
import { ThemeToggle } from "../theme/ThemeToggle";

interface Props {
  identity: Identity;
  onName: (name: string) => void;
  onShortcuts: () => void;
}

export default function HeaderSettings({ identity, onName, onShortcuts }: Props) {
  return (
    <>
      <ThemeToggle />
      <ShortcutsButton onOpen={onShortcuts} />
      <NameField identity={identity} onName={onName} />
    </>
  );
}

function NameField({ identity, onName }: { identity: Identity; onName: (name: string) => void }) {
  const [draft, setDraft] = useState(identity.name);
  const commit = () => {
    const name = saveName(draft);
    setDraft(name);
    if (name !== identity.name) onName(name);
  };
  return (
    <label className="name-field">
      <span aria-hidden="true">Name</span>
      <input
        aria-label="Your name"
        placeholder="Your name"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
        }}
        style={{ borderColor: identity.color }}
      />
    </label>
  );
}
