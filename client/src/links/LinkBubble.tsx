interface Props {
  href: string;
  position: { left: number; top: number };
  /** Absent for viewers: they can follow a link, not change it. */
  onEdit?: () => void;
  onRemove?: () => void;
}

/** Shown when a link in the text is clicked: where it goes, and what to do with it.
 * Opening goes to a new tab without handing the document page to the target. */
export function LinkBubble({ href, position, onEdit, onRemove }: Props) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of three actions, not a form group
    <div className="link-bubble" role="group" aria-label="Link actions" style={position} onMouseDown={(e) => e.preventDefault()}>
      <span className="link-bubble-url" title={href}>
        {href}
      </span>
      <a className="link-button" href={href} target="_blank" rel="noopener noreferrer">
        Open
      </a>
      {onEdit && (
        <button type="button" className="link-button" onClick={onEdit}>
          Edit
        </button>
      )}
      {onRemove && (
        <button type="button" className="link-button" onClick={onRemove}>
          Remove
        </button>
      )}
    </div>
  );
}
