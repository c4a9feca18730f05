import type { Artifact } from '../../core/artifact.js';
import type { ParamsOf } from '../../core/params.js';
import { ExplicitModel, type ModelState, SCALE_SPECS } from './base.js';

/** SlopeOne has no hyperparameters besides the rating scale (as in Surprise). */
export const SLOPE_ONE_SPECS = { ...SCALE_SPECS } as const;
export type SlopeOneParams = ParamsOf<typeof SLOPE_ONE_SPECS>;

/**
 * Weighted-free Slope One (Lemire & Maclachlan 2005, as Surprise's SlopeOne): dev(i, j) = mean over users who rated
 * both of r_ui - r_uj; r̂_ui = μ_u + mean over j ∈ I_u co-rated with i of dev(i, j). Deviations are kept sparse (only
 * co-rated pairs): fit O(Σ_u |I_u|²) time, O(co-rated item pairs) memory; predict O(|I_u| + |co-rated with i|).
 * Unknown item → μ_u; unknown user → global mean. The deviations are recomputed from the ratings on load.
 */
export class SlopeOne extends ExplicitModel<typeof SLOPE_ONE_SPECS> {
  readonly algorithm = 'slope-one';
  private devPtr: Int32Array = new Int32Array(0);
  private devIdx: Int32Array = new Int32Array(0);
  private dev: Float64Array = new Float64Array(0);
  private userMean: Float64Array = new Float64Array(0);

  constructor(params?: Partial<SlopeOneParams>) {
    super(SLOPE_ONE_SPECS, 'slope-one', params);
  }

  protected fitModel(): void {
    this.build();
  }

  private build(): void {
    const nI = this.nItems;
    const nU = this.nUsers;
    const { indptr, indices, values } = this.data;
    const csc = this.data.csc();
    const freq = new Int32Array(nI);
    const sum = new Float64Array(nI);
    const touched = new Int32Array(nI);
    const ptr = new Int32Array(nI + 1);
    let idx = new Int32Array(Math.max(16, this.data.nnz));
    let dev = new Float64Array(idx.length);
    let w = 0;
    for (let i = 0; i < nI; i++) {
      let nt = 0;
      const ce = csc.indptr[i + 1]!;
      for (let m = csc.indptr[i]!; m < ce; m++) {
        const u = csc.indices[m]!;
        const rui = csc.values[m]!;
        const re = indptr[u + 1]!;
        for (let k = indptr[u]!; k < re; k++) {
          const j = indices[k]!;
          if (freq[j] === 0) touched[nt++] = j;
          freq[j]++;
          sum[j] += rui - values[k]!;
        }
      }
      touched.subarray(0, nt).sort();
      if (w + nt > idx.length) {
        const cap = Math.max(w + nt, idx.length * 2);
        const ni = new Int32Array(cap);
        ni.set(idx.subarray(0, w));
        idx = ni;
        const nd = new Float64Array(cap);
        nd.set(dev.subarray(0, w));
        dev = nd;
      }
      for (let t = 0; t < nt; t++) {
        const j = touched[t]!;
        idx[w] = j;
        dev[w] = sum[j]! / freq[j]!;
        w++;
        freq[j] = 0;
        sum[j] = 0;
      }
      ptr[i + 1] = w;
    }
    this.devPtr = ptr;
    this.devIdx = idx.slice(0, w);
    this.dev = dev.slice(0, w);
    this.userMean = new Float64Array(nU);
    for (let u = 0; u < nU; u++) {
      const a = indptr[u]!;
      const b = indptr[u + 1]!;
      let s = 0;
      for (let k = a; k < b; k++) s += values[k]!;
      this.userMean[u] = b > a ? s / (b - a) : this.globalMean;
    }
  }

  protected estimate(u: number, i: number): number {
    if (u < 0) return this.globalMean;
    const est = this.userMean[u]!;
    if (i < 0) return est;
    // merge-join the user's items with item i's co-rated list (both ascending)
    const { indptr, indices } = this.data;
    let a = indptr[u]!;
    const ae = indptr[u + 1]!;
    let b = this.devPtr[i]!;
    const be = this.devPtr[i + 1]!;
    const di = this.devIdx;
    let s = 0;
    let n = 0;
    while (a < ae && b < be) {
      const ja = indices[a]!;
      const jb = di[b]!;
      if (ja === jb) {
        s += this.dev[b]!;
        n++;
        a++;
        b++;
      } else if (ja < jb) a++;
      else b++;
    }
    return n > 0 ? est + s / n : est;
  }

  protected saveState(): ModelState {
    return { state: {}, tensors: {} };
  }

  protected loadState(): void {
    this.build();
  }

  static fromArtifact(a: Artifact): SlopeOne {
    return new SlopeOne(a.meta.params as Partial<SlopeOneParams>).restore(a);
  }
}
