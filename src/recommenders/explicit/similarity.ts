import { InvalidArgumentError } from '../../core/errors.js';

/** Similarity measures of Surprise's `sim_options.name`. */
export const SIMILARITIES = ['cosine', 'msd', 'pearson', 'pearson_baseline'] as const;
export type SimilarityName = (typeof SIMILARITIES)[number];

/** A sparse matrix in compressed form: for row r, columns `indices[indptr[r]..indptr[r+1])` with `values`. */
export interface Compressed {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array | Float64Array;
}

/** Settings of a similarity computation. */
export interface RatingSimilarityOptions {
  name: SimilarityName;
  /** Pairs with fewer common ratings get similarity 0 (Surprise `min_support`). */
  minSupport: number;
  /** pearson_baseline only: sim x (n - 1) / (n - 1 + shrinkage) (Surprise `shrinkage`). */
  shrinkage: number;
}

/** Largest entity count for which a dense n x n similarity matrix is built (n² float32 = 1 GiB). */
export const MAX_SIM_ENTITIES = 16384;

/**
 * Similarities between the `n` rows of `byX` (e.g. users, whose ratings are over y = items), computed in one pass over
 * co-rated pairs as in Surprise: for each x, every y it rated, every other x2 who rated y. `byY` is the transpose of
 * `byX`. For pearson_baseline, `dev` holds r - (mu + b_x + b_y) aligned with `byY`'s entries and `devX` aligned with
 * `byX`'s. Rows [start, end) are written into `out` (row-major n x n), so the work can be split across threads.
 *
 * cosine: Σxy / sqrt(Σx² Σy²); msd: 1 / (mean (x - y)² + 1); pearson: centred on the common ratings' means;
 * pearson_baseline: cosine of baseline residuals, shrunk by (n - 1) / (n - 1 + shrinkage). All over the common
 * ratings only; 0 below `minSupport` common ratings or with a zero denominator. The diagonal is 1.
 * Time O(Σ_y |raters of y|²) over all rows, scratch O(n) per thread.
 */
export function similarityRows(
  n: number,
  byX: Compressed,
  byY: Compressed,
  o: RatingSimilarityOptions,
  devX: Float64Array | undefined,
  devY: Float64Array | undefined,
  start: number,
  end: number,
  out: Float32Array,
): void {
  const freq = new Int32Array(n);
  const a1 = new Float64Array(n);
  const a2 = new Float64Array(n);
  const a3 = new Float64Array(n);
  const a4 = new Float64Array(n);
  const a5 = new Float64Array(n);
  const xp = byX.indptr;
  const xi = byX.indices;
  const xv = byX.values;
  const yp = byY.indptr;
  const yi = byY.indices;
  const yv = byY.values;
  const kind = o.name === 'cosine' ? 0 : o.name === 'msd' ? 1 : o.name === 'pearson' ? 2 : 3;
  if (kind === 3 && (devX === undefined || devY === undefined)) throw new InvalidArgumentError('pearson_baseline needs baseline residuals');
  const minSup = o.minSupport;
  const shrink = o.shrinkage;
  for (let x = start; x < end; x++) {
    freq.fill(0);
    a1.fill(0);
    a2.fill(0);
    a3.fill(0);
    if (kind === 2) {
      a4.fill(0);
      a5.fill(0);
    }
    const xe = xp[x + 1]!;
    for (let k = xp[x]!; k < xe; k++) {
      const y = xi[k]!;
      const ri = kind === 3 ? devX![k]! : xv[k]!;
      const ye = yp[y + 1]!;
      for (let m = yp[y]!; m < ye; m++) {
        const x2 = yi[m]!;
        const rj = kind === 3 ? devY![m]! : yv[m]!;
        freq[x2]++;
        if (kind === 1) {
          const d = ri - rj;
          a1[x2] += d * d;
        } else {
          a1[x2] += ri * rj;
          a2[x2] += ri * ri;
          a3[x2] += rj * rj;
          if (kind === 2) {
            a4[x2] += ri;
            a5[x2] += rj;
          }
        }
      }
    }
    const row = x * n;
    for (let x2 = 0; x2 < n; x2++) {
      const c = freq[x2]!;
      let s = 0;
      if (c >= minSup && c > 0) {
        if (kind === 1) {
          s = 1 / (a1[x2]! / c + 1);
        } else if (kind === 0) {
          const den = Math.sqrt(a2[x2]! * a3[x2]!);
          s = den > 0 ? a1[x2]! / den : 0;
        } else if (kind === 2) {
          const si = a4[x2]!;
          const sj = a5[x2]!;
          const den = Math.sqrt((c * a2[x2]! - si * si) * (c * a3[x2]! - sj * sj));
          s = den > 0 ? (c * a1[x2]! - si * sj) / den : 0;
        } else {
          const den = Math.sqrt(a2[x2]! * a3[x2]!);
          s = den > 0 ? ((a1[x2]! / den) * (c - 1)) / (c - 1 + shrink) : 0;
        }
      }
      out[row + x2] = s;
    }
    out[row + x] = 1;
  }
}

/** Reference twin of {@link similarityRows} for tests: each pair from scratch by a merge of the two rows. O(n² d). */
export function similarityReference(n: number, byX: Compressed, o: RatingSimilarityOptions, devX?: Float64Array): Float64Array {
  const out = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let x2 = 0; x2 < n; x2++) {
      if (x === x2) {
        out[x * n + x2] = 1;
        continue;
      }
      const ri: number[] = [];
      const rj: number[] = [];
      let a = byX.indptr[x]!;
      let b = byX.indptr[x2]!;
      while (a < byX.indptr[x + 1]! && b < byX.indptr[x2 + 1]!) {
        const ya = byX.indices[a]!;
        const yb = byX.indices[b]!;
        if (ya === yb) {
          ri.push(o.name === 'pearson_baseline' ? devX![a]! : byX.values[a]!);
          rj.push(o.name === 'pearson_baseline' ? devX![b]! : byX.values[b]!);
          a++;
          b++;
        } else if (ya < yb) a++;
        else b++;
      }
      const c = ri.length;
      let s = 0;
      if (c >= o.minSupport && c > 0) {
        const sum = (f: (k: number) => number): number => ri.reduce((acc, _, k) => acc + f(k), 0);
        if (o.name === 'msd') s = 1 / (sum((k) => (ri[k]! - rj[k]!) ** 2) / c + 1);
        else if (o.name === 'cosine' || o.name === 'pearson_baseline') {
          const den = Math.sqrt(sum((k) => ri[k]! ** 2) * sum((k) => rj[k]! ** 2));
          s = den > 0 ? sum((k) => ri[k]! * rj[k]!) / den : 0;
          if (o.name === 'pearson_baseline') s *= (c - 1) / (c - 1 + o.shrinkage);
        } else {
          const mi = sum((k) => ri[k]!) / c;
          const mj = sum((k) => rj[k]!) / c;
          const den = Math.sqrt(sum((k) => (ri[k]! - mi) ** 2) * sum((k) => (rj[k]! - mj) ** 2));
          s = den > 0 ? sum((k) => (ri[k]! - mi) * (rj[k]! - mj)) / den : 0;
        }
      }
      out[x * n + x2] = s;
    }
  }
  return out;
}
