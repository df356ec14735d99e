/** One line per event, as JSON, so `wrangler tail` and local logs stay greppable.
 * Callers pass ids only: a token must never be a field here. */
type Fields = Record<string, string | number | boolean | undefined>;

export function log(level: "info" | "warn" | "error", event: string, fields: Fields = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
