import { useRef, useState } from "react";
import { shareUrl } from "../../../shared/api";
import { copyText } from "./copy";
import { Modal } from "./Modal";
import { ownerLinkShown } from "./owner-link";

/** Shown once after creating a document: the owner link, to keep somewhere safe. */
export function OwnerLinkDialog({ id, token, onClose }: { id: string; token: string; onClose: () => void }) {
  const url = shareUrl(location.origin, id, "owner", token);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const close = () => {
    ownerLinkShown(id);
    onClose();
  };
  return (
    <Modal label="Your owner link" onClose={close}>
      <h2>Save your owner link</h2>
      <p>
        You own this document. This link lets you see, reset or turn off the share links, rename and delete the document — from any browser.
        This browser remembers it; save it somewhere private in case you switch devices. <strong>It is shown only this once.</strong>
      </p>
      <div className="link-field">
        <input ref={field} readOnly value={url} aria-label="Owner link" onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={async () => setCopied(await copyText(url, field.current))}>
          {copied ? "Copied!" : "Copy owner link"}
        </button>
      </div>
      <p className="hint">Do not share it: anyone with it can delete the document. To share, use the Share button.</p>
      <div className="modal-actions">
        <button type="button" className="button primary" onClick={close}>
          I saved it
        </button>
      </div>
    </Modal>
  );
}
