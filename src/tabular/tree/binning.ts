import { Rng } from '../../core/rng.js';
import type { Matrix } from '../matrix.js';

/** Bin index reserved for a missing value (NaN) in a binned matrix. */
export const MISSING_BIN = 255;

/**
 * Per-feature bin edges, found from quantiles of (a seeded sample of) each column, as LightGBM/XGBoost hist do.
 * Bin b of feature f holds values v with cuts[b-1] < v <= cuts[b]; the last bin is unbounded above. A split "bin <= b"
 * is therefore exactly "v <= cuts[b]" on raw values, so trees grown on bins predict on raw data.
 */
export interface BinMapper {
  /** cuts[f]: ascending upper edges of the value bins of feature f (length = number of value bins). */
  cuts: Float64Array[];
}

/**
 * Finds bin edges: each column's distinct values when there are at most `maxBins` of them (edges at the values
 * themselves, so splits fall between them), otherwise `maxBins` quantiles of up to `sampleRows` sampled rows.
 * O(d * s log s) for s sampled rows.
 */
export function fitBins(m: Matrix, maxBins: number, seed: number, sampleRows = 30_000): BinMapper {
  return { cuts: fitBinCuts(m, binSampleRows(m.rows, seed, sampleRows), maxBins, 0, m.cols) };
}

/** The rows {@link fitBins} reads: all of them, or a seeded sample of `sampleRows`. */
export function binSampleRows(n: number, seed: number, sampleRows = 30_000): Int32Array {
  // In row order: the rows are then read forward (the set, and so the edges, do not depend on the order).
  if (n > sampleRows) return new Rng(seed).sampleWithoutReplacement(n, sampleRows).sort();
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The bin edges of features [f0, f1) from the sample `rows` (features are independent: any split gives the same). */
export function fitBinCuts(m: Matrix, rows: Int32Array, maxBins: number, f0: number, f1: number): Float64Array[] {
  const d = m.cols;
  const x = m.data;
  const s = rows.length;
  const nf = f1 - f0;
  // The sampled rows' values, column by column (NaN dropped), read row by row: one pass over each sampled row
  // instead of one per feature.
  const cols = new Float64Array(nf * s);
  const fill = new Int32Array(nf);
  for (let k = 0; k < s; k++) {
    const base = rows[k] * d + f0;
    for (let j = 0; j < nf; j++) {
      const v = x[base + j];
      if (v === v) cols[j * s + fill[j]++] = v;
    }
  }
  const tmp = new Float64Array(s);
  const cuts: Float64Array[] = [];
  const nb = Math.min(maxBins, MISSING_BIN);
  for (let f = f0; f < f1; f++) {
    const col = cols.subarray((f - f0) * s, (f - f0) * s + fill[f - f0]);
    cuts.push(quantileCuts(col, nb, tmp) ?? sortedCuts(sortNumbers(col, tmp), nb));
  }
  return cuts;
}

/**
 * Edges from NaN-free values sorted ascending: edges between consecutive distinct values when there are at most nb
 * of them (the last +Infinity), else the nb-quantile edges (midpoints of the order statistics around each cut).
 */
function sortedCuts(vals: Float64Array, nb: number): Float64Array {
  const w = vals.length;
  // Distinct values, when there are at most nb of them (the count stops at nb + 1).
  let u = 0;
  for (let k = 0; k < w && u <= nb; k++) if (k === 0 || vals[k] !== vals[k - 1]) u++;
  if (u <= nb) {
    const distinct = new Float64Array(u);
    u = 0;
    for (let k = 0; k < w; k++) if (k === 0 || vals[k] !== vals[k - 1]) distinct[u++] = vals[k];
    const c = new Float64Array(Math.max(u, 1));
    // Edge between consecutive distinct values (midpoint), the last edge is +Infinity.
    for (let k = 0; k < u - 1; k++) c[k] = (distinct[k] + distinct[k + 1]) / 2;
    c[Math.max(u - 1, 0)] = Infinity;
    return c;
  }
  return quantileEdges(vals, w, nb);
}

/**
 * The nb-quantile edges of w values sorted ascending (at least at the positions around each cut), strictly
 * increasing, the last +Infinity.
 */
function quantileEdges(vals: Float64Array, w: number, nb: number): Float64Array {
  const edges: number[] = [];
  let last = -Infinity;
  for (let b = 1; b < nb; b++) {
    const pos = Math.floor((b * w) / nb);
    const lo = vals[pos - 1];
    const hi = vals[pos];
    const e = lo === hi ? lo : (lo + hi) / 2;
    if (e > last) {
      edges.push(e);
      last = e;
    }
  }
  edges.push(Infinity);
  return Float64Array.from(edges);
}

let cellScratch = new Int32Array(0);
let startScratch = new Int32Array(0);
let nextScratch = new Int32Array(0);
let sortedScratch = new Uint8Array(0);

/**
 * Scatters NaN-free `a` (at least 2 values) into G = n / 2 buckets of tmp by a monotone map of their value
 * ((v - min) * scale, floored and clamped: infinities to the end buckets), so buckets are in value order: bucket c is
 * tmp[start[c]..start[c + 1]) with `start` the returned array's first G + 1 entries. Returns G, or 0 (nothing done)
 * when the finite range is degenerate.
 */
function bucketize(a: Float64Array, tmp: Float64Array): number {
  const n = a.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < lo && v !== -Infinity) lo = v;
    if (v > hi && v !== Infinity) hi = v;
  }
  const G = n >> 1;
  const scale = G / (hi - lo);
  if (!(hi > lo) || !Number.isFinite(scale) || scale === 0) return 0;
  if (cellScratch.length < n) cellScratch = new Int32Array(n);
  if (startScratch.length < G + 1) {
    startScratch = new Int32Array(G + 1);
    nextScratch = new Int32Array(G);
  }
  const cell = cellScratch;
  const start = startScratch;
  const next = nextScratch;
  start.fill(0, 0, G + 1);
  for (let i = 0; i < n; i++) {
    const t = (a[i] - lo) * scale;
    const c = t > 0 ? (t < G ? Math.floor(t) : G - 1) : 0;
    cell[i] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < G; c++) start[c + 1] += start[c];
  next.set(start.subarray(0, G));
  for (let i = 0; i < n; i++) tmp[next[cell[i]]++] = a[i];
  return G;
}

/**
 * {@link sortedCuts} without sorting everything, for a column with more than nb distinct values: values go to value
 * buckets ({@link bucketize}), and only the buckets that are needed are sorted: those counted for the distinct
 * values (in order, until more than nb are found: a handful for continuous data) and those holding the order
 * statistics of the quantile edges. Buckets hold disjoint value ranges in order, so a sorted bucket is exactly its
 * slice of the sorted column (with the zero run, which falls in one bucket, put -0 first). Returns undefined when the
 * column is small, its range degenerate, or it has at most nb distinct values (then the caller sorts it all).
 */
function quantileCuts(a: Float64Array, nb: number, tmp: Float64Array): Float64Array | undefined {
  const n = a.length;
  if (n < 256) return undefined;
  const G = bucketize(a, tmp);
  if (G === 0) return undefined;
  const start = startScratch;
  if (sortedScratch.length < G) sortedScratch = new Uint8Array(G);
  const sorted = sortedScratch;
  sorted.fill(0, 0, G);
  const out = tmp.subarray(0, n);
  const sortBucket = (c: number): void => {
    if (sorted[c] === 1) return;
    sorted[c] = 1;
    const s = start[c];
    const e = start[c + 1];
    if (e - s > SMALL_BUCKET) out.subarray(s, e).sort();
    else insertionSort(out, s, e);
    fixZeros(out, s, e);
  };
  let u = 0;
  for (let c = 0; c < G && u <= nb; c++) {
    const s = start[c];
    const e = start[c + 1];
    if (e === s) continue;
    sortBucket(c);
    for (let k = s; k < e; k++) if (k === s || out[k] !== out[k - 1]) u++;
  }
  if (u <= nb) return undefined;
  // Sort the buckets holding the positions the edges read (positions only grow: walk the buckets forward).
  let c = 0;
  for (let b = 1; b < nb; b++) {
    const pos = Math.floor((b * n) / nb);
    for (let k = pos - 1; k <= pos; k++) {
      while (start[c + 1] <= k) c++;
      sortBucket(c);
    }
  }
  return quantileEdges(out, n, nb);
}

/** Buckets of larger size are sorted by the native sort in {@link sortNumbers}; smaller ones by insertion. */
const SMALL_BUCKET = 32;

/**
 * Sorts NaN-free `a` ascending in the order of Float64Array.prototype.sort (-0 before +0), returning the sorted
 * array: `a` itself or `tmp` (at least as long). Bucket sort ({@link bucketize}: buckets already in value order),
 * each bucket then sorted by insertion (or natively when large), and the run of zeros, which `<` does not order,
 * rewritten with every -0 first. About 3.5x faster than the comparison sort on 30k normal values.
 */
export function sortNumbers(a: Float64Array, tmp: Float64Array): Float64Array {
  const n = a.length;
  if (n < 256) return a.sort();
  const G = bucketize(a, tmp);
  if (G === 0) return a.sort();
  const start = startScratch;
  const out = tmp.subarray(0, n);
  for (let c = 0; c < G; c++) {
    const s = start[c];
    const e = start[c + 1];
    if (e - s > SMALL_BUCKET) out.subarray(s, e).sort();
    else insertionSort(out, s, e);
  }
  fixZeros(out);
  return out;
}

function insertionSort(a: Float64Array, s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= s && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** In `a`[s..e) sorted, puts the -0 of the (contiguous) run of zeros before its +0. */
function fixZeros(a: Float64Array, s0 = 0, e0 = a.length): void {
  let s = s0;
  let e = e0;
  // First index with a >= 0 and first with a > 0, by binary search.
  while (s < e) {
    const mid = (s + e) >> 1;
    if (a[mid] < 0) s = mid + 1;
    else e = mid;
  }
  let z = s;
  e = e0;
  while (z < e) {
    const mid = (z + e) >> 1;
    if (a[mid] <= 0) z = mid + 1;
    else e = mid;
  }
  let neg = 0;
  for (let i = s; i < z; i++) if (1 / a[i] < 0) neg++;
  a.fill(-0, s, s + neg);
  a.fill(0, s + neg, z);
}

/** Cells of the per-feature uniform grid that narrows each value's edge search (see {@link BinIndex}). */
/** Grid cells per feature of a {@link BinIndex}. */
export const GRID = 4096;

/**
 * Search acceleration for binning many values: the edges of all features in one array (feature f at f * 256), and
 * per feature a uniform grid of GRID cells over [first edge, last finite edge] with, for each cell k,
 * start[k] = the number of edges whose cell is < k. cell(v) is monotone in v (a subtraction and a multiplication by
 * a positive constant, rounded, then floor and clamps), so every edge below start[cell(v)] is < v and the edge at
 * start[cell(v) + 1] (or the last, +Infinity) is >= v: the binary search for the first edge >= v runs over that
 * range only, usually empty or one edge, and finds exactly what the full search finds.
 */
export interface BinIndex {
  edges: Float64Array;
  /** Last edge index (number of edges - 1) per feature. */
  last: Int32Array;
  lo: Float64Array;
  /** GRID / (last finite edge - first edge); 0 turns the grid off (every value in cell 0, full search). */
  scale: Float64Array;
  /** (GRID + 1) counts per feature. */
  start: Uint8Array;
}

function gridCell(v: number, lo: number, scale: number): number {
  const t = (v - lo) * scale;
  return t > 0 ? (t < GRID ? Math.floor(t) : GRID - 1) : 0;
}

export function binIndex(mapper: BinMapper, d: number): BinIndex {
  const idx: BinIndex = { edges: new Float64Array(d * 256), last: new Int32Array(d), lo: new Float64Array(d), scale: new Float64Array(d), start: new Uint8Array(d * (GRID + 1)) };
  for (let f = 0; f < d; f++) {
    const c = mapper.cuts[f];
    const L = c.length;
    idx.edges.set(c, f * 256);
    idx.last[f] = L - 1;
    const o = f * (GRID + 1);
    const lo = c[0];
    const hi = L >= 2 ? c[L - 2] : lo;
    const scale = GRID / (hi - lo);
    if (L < 3 || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo) || !Number.isFinite(scale)) {
      idx.start.fill(L - 1, o + 1, o + GRID + 1);
      continue;
    }
    idx.lo[f] = lo;
    idx.scale[f] = scale;
    const cnt = new Int32Array(GRID + 1);
    for (let j = 0; j < L; j++) cnt[gridCell(c[j], lo, scale) + 1]++;
    let sum = 0;
    for (let k = 0; k <= GRID; k++) {
      sum += cnt[k];
      idx.start[o + k] = sum;
    }
  }
  return idx;
}

/**
 * Bins of rows [r0, r1) into row-major `B` and/or column-major `Bc` (n rows), row by row (each row's values are read
 * once, contiguously).
 */
function binRows(x: Matrix['data'], n: number, d: number, idx: BinIndex, r0: number, r1: number, B: Uint8Array | undefined, Bc: Uint8Array | undefined): void {
  const { edges, last, lo, scale, start } = idx;
  const rowMajor = B !== undefined;
  const colMajor = Bc !== undefined;
  const G1 = GRID + 1;
  for (let i = r0; i < r1; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) {
      const v = x[base + f];
      let b = MISSING_BIN;
      if (v === v) {
        const t = (v - lo[f]) * scale[f];
        const cell = f * G1 + (t > 0 ? (t < GRID ? Math.floor(t) : GRID - 1) : 0);
        b = start[cell];
        let h = Math.min(start[cell + 1], last[f]);
        const eo = f << 8;
        while (b < h) {
          const mid = (b + h) >> 1;
          if (v <= edges[eo + mid]) h = mid;
          else b = mid + 1;
        }
      }
      if (rowMajor) B[base + f] = b;
      if (colMajor) Bc[f * n + i] = b;
    }
  }
}

/** {@link applyBins} for rows [r0, r1) only, writing the row-major bins B and the column-major Bc (n rows) at once. */
export function applyBinsRows(m: Matrix, mapper: BinMapper, B: Uint8Array, Bc: Uint8Array, r0: number, r1: number): void {
  binRows(m.data, m.rows, m.cols, binIndex(mapper, m.cols), r0, r1, B, Bc);
}

/** {@link applyBinsRows} with the search index built once ({@link binIndex}) for many row blocks. */
export function applyBinsRowsIndexed(m: Matrix, idx: BinIndex, B: Uint8Array, Bc: Uint8Array, r0: number, r1: number): void {
  binRows(m.data, m.rows, m.cols, idx, r0, r1, B, Bc);
}

/** Bins every value: row-major n x d Uint8 codes, NaN -> {@link MISSING_BIN}: the first edge >= the value. */
export function applyBins(m: Matrix, mapper: BinMapper, out?: Uint8Array): Uint8Array {
  const B = out ?? new Uint8Array(m.rows * m.cols);
  binRows(m.data, m.rows, m.cols, binIndex(mapper, m.cols), 0, m.rows, B, undefined);
  return B;
}

/** Column-major copy of row-major n x d bins: out[f * n + i] = B[i * d + f]. */
export function transposeBins(B: Uint8Array, n: number, d: number, into?: Uint8Array): Uint8Array {
  const out = into ?? new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) out[f * n + i] = B[base + f];
  }
  return out;
}

/**
 * Bins every value column-major: out[f * n + i] is row i's bin of feature f (NaN -> {@link MISSING_BIN}). Scans
 * over one feature's rows then read contiguous memory, which is what CART's per-feature node scans do.
 */
export function applyBinsColumns(m: Matrix, mapper: BinMapper, out?: Uint8Array): Uint8Array {
  const B = out ?? new Uint8Array(m.rows * m.cols);
  binRows(m.data, m.rows, m.cols, binIndex(mapper, m.cols), 0, m.rows, undefined, B);
  return B;
}
