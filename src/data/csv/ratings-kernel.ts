import { parseRatingsRange, type RangeConfig, type RangeResult } from './ratings-range.js';

/** Pool kernel: parses ranges `configs[start..end)` in a worker thread (see src/core/pool.ts). */
export async function parseRanges(args: { configs: RangeConfig[] }, start: number, end: number): Promise<RangeResult[]> {
  const out: RangeResult[] = [];
  for (let k = start; k < end; k++) {
    // triples in shared memory: the reply shares them with the caller instead of copying
    out.push(await parseRatingsRange({ ...args.configs[k]!, shared: true }));
  }
  return out;
}
