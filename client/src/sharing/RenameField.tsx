import { useEffect, useState } from "react";
import { MAX_TITLE_CHARS } from "../../../shared/limits";
import { ApiError, patchDoc } from "../lib/api";

/** Rename through the API (the owner's dialog); the new title reaches everyone live. */
export function RenameField({ id, token, title }: { id: string; token: string; title: string }) {
  const [draft, setDraft] = useState(title);
  const [state, setState] = useState<"idle" | "saving" | "saved" | string>("idle");
  useEffect(() => setDraft(title), [title]);
  const clean = draft.replace(/\s+/g, " ").trim();
  const save = async () => {
    setState("saving");
    try {
      await patchDoc(id, token, { title: clean });
      setState("saved");
    } catch (err) {
      setState(err instanceof ApiError ? err.message : "Could not rename");
    }
  };
  return (
    <form
      className="rename"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Name
        <input
          value={draft}
          maxLength={MAX_TITLE_CHARS}
          aria-label="Document name"
          onChange={(e) => {
            setDraft(e.target.value);
            setState("idle");
          }}
        />
      </label>
      <button type="submit" className="button" disabled={clean === "" || clean === title || state === "saving"}>
        {state === "saving" ? "Renaming…" : state === "saved" ? "Renamed" : "Rename"}
      </button>
      {state !== "idle" && state !== "saving" && state !== "saved" && (
        <p className="notice" role="alert">
          {state}
        </p>
      )}
    </form>
  );
}
