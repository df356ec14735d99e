import "./sharing.css";
import { useEffect, useRef, type ReactNode } from "react";

/** A native modal <dialog>: the browser traps focus, Escape closes it, and the page
 * behind is inert. `onClose` runs however it was closed. */
export function Modal({
  label,
  onClose,
  children,
  className = "",
}: {
  label: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard way out is Escape, which <dialog> handles natively
    <dialog
      ref={ref}
      className={`modal ${className}`}
      aria-label={label}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (e.target === ref.current) ref.current?.close();
      }}
    >
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
