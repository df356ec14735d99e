import { useEffect, useRef, useState } from "react";
import { hrefFromInput } from "./href-input";

interface Props {
  initial: string;
  /** Whether the text already carries a link (then Remove is offered). */
  existing: boolean;
  position: { left: number; top: number };
  onApply: (href: string) => void;
  onRemove: () => void;
  onClose: () => void;
}

/** The small form Ctrl/Cmd+K opens: type or paste an address, Enter applies it. */
export function LinkPopover({ initial, existing, position, onApply, onRemove, onClose }: Props) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const apply = () => {
    const href = hrefFromInput(value);
    if (!href) {
      setError("Use a web (http, https) or mail (mailto) address.");
      return;
    }
    onApply(href);
  };
  return (
    <form
      className="link-popover"
      aria-label="Link"
      style={position}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <input
        ref={input}
        aria-label="Link address"
        placeholder="Paste or type a link"
        value={value}
        aria-invalid={error !== null}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
      />
      <button type="submit" className="button primary">
        Apply
      </button>
      {existing && (
        <button type="button" className="button" onClick={onRemove}>
          Remove
        </button>
      )}
      {error && (
        <p className="link-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
