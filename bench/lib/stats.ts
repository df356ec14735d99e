/** Small, dependency-free statistics for the bench. All inputs are plain numbers. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: the smallest value with at least p% of samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: readonly number[]): number => {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const s = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export interface LatencySummary {
  p50: number;
  p99: number;
  samples: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return { p50: percentile(values, 50), p99: percentile(values, 99), samples: values.length };
}

/** Median of each field over several runs (the figure the report shows). */
export function medianOf(runs: readonly LatencySummary[]): LatencySummary {
  return {
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    samples: runs.reduce((n, r) => n + r.samples, 0),
  };
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);
