import { type BprStratumArgs, bprStratum } from './bpr-kernel.js';

/**
 * Runs one BPR stratum's T shards. Until the shared worker pool is wired in, shards run one after another on this
 * thread; the result is the same either way since shards touch disjoint rows and use their own seeds.
 */
export async function runStrata(args: BprStratumArgs, T: number): Promise<[number, number][]> {
  const out: [number, number][] = [];
  for (let a = 0; a < T; a++) out.push(bprStratum(args, a, a + 1));
  return out;
}
