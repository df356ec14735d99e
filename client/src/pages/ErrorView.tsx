import type { ReactNode } from "react";

export function ErrorView({ title, body, children }: { title: string; body: string; children?: ReactNode }) {
  return (
    <div className="error-view" role="alert">
      <h1>{title}</h1>
      <p>{body}</p>
      <div className="error-actions">
        {children}
        <a className="button primary" href="/">
          Go to your documents
        </a>
      </div>
    </div>
  );
}
