/**
 * Figures for the dashboard's overview, computed from what the server already keeps: the Prometheus latency
 * histogram (quantiles by linear interpolation inside the bucket, as Prometheus' histogram_quantile), cache counters
 * and recent events.
 */

/**
 * The q-quantile (0..1) of a histogram family given as Prometheus text: bucket counts are summed over every label set
 * of `name`, then interpolated linearly inside the bucket holding the rank. NaN when there is no observation.
 */
export function histogramQuantile(text: string, name: string, q: number): number {
  const byLe = new Map<number, number>();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /le="([^"]+)"\}\s+([0-9.eE+-]+)$/.exec(line);
    if (m === null) continue;
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    byLe.set(le, (byLe.get(le) ?? 0) + Number(m[2]));
  }
  const bounds = [...byLe.keys()].sort((a, b) => a - b);
  const total = byLe.get(Infinity) ?? 0;
  if (total === 0 || bounds.length === 0) return NaN;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const b of bounds) {
    const c = byLe.get(b)!;
    if (c >= rank) {
      if (b === Infinity) return prevBound;
      if (c === prevCount) return b;
      return prevBound + ((b - prevBound) * (rank - prevCount)) / (c - prevCount);
    }
    prevBound = b;
    prevCount = c;
  }
  return prevBound;
}

/** Event counts per hour for the `hours` hours ending at the hour of the latest event (oldest first). */
export function eventsPerHour(timestamps: readonly number[], hours = 24): { hour: string; count: number }[] {
  if (timestamps.length === 0) return [];
  let latest = -Infinity;
  for (const t of timestamps) if (t > latest) latest = t;
  const H = 3_600_000;
  const end = Math.floor(latest / H) * H;
  const counts = new Array<number>(hours).fill(0);
  for (const t of timestamps) {
    const back = Math.floor((end - Math.floor(t / H) * H) / H);
    if (back >= 0 && back < hours) counts[hours - 1 - back]!++;
  }
  return counts.map((count, i) => ({ hour: new Date(end - (hours - 1 - i) * H).toISOString(), count }));
}
