/**
 * Gradient/hessian histograms over binned rows (the core of histogram boosting, as LightGBM and XGBoost "hist"):
 * for each row of a node and each feature, add the row's (g, h) to the feature's bin. Layout of one histogram:
 * Float64Array of d * 256 * 2, entry ((f << 8) | bin) << 1 holds sum g, the next sum h. Bin 255 is "missing".
 */

/** Number of Float64 slots of one histogram over d features. */
export function histSize(d: number): number {
  return d * 512;
}

/**
 * Adds rows rowIdx[start..end) into `hist` (at offset `off`) for features `feats[0..nf)` (all d when nf === d).
 * `gh` interleaves each row's gradient and hessian (gh[2r], gh[2r + 1]) so one cache line serves both.
 * Hot loop: one pass over the rows, d bins per row; no allocation.
 */
export function buildHistogram(
  B: Uint8Array,
  d: number,
  rowIdx: Int32Array,
  start: number,
  end: number,
  gh: Float64Array,
  feats: Int32Array,
  nf: number,
  hist: Float64Array,
  off: number,
): void {
  if (nf === d) {
    // Unrolled by four: independent read-modify-write chains overlap (about 25% faster than the plain loop).
    const d4 = d & ~3;
    for (let k = start; k < end; k++) {
      const r = rowIdx[k];
      const g = gh[2 * r];
      const h = gh[2 * r + 1];
      const base = r * d;
      let f = 0;
      for (; f < d4; f += 4) {
        const i0 = off + (((f << 8) | B[base + f]) << 1);
        const i1 = off + ((((f + 1) << 8) | B[base + f + 1]) << 1);
        const i2 = off + ((((f + 2) << 8) | B[base + f + 2]) << 1);
        const i3 = off + ((((f + 3) << 8) | B[base + f + 3]) << 1);
        hist[i0] += g;
        hist[i0 + 1] += h;
        hist[i1] += g;
        hist[i1 + 1] += h;
        hist[i2] += g;
        hist[i2 + 1] += h;
        hist[i3] += g;
        hist[i3 + 1] += h;
      }
      for (; f < d; f++) {
        const idx = off + (((f << 8) | B[base + f]) << 1);
        hist[idx] += g;
        hist[idx + 1] += h;
      }
    }
    return;
  }
  histogramOverFeatures(B, d, rowIdx, start, end, gh, feats, 0, nf, hist, off);
}

/** Rows into `hist` for feature positions feats[q0..q1), unrolled by four. */
function histogramOverFeatures(B: Uint8Array, d: number, rowIdx: Int32Array, start: number, end: number, gh: Float64Array, feats: Int32Array, q0: number, q1: number, hist: Float64Array, off: number): void {
  const q4 = q0 + ((q1 - q0) & ~3);
  for (let k = start; k < end; k++) {
    const r = rowIdx[k];
    const g = gh[2 * r];
    const h = gh[2 * r + 1];
    const base = r * d;
    let q = q0;
    for (; q < q4; q += 4) {
      const f0 = feats[q];
      const f1 = feats[q + 1];
      const f2 = feats[q + 2];
      const f3 = feats[q + 3];
      const i0 = off + (((f0 << 8) | B[base + f0]) << 1);
      const i1 = off + (((f1 << 8) | B[base + f1]) << 1);
      const i2 = off + (((f2 << 8) | B[base + f2]) << 1);
      const i3 = off + (((f3 << 8) | B[base + f3]) << 1);
      hist[i0] += g;
      hist[i0 + 1] += h;
      hist[i1] += g;
      hist[i1 + 1] += h;
      hist[i2] += g;
      hist[i2 + 1] += h;
      hist[i3] += g;
      hist[i3 + 1] += h;
    }
    for (; q < q1; q++) {
      const f = feats[q];
      const idx = off + (((f << 8) | B[base + f]) << 1);
      hist[idx] += g;
      hist[idx + 1] += h;
    }
  }
}

/**
 * The same for the feature positions feats[q0..q1) only, clearing them first: threads given disjoint feature ranges
 * write disjoint parts of the histogram, so the result is bit-identical to a single thread's.
 */
export function buildHistogramFeatures(
  B: Uint8Array,
  d: number,
  rowIdx: Int32Array,
  start: number,
  end: number,
  gh: Float64Array,
  feats: Int32Array,
  q0: number,
  q1: number,
  hist: Float64Array,
  off: number,
): void {
  for (let q = q0; q < q1; q++) {
    const o = off + (feats[q] << 9);
    hist.fill(0, o, o + 512);
  }
  histogramOverFeatures(B, d, rowIdx, start, end, gh, feats, q0, q1, hist, off);
}

/** parent -= child over features `feats` (the subtraction trick: the larger sibling's histogram for free). */
export function subtractHistogram(parent: Float64Array, pOff: number, child: Float64Array, cOff: number, feats: Int32Array, nf: number): void {
  for (let q = 0; q < nf; q++) {
    const o = feats[q] << 9;
    for (let b = 0; b < 512; b++) parent[pOff + o + b] -= child[cOff + o + b];
  }
}

/** Zeroes the bins of features `feats` of a histogram. */
export function clearHistogram(hist: Float64Array, off: number, feats: Int32Array, nf: number, d: number): void {
  if (nf === d) {
    hist.fill(0, off, off + d * 512);
    return;
  }
  for (let q = 0; q < nf; q++) {
    const o = off + (feats[q] << 9);
    hist.fill(0, o, o + 512);
  }
}

/**
 * Packed (quantised) histograms: one Float64 per bin, entry (f << 8) | bin, holding the packed sum of the rows'
 * quantised (g, h) (see quantize.ts). Sums are exact integers, so any split of the rows into parts added in any
 * order gives the same histogram bits.
 */
export function packedHistSize(d: number): number {
  return d * 256;
}

/**
 * Adds rows rowIdx[start..end) (rows start..end-1 themselves when rowIdx is undefined: the root without
 * subsampling) of packed gradients `q` into `hist` at `off`, for features feats[0..nf) (all d when nf === d).
 * One add per (row, feature); unrolled by four.
 */
export function buildPackedHistogram(
  B: Uint8Array,
  d: number,
  rowIdx: Int32Array | undefined,
  start: number,
  end: number,
  q: Float64Array,
  feats: Int32Array,
  nf: number,
  hist: Float64Array,
  off: number,
): void {
  if (nf !== d) packedOverFeatures(B, d, rowIdx, start, end, q, feats, nf, hist, off);
  else if (rowIdx === undefined) packedRange(B, d, start, end, q, hist, off);
  else packedRows(B, d, rowIdx, start, end, q, hist, off);
}

/** Bins of a row-major block are read in feature blocks whose histogram (PACKED_BLOCK x 2 KB) stays in a 32 KB L1. */
export const PACKED_BLOCK = 15;

/** All features, rows start..end-1 themselves (the root: rows stream, so feature blocks cost little). */
function packedRange(B: Uint8Array, d: number, start: number, end: number, q: Float64Array, hist: Float64Array, off: number): void {
  for (let f0 = 0; f0 < d; f0 += PACKED_BLOCK) {
    const f1 = Math.min(d, f0 + PACKED_BLOCK);
    const f4 = f0 + ((f1 - f0) & ~3);
    for (let r = start; r < end; r++) {
      const v = q[r];
      const base = r * d;
      let f = f0;
      for (; f < f4; f += 4) {
        hist[off + ((f << 8) | B[base + f])] += v;
        hist[off + (((f + 1) << 8) | B[base + f + 1])] += v;
        hist[off + (((f + 2) << 8) | B[base + f + 2])] += v;
        hist[off + (((f + 3) << 8) | B[base + f + 3])] += v;
      }
      for (; f < f1; f++) hist[off + ((f << 8) | B[base + f])] += v;
    }
  }
}

/** All features, rows rowIdx[start..end) (scattered rows: one pass, each row's bins and gradient read once). */
function packedRows(B: Uint8Array, d: number, rowIdx: Int32Array, start: number, end: number, q: Float64Array, hist: Float64Array, off: number): void {
  const d4 = d & ~3;
  for (let k = start; k < end; k++) {
    const r = rowIdx[k];
    const v = q[r];
    const base = r * d;
    let f = 0;
    for (; f < d4; f += 4) {
      hist[off + ((f << 8) | B[base + f])] += v;
      hist[off + (((f + 1) << 8) | B[base + f + 1])] += v;
      hist[off + (((f + 2) << 8) | B[base + f + 2])] += v;
      hist[off + (((f + 3) << 8) | B[base + f + 3])] += v;
    }
    for (; f < d; f++) hist[off + ((f << 8) | B[base + f])] += v;
  }
}

function packedOverFeatures(B: Uint8Array, d: number, rowIdx: Int32Array | undefined, start: number, end: number, q: Float64Array, feats: Int32Array, nf: number, hist: Float64Array, off: number): void {
  for (let k = start; k < end; k++) {
    const r = rowIdx === undefined ? k : rowIdx[k];
    const v = q[r];
    const base = r * d;
    for (let p = 0; p < nf; p++) {
      const f = feats[p];
      hist[off + ((f << 8) | B[base + f])] += v;
    }
  }
}

/** Packed parent -= child over features `feats` (exact: integer sums). */
export function subtractPacked(parent: Float64Array, pOff: number, child: Float64Array, cOff: number, feats: Int32Array, nf: number, d: number): void {
  if (nf === d) {
    const n = d << 8;
    for (let i = 0; i < n; i++) parent[pOff + i] -= child[cOff + i];
    return;
  }
  for (let p = 0; p < nf; p++) {
    const o = feats[p] << 8;
    for (let b = 0; b < 256; b++) parent[pOff + o + b] -= child[cOff + o + b];
  }
}

/** dst = src over features `feats` of packed histograms. */
export function copyPacked(dst: Float64Array, dOff: number, src: Float64Array, sOff: number, feats: Int32Array, nf: number, _d: number): void {
  // Feature by feature for any nf (one path: a special case for all features deoptimised this when first met).
  for (let p = 0; p < nf; p++) {
    const o = feats[p] << 8;
    dst.set(src.subarray(sOff + o, sOff + o + 256), dOff + o);
  }
}

/** dst += src over features `feats` of packed histograms (summing per-thread parts; exact). */
export function addPacked(dst: Float64Array, dOff: number, src: Float64Array, sOff: number, feats: Int32Array, nf: number, d: number): void {
  if (nf === d) {
    const n = d << 8;
    for (let i = 0; i < n; i++) dst[dOff + i] += src[sOff + i];
    return;
  }
  for (let p = 0; p < nf; p++) {
    const o = feats[p] << 8;
    for (let b = 0; b < 256; b++) dst[dOff + o + b] += src[sOff + o + b];
  }
}

/** Zeroes the bins of features `feats` of a packed histogram. */
export function clearPacked(hist: Float64Array, off: number, feats: Int32Array, nf: number, d: number): void {
  if (nf === d) {
    hist.fill(0, off, off + (d << 8));
    return;
  }
  for (let p = 0; p < nf; p++) {
    const o = off + (feats[p] << 8);
    hist.fill(0, o, o + 256);
  }
}
