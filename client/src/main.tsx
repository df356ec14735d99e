import "./lib/preact-effects";
import { lazy, Suspense, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { isValidDocId } from "../../shared/ids";
import { DocumentPage } from "./pages/DocumentPage";
import { ErrorView } from "./pages/ErrorView";

import "./styles.css";
import { applyTheme, loadTheme } from "./theme/theme";

// Before the first render, so a dark choice never flashes light.
applyTheme(loadTheme());

function usePath(): [string, (p: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = (p: string) => {
    history.pushState(null, "", p);
    setPath(p);
  };
  return [path, navigate];
}

// The home page (and its Markdown import) is not part of the editor page's load.
const Home = lazy(() => import("./pages/Home").then((m) => ({ default: m.Home })));

function App() {
  const [path, navigate] = usePath();
  if (path === "/")
    return (
      <Suspense fallback={null}>
        <Home navigate={navigate} />
      </Suspense>
    );
  const doc = /^\/d\/([^/]+)\/?$/.exec(path);
  if (doc && isValidDocId(doc[1]!)) return <DocumentPage key={doc[1]} id={doc[1]!} />;
  return <ErrorView title="Page not found" body="There is nothing at this address." />;
}

createRoot(document.getElementById("root")!).render(<App />);

// The offline shell (src/sw.ts, built by vite-plugin-pwa). Only in builds: in `vite dev` it would cache
// modules that hot reload is about to replace.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      /* offline reopening is a bonus; the app works without it */
    });
  });
}
