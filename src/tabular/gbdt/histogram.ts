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
    for (let k = start; k < end; k++) {
      const r = rowIdx[k];
      const g = gh[2 * r];
      const h = gh[2 * r + 1];
      const base = r * d;
      for (let f = 0; f < d; f++) {
        const idx = off + (((f << 8) | B[base + f]) << 1);
        hist[idx] += g;
        hist[idx + 1] += h;
      }
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const r = rowIdx[k];
    const g = gh[2 * r];
    const h = gh[2 * r + 1];
    const base = r * d;
    for (let q = 0; q < nf; q++) {
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
  for (let k = start; k < end; k++) {
    const r = rowIdx[k];
    const g = gh[2 * r];
    const h = gh[2 * r + 1];
    const base = r * d;
    for (let q = q0; q < q1; q++) {
      const f = feats[q];
      const idx = off + (((f << 8) | B[base + f]) << 1);
      hist[idx] += g;
      hist[idx + 1] += h;
    }
  }
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
