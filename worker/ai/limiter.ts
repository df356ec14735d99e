/**
 * Sliding-window request limits ("N per minute"). Pure: the caller keeps the list of
 * recent request times where it belongs (a connection's state survives hibernation;
 * the document's lives in memory, which a sleeping, idle room can afford to forget).
 */
export type Admission = { ok: true; times: number[] } | { ok: false; times: number[]; retryAfterMs: number };

export function admit(times: readonly number[], now: number, limit: number, windowMs: number): Admission {
  const recent = times.filter((t) => t > now - windowMs && t <= now);
  if (recent.length < limit) return { ok: true, times: [...recent, now] };
  // The oldest request in the window leaves it first; then one more fits.
  const oldest = Math.min(...recent);
  return { ok: false, times: recent, retryAfterMs: Math.max(1, oldest + windowMs - now) };
}
