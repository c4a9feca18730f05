import { Rng, deriveSeed } from '../../core/rng.js';
import { type CartData, type CartParams, growCart } from './cart.js';
import type { Tree } from './tree.js';

/** Arguments of {@link growTrees}: the binned data (shared memory), tree params and the forest's seed. */
export interface ForestKernelArgs {
  data: CartData;
  params: CartParams;
  seed: number;
  bootstrap: boolean;
  /** Rows drawn per tree (with replacement) when bootstrapping. */
  sampleSize: number;
  /** Optional per-row weights (class weights), multiplied into the bootstrap counts. */
  rowWeight: Float64Array | null;
}

/** Bootstrap multiplicities of tree `t` (the same on every thread: seeded by the forest seed and t). */
export function bootstrapCounts(n: number, sampleSize: number, seed: number, t: number): Float64Array {
  const rng = new Rng(deriveSeed(seed, t));
  const w = new Float64Array(n);
  for (let s = 0; s < sampleSize; s++) w[rng.int(n)] += 1;
  return w;
}

/** Pool kernel: grows trees [start, end) of the forest. Each tree's randomness comes from deriveSeed(seed, t). */
export function growTrees(a: ForestKernelArgs, start: number, end: number): Tree[] {
  const out: Tree[] = [];
  const n = a.data.n;
  for (let t = start; t < end; t++) {
    const w = a.bootstrap ? bootstrapCounts(n, a.sampleSize, a.seed, t) : new Float64Array(n).fill(1);
    if (a.rowWeight !== null) for (let i = 0; i < n; i++) w[i] *= a.rowWeight[i];
    out.push(growCart(a.data, w, a.params, deriveSeed(a.seed ^ 0x2545f491, t)));
  }
  return out;
}
