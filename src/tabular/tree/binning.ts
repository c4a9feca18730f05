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
  if (n > sampleRows) return new Rng(seed).sampleWithoutReplacement(n, sampleRows);
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
    const w = fill[f - f0];
    const vals = sortNumbers(cols.subarray((f - f0) * s, (f - f0) * s + w), tmp);
    // Distinct values.
    let u = 0;
    const distinct = new Float64Array(w);
    for (let k = 0; k < w; k++) if (k === 0 || vals[k] !== vals[k - 1]) distinct[u++] = vals[k];
    if (u <= nb) {
      const c = new Float64Array(Math.max(u, 1));
      // Edge between consecutive distinct values (midpoint), the last edge is +Infinity.
      for (let k = 0; k < u - 1; k++) c[k] = (distinct[k] + distinct[k + 1]) / 2;
      c[Math.max(u - 1, 0)] = Infinity;
      cuts.push(c);
      continue;
    }
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
    cuts.push(Float64Array.from(edges));
  }
  return cuts;
}

/** True on little-endian hosts, where the low 32 bits of a float64 come first in a Uint32Array view. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Radix digits of a 64-bit key: [word (0 low, 1 high), shift, bits] per pass, 11 + 11 + 10 bits of each word. */
const DIGITS = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 11],
  [1, 11, 11],
  [1, 22, 10],
];

/**
 * Sorts NaN-free `a` ascending in the order of Float64Array.prototype.sort (-0 before +0), returning the sorted
 * array: `a` itself or `tmp` (at least as long). LSD radix sort, 6 passes of 10-11 bits, on the IEEE bits mapped to
 * unsigned order (negatives: all bits flipped; others: the sign bit set); passes where every key has the same digit
 * are skipped. About twice as fast as the comparison sort on tens of thousands of values.
 */
export function sortNumbers(a: Float64Array, tmp: Float64Array): Float64Array {
  const n = a.length;
  if (n < 256 || !LITTLE_ENDIAN) return a.sort();
  let src = a;
  let dst = tmp.subarray(0, n);
  // Every pass's digit counts in one read of the keys.
  const count = new Int32Array(6 * 2048);
  const u0 = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const sign = u0[2 * i + 1] >> 31;
    const lo = u0[2 * i] ^ sign;
    const hi = u0[2 * i + 1] ^ (sign | 0x80000000);
    count[lo & 0x7ff]++;
    count[2048 + ((lo >>> 11) & 0x7ff)]++;
    count[4096 + (lo >>> 22)]++;
    count[6144 + (hi & 0x7ff)]++;
    count[8192 + ((hi >>> 11) & 0x7ff)]++;
    count[10240 + (hi >>> 22)]++;
  }
  for (let pass = 0; pass < 6; pass++) {
    const [word, shift, bits] = DIGITS[pass];
    const o = pass * 2048;
    const mask = (1 << bits) - 1;
    // Exclusive prefix sums into bucket starts; skip the pass when one bucket holds every key.
    let sum = 0;
    let trivial = false;
    for (let b = 0; b <= mask; b++) {
      const c = count[o + b];
      if (c === n) trivial = true;
      count[o + b] = sum;
      sum += c;
    }
    if (trivial) continue;
    radixScatter(src, dst, new Uint32Array(src.buffer, src.byteOffset, 2 * n), n, count, o, word, word === 1 ? 0x80000000 : 0, shift, mask);
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** One stable pass of {@link sortNumbers}: src[i] to dst at its digit's next slot. */
function radixScatter(src: Float64Array, dst: Float64Array, u: Uint32Array, n: number, count: Int32Array, o: number, word: number, flip: number, shift: number, mask: number): void {
  for (let i = 0; i < n; i++) {
    const digit = ((u[2 * i + word] ^ ((u[2 * i + 1] >> 31) | flip)) >>> shift) & mask;
    dst[count[o + digit]++] = src[i];
  }
}

/**
 * The bin of value `v` under ascending edges `c` (the last is +Infinity): the first edge >= v by binary search;
 * NaN -> {@link MISSING_BIN}. Small and monomorphic, so V8 inlines it into the binning loops.
 */
export function binOf(c: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= c[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cells of the per-feature uniform grid that narrows each value's edge search (see {@link BinIndex}). */
const GRID = 4096;

/**
 * Search acceleration for binning many values: the edges of all features in one array (feature f at f * 256), and
 * per feature a uniform grid of GRID cells over [first edge, last finite edge] with, for each cell k,
 * start[k] = the number of edges whose cell is < k. cell(v) is monotone in v (a subtraction and a multiplication by
 * a positive constant, rounded, then floor and clamps), so every edge below start[cell(v)] is < v and the edge at
 * start[cell(v) + 1] (or the last, +Infinity) is >= v: the binary search for the first edge >= v runs over that
 * range only, usually empty or one edge, and finds exactly what the full search finds.
 */
interface BinIndex {
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

function binIndex(mapper: BinMapper, d: number): BinIndex {
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
