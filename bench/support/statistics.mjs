// Statistics the benchmarks report: medians, percentiles, summaries, a least-squares slope.
// Two percentile rules are here on purpose: each benchmark keeps the rule its published
// figures were computed with (README), so the same trials give the same numbers.

/** Rounds to one decimal. */
export const round1 = (v) => Math.round(v * 10) / 10;

/** Ascending copy of `values`. */
export const sorted = (values) => [...values].sort((a, b) => a - b);

/** The median: the middle value, or the mean of the two middle values for an even count; NaN for none. */
export function median(values) {
  const s = sorted(values);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

/** The `q` percentile of ascending `s` by nearest rank: the smallest value with at least q·n values at or below it. */
export const nearestRank = (s, q) => s[Math.max(0, Math.ceil(q * s.length) - 1)];

/** The value at index ⌊q·n⌋ of ascending `s` (bench:relay's latency percentiles); NaN for none. */
export const atQuantile = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;

/** n, median, p90 (nearest rank), min and max, each to one decimal; null for no values. */
export function summarize(values) {
  const s = sorted(values);
  const n = s.length;
  if (n === 0) return null;
  return { n, median: round1(median(s)), p90: round1(nearestRank(s, 0.9)), min: round1(s[0]), max: round1(s[n - 1]) };
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return num / den;
}
