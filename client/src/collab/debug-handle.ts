/**
 * A test hook, named and kept small on purpose: `window.quireDebug.applyRemoteUpdate`
 * applies a Yjs update to the open document exactly as if the provider had received it
 * from the server (origin = the provider). The server refuses content the editor cannot
 * render before it reaches anyone, so the browser test of the render guard
 * (e2e/content.spec.ts) can only deliver such an update from inside the page. It gives
 * page scripts nothing new: any script in the page can already edit the document.
 */
import { useEffect } from "react";
import * as Y from "yjs";
import type { DocSession } from "./session";

interface QuireDebug {
  applyRemoteUpdate(update: number[]): void;
}

declare global {
  interface Window {
    quireDebug?: QuireDebug;
  }
}

export function useDebugHandle(session: DocSession): void {
  useEffect(() => {
    const handle: QuireDebug = {
      applyRemoteUpdate: (update) => Y.applyUpdate(session.doc, Uint8Array.from(update), session.provider),
    };
    window.quireDebug = handle;
    return () => {
      if (window.quireDebug === handle) delete window.quireDebug;
    };
  }, [session]);
}
