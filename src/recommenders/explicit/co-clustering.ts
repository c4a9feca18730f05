import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { ExplicitModel, type ModelState, SCALE_SPECS } from './base.js';

/** Params of {@link CoClustering}; defaults are Surprise's. */
export const CO_CLUSTERING_SPECS = {
  userClusters: { type: 'integer', default: 3, min: 1, doc: 'Number of user clusters (Surprise `n_cltr_u`).' },
  itemClusters: { type: 'integer', default: 3, min: 1, doc: 'Number of item clusters (Surprise `n_cltr_i`).' },
  epochs: { type: 'integer', default: 20, min: 1, doc: 'Reassignment passes (Surprise `n_epochs`).' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'Seed of the initial cluster assignment (Surprise `random_state`).' },
  ...SCALE_SPECS,
} as const;
export type CoClusteringParams = ParamsOf<typeof CO_CLUSTERING_SPECS>;

/**
 * Co-clustering (George & Merugu 2005, as Surprise's CoClustering): r̂_ui = C̄_uv + (μ_u - C̄_u) + (μ_i - C̄_v) with
 * users and items in clusters u → C_u, i → C_v, reassigned each epoch to the cluster minimising the squared error of
 * their ratings. Fallbacks: unknown item → μ_u; unknown user → μ_i; both → global mean.
 * Fit O(epochs x nnz x (userClusters + itemClusters)), memory O(users + items + clusters²).
 */
export class CoClustering extends ExplicitModel<typeof CO_CLUSTERING_SPECS> {
  readonly algorithm = 'co-clustering';
  private cu: Int32Array = new Int32Array(0);
  private ci: Int32Array = new Int32Array(0);
  private userMean: Float64Array = new Float64Array(0);
  private itemMean: Float64Array = new Float64Array(0);
  private avgU: Float64Array = new Float64Array(0);
  private avgI: Float64Array = new Float64Array(0);
  private avgUI: Float64Array = new Float64Array(0);

  constructor(params?: Partial<CoClusteringParams>) {
    super(CO_CLUSTERING_SPECS, 'co-clustering', params);
  }

  protected fitModel(seed: number, opts: FitOptions): void {
    const p = this.params;
    const KU = p.userClusters;
    const KI = p.itemClusters;
    const nU = this.nUsers;
    const nI = this.nItems;
    const rng = new Rng(seed);
    const cu = new Int32Array(nU);
    const ci = new Int32Array(nI);
    for (let u = 0; u < nU; u++) cu[u] = rng.int(KU);
    for (let i = 0; i < nI; i++) ci[i] = rng.int(KI);
    const { indptr, indices, values } = this.data;
    const csc = this.data.csc();
    const userMean = rowMeans(indptr, values, nU, this.globalMean);
    const itemMean = rowMeans(csc.indptr, csc.values, nI, this.globalMean);
    const errU = new Float64Array(KU);
    const errI = new Float64Array(KI);
    for (let e = 0; e < p.epochs; e++) {
      throwIfAborted(opts.signal, 'co-clustering.fit');
      const [aU, aI, aUI] = this.averages(cu, ci);
      for (let u = 0; u < nU; u++) {
        const a = indptr[u]!;
        const b = indptr[u + 1]!;
        if (a === b) continue;
        errU.fill(0);
        for (let k = a; k < b; k++) {
          const i = indices[k]!;
          const ic = ci[i]!;
          const base = userMean[u]! + itemMean[i]! - aI[ic]!;
          for (let uc = 0; uc < KU; uc++) {
            const d = values[k]! - (aUI[uc * KI + ic]! + base - aU[uc]!);
            errU[uc] += d * d;
          }
        }
        cu[u] = argmin(errU);
      }
      for (let i = 0; i < nI; i++) {
        const a = csc.indptr[i]!;
        const b = csc.indptr[i + 1]!;
        if (a === b) continue;
        errI.fill(0);
        for (let m = a; m < b; m++) {
          const u = csc.indices[m]!;
          const uc = cu[u]!;
          const base = userMean[u]! - aU[uc]! + itemMean[i]!;
          for (let ic = 0; ic < KI; ic++) {
            const d = csc.values[m]! - (aUI[uc * KI + ic]! + base - aI[ic]!);
            errI[ic] += d * d;
          }
        }
        ci[i] = argmin(errI);
      }
      opts.onProgress?.({ step: 'epoch', done: e + 1, total: p.epochs });
    }
    [this.avgU, this.avgI, this.avgUI] = this.averages(cu, ci);
    this.cu = cu;
    this.ci = ci;
    this.userMean = userMean;
    this.itemMean = itemMean;
  }

  /** Mean rating of each user cluster, item cluster and co-cluster (global mean when empty). */
  private averages(cu: Int32Array, ci: Int32Array): [Float64Array, Float64Array, Float64Array] {
    const KU = this.params.userClusters;
    const KI = this.params.itemClusters;
    const sU = new Float64Array(KU);
    const nU = new Float64Array(KU);
    const sI = new Float64Array(KI);
    const nI = new Float64Array(KI);
    const sUI = new Float64Array(KU * KI);
    const nUI = new Float64Array(KU * KI);
    const { indptr, indices, values } = this.data;
    for (let u = 0; u < this.nUsers; u++) {
      const uc = cu[u]!;
      const e = indptr[u + 1]!;
      for (let k = indptr[u]!; k < e; k++) {
        const ic = ci[indices[k]!]!;
        const r = values[k]!;
        sU[uc] += r;
        nU[uc]++;
        sI[ic] += r;
        nI[ic]++;
        sUI[uc * KI + ic] += r;
        nUI[uc * KI + ic]++;
      }
    }
    const g = this.globalMean;
    for (let c = 0; c < KU; c++) sU[c] = nU[c]! > 0 ? sU[c]! / nU[c]! : g;
    for (let c = 0; c < KI; c++) sI[c] = nI[c]! > 0 ? sI[c]! / nI[c]! : g;
    for (let c = 0; c < KU * KI; c++) sUI[c] = nUI[c]! > 0 ? sUI[c]! / nUI[c]! : g;
    return [sU, sI, sUI];
  }

  protected estimate(u: number, i: number): number {
    if (u >= 0 && i >= 0) {
      const uc = this.cu[u]!;
      const ic = this.ci[i]!;
      return this.avgUI[uc * this.params.itemClusters + ic]! + this.userMean[u]! - this.avgU[uc]! + this.itemMean[i]! - this.avgI[ic]!;
    }
    if (u >= 0) return this.userMean[u]!;
    if (i >= 0) return this.itemMean[i]!;
    return this.globalMean;
  }

  protected saveState(): ModelState {
    return { state: {}, tensors: { cu: tensor(this.cu), ci: tensor(this.ci) } };
  }

  protected loadState(a: Artifact): void {
    this.cu = requireTensor(a, 'cu', Int32Array, [this.nUsers]);
    this.ci = requireTensor(a, 'ci', Int32Array, [this.nItems]);
    const csc = this.data.csc();
    this.userMean = rowMeans(this.data.indptr, this.data.values, this.nUsers, this.globalMean);
    this.itemMean = rowMeans(csc.indptr, csc.values, this.nItems, this.globalMean);
    [this.avgU, this.avgI, this.avgUI] = this.averages(this.cu, this.ci);
  }

  static fromArtifact(a: Artifact): CoClustering {
    return new CoClustering(a.meta.params as Partial<CoClusteringParams>).restore(a);
  }
}

function rowMeans(indptr: Int32Array, values: Float32Array, n: number, empty: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const a = indptr[r]!;
    const b = indptr[r + 1]!;
    let s = 0;
    for (let k = a; k < b; k++) s += values[k]!;
    out[r] = b > a ? s / (b - a) : empty;
  }
  return out;
}

function argmin(a: Float64Array): number {
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k]! < a[best]!) best = k;
  return best;
}
