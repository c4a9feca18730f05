import { Rng, deriveSeed } from '../../core/rng.js';

/**
 * Arguments of {@link bprStratum}: the shared factor arrays and the sampling plan of one stratum of a BPR epoch.
 * Positives are bucketed by block (user shard a, item shard b) of a T x T grid; in stratum s, shard a works on block
 * (a, (a + s) mod T), so concurrent shards never touch the same user or item rows (DSGD, Gemulla et al. 2011).
 */
export interface BprStratumArgs {
  userF: Float32Array;
  itemF: Float32Array;
  itemBias: Float32Array;
  f: number;
  /** Training CSR (rows = users, ascending items) to reject sampled negatives that are positives. */
  indptr: Int32Array;
  indices: Int32Array;
  /** CSR positions bucketed by block (a * T + b), and the users of those positions. */
  blockPtr: Int32Array;
  blockPos: Int32Array;
  posUser: Int32Array;
  /** Trained items (at least one training interaction) of each item shard: shardItems[shardPtr[b]..shardPtr[b+1]). */
  shardPtr: Int32Array;
  shardItems: Int32Array;
  shards: number;
  stratum: number;
  learningRate: number;
  regularization: number;
  /** Seed of this epoch; each block derives its own stream, so results do not depend on thread scheduling. */
  seed: number;
}

/**
 * BPR-Opt SGD (Rendle et al. 2009) over the blocks of user shards [start, end) in one stratum: as many samples as
 * the block has positives, each a uniform positive (u, i) of the block and a uniform negative j from the trained items
 * of the block's item shard (skipped when j is a positive of u, as Cornac does). Per sample, with x = b_i - b_j + x_u.(y_i - y_j)
 * and z = 1 / (1 + e^x): x_u += lr (z (y_i - y_j) - reg x_u), y_i += lr (z x_u - reg y_i), y_j += lr (-z x_u -
 * reg y_j), b_i += lr (z - reg b_i), b_j += lr (-z - reg b_j). Returns [samples used, samples skipped].
 */
export function bprStratum(args: BprStratumArgs, start: number, end: number): [number, number] {
  const { userF, itemF, itemBias, f, indptr, indices, blockPtr, blockPos, posUser, shardPtr, shardItems, shards: T } = args;
  const lr = args.learningRate;
  const reg = args.regularization;
  let used = 0;
  let skipped = 0;
  for (let a = start; a < end; a++) {
    const b = (a + args.stratum) % T;
    const blk = a * T + b;
    const p0 = blockPtr[blk]!;
    const np = blockPtr[blk + 1]! - p0;
    const s0 = shardPtr[b]!;
    const ns = shardPtr[b + 1]! - s0;
    if (np === 0 || ns === 0) continue;
    const rng = new Rng(deriveSeed(args.seed, blk));
    for (let t = 0; t < np; t++) {
      const q = p0 + Math.floor(rng.float() * np);
      const pos = blockPos[q]!;
      const u = posUser[q]!;
      const i = indices[pos]!;
      const j = shardItems[s0 + Math.floor(rng.float() * ns)]!;
      if (isPositive(indptr, indices, u, j)) {
        skipped++;
        continue;
      }
      used++;
      const uo = u * f;
      const io = i * f;
      const jo = j * f;
      let x = itemBias[i]! - itemBias[j]!;
      for (let c = 0; c < f; c++) x += userF[uo + c]! * (itemF[io + c]! - itemF[jo + c]!);
      const z = 1 / (1 + Math.exp(x));
      for (let c = 0; c < f; c++) {
        const xu = userF[uo + c]!;
        const yi = itemF[io + c]!;
        const yj = itemF[jo + c]!;
        userF[uo + c] = xu + lr * (z * (yi - yj) - reg * xu);
        itemF[io + c] = yi + lr * (z * xu - reg * yi);
        itemF[jo + c] = yj + lr * (-z * xu - reg * yj);
      }
      itemBias[i] = itemBias[i]! + lr * (z - reg * itemBias[i]!);
      itemBias[j] = itemBias[j]! + lr * (-z - reg * itemBias[j]!);
    }
  }
  return [used, skipped];
}

/** True when item j is in user u's ascending CSR row. */
function isPositive(indptr: Int32Array, indices: Int32Array, u: number, j: number): boolean {
  let lo = indptr[u]!;
  let hi = indptr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = indices[mid]!;
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
