import type { Rng } from '../../core/rng.js';
import type { CatalogState } from './catalog-model.js';

/**
 * Training kernel of the LightFM-style model (Kula 2015, "Metadata Embeddings for User and Item Cold-start
 * Recommendations"): per positive (u, i), a negative j is sampled and the user embedding and the embeddings of the
 * features of i and j take one Adagrad step on the WARP (Weston, Bengio & Usunier 2011) or BPR (Rendle et al. 2009)
 * loss. Negatives are drawn from the items that have interactions. Parameters and Adagrad accumulators are flat Float32Arrays; no allocation per update.
 */

/** Item x feature matrix in CSR: identity columns [0, nItems) (if used) then the profile columns; rows sum to 1. */
export interface ItemFeatures {
  nFeatures: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** The trainable state. */
export interface LightFMState {
  f: number;
  U: Float32Array;
  V: Float32Array;
  bv: Float32Array;
  gU: Float32Array;
  gV: Float32Array;
  gb: Float32Array;
}

/** Builds the item feature matrix: identity (items with interactions only, when `identity`) + profile, L1 rows. */
export function buildItemFeatures(s: CatalogState, identity: boolean): ItemFeatures {
  const nI = s.items.size;
  const X = s.X;
  const off = identity ? nI : 0;
  const indptr = new Int32Array(nI + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < nI; i++) {
    const start = idx.length;
    if (identity && s.itemCounts[i]! > 0) {
      idx.push(i);
      val.push(1);
    }
    for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
      idx.push(off + X.indices[p]!);
      val.push(Math.abs(X.values[p]!));
    }
    let sum = 0;
    for (let q = start; q < val.length; q++) sum += val[q]!;
    if (sum > 0) for (let q = start; q < val.length; q++) val[q] = val[q]! / sum;
    indptr[i + 1] = idx.length;
  }
  return { nFeatures: off + X.cols, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

function isPositive(s: CatalogState, u: number, j: number): boolean {
  let lo = s.hist.indptr[u]!;
  let hi = s.hist.indptr[u + 1]! - 1;
  const ind = s.hist.indices;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ind[mid]!;
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Writes item i's embedding into out[0..f) and returns its bias. */
function itemRepr(m: LightFMState, F: ItemFeatures, i: number, out: Float64Array): number {
  const f = m.f;
  out.fill(0);
  let b = 0;
  for (let q = F.indptr[i]!; q < F.indptr[i + 1]!; q++) {
    const c = F.indices[q]!;
    const w = F.values[q]!;
    b += w * m.bv[c]!;
    const base = c * f;
    for (let d = 0; d < f; d++) out[d] = out[d]! + w * m.V[base + d]!;
  }
  return b;
}

/** Adagrad ascent step on item j's features by `scale` · F_j · uvec. */
function stepItem(m: LightFMState, F: ItemFeatures, j: number, scale: number, uvec: Float64Array, lr: number, reg: number): void {
  const f = m.f;
  for (let q = F.indptr[j]!; q < F.indptr[j + 1]!; q++) {
    const c = F.indices[q]!;
    const w = F.values[q]! * scale;
    const gbias = w;
    m.gb[c] = m.gb[c]! + gbias * gbias;
    m.bv[c] = m.bv[c]! + (lr * gbias) / Math.sqrt(m.gb[c]!);
    const base = c * f;
    for (let d = 0; d < f; d++) {
      const g = w * uvec[d]! - reg * m.V[base + d]!;
      m.gV[base + d] = m.gV[base + d]! + g * g;
      m.V[base + d] = m.V[base + d]! + (lr * g) / Math.sqrt(m.gV[base + d]!);
    }
  }
}

/** One epoch over the positives in a random order; returns the mean loss. */
export function trainEpoch(
  m: LightFMState,
  F: ItemFeatures,
  s: CatalogState,
  cfg: { loss: 'warp' | 'bpr'; lr: number; reg: number; maxSampled: number },
  rng: Rng,
): number {
  const f = m.f;
  // negatives come from items with interactions: an item nobody has seen yet (cold) is no evidence of dislike
  const pool: number[] = [];
  for (let j = 0; j < s.items.size; j++) if (s.itemCounts[j]! > 0) pool.push(j);
  const negPool = Int32Array.from(pool);
  const nI = negPool.length;
  const nnz = s.hist.indices.length;
  const userOf = new Int32Array(nnz);
  for (let u = 0; u < s.users.size; u++) userOf.fill(u, s.hist.indptr[u]!, s.hist.indptr[u + 1]!);
  const order = rng.permutation(nnz);
  const ri = new Float64Array(f);
  const rj = new Float64Array(f);
  const uvec = new Float64Array(f);
  const { lr, reg } = cfg;
  let lossSum = 0;
  for (let n = 0; n < nnz; n++) {
    const p = order[n]!;
    const u = userOf[p]!;
    const i = s.hist.indices[p]!;
    const ub = u * f;
    const bi = itemRepr(m, F, i, ri);
    let si = bi;
    for (let d = 0; d < f; d++) si += m.U[ub + d]! * ri[d]!;
    let j = -1;
    let weight = 0;
    if (cfg.loss === 'warp') {
      for (let t = 1; t <= cfg.maxSampled; t++) {
        const c = negPool[rng.int(nI)]!;
        if (isPositive(s, u, c)) continue;
        const bj = itemRepr(m, F, c, rj);
        let sj = bj;
        for (let d = 0; d < f; d++) sj += m.U[ub + d]! * rj[d]!;
        if (sj > si - 1) {
          j = c;
          weight = Math.log(Math.max(1, Math.floor((nI - 1) / t)));
          lossSum += weight * (1 - si + sj);
          break;
        }
      }
    } else {
      for (let t = 0; t < 10; t++) {
        const c = negPool[rng.int(nI)]!;
        if (!isPositive(s, u, c)) {
          j = c;
          break;
        }
      }
      if (j >= 0) {
        const bj = itemRepr(m, F, j, rj);
        let sj = bj;
        for (let d = 0; d < f; d++) sj += m.U[ub + d]! * rj[d]!;
        const x = si - sj;
        weight = 1 / (1 + Math.exp(x));
        lossSum += Math.log1p(Math.exp(-x));
      }
    }
    if (j < 0 || weight === 0) continue;
    for (let d = 0; d < f; d++) uvec[d] = m.U[ub + d]!;
    for (let d = 0; d < f; d++) {
      const g = weight * (ri[d]! - rj[d]!) - reg * m.U[ub + d]!;
      m.gU[ub + d] = m.gU[ub + d]! + g * g;
      m.U[ub + d] = m.U[ub + d]! + (lr * g) / Math.sqrt(m.gU[ub + d]!);
    }
    stepItem(m, F, i, weight, uvec, lr, reg);
    stepItem(m, F, j, -weight, uvec, lr, reg);
  }
  return nnz ? lossSum / nnz : 0;
}
