export function ErrorView({ title, body }: { title: string; body: string }) {
  return (
    <div className="error-view" role="alert">
      <h1>{title}</h1>
      <p>{body}</p>
      <a className="button" href="/">
        Go to your documents
      </a>
    </div>
  );
}
