/**
 * ALS kernels for implicit feedback (Hu, Koren & Volinsky 2008) with the conjugate-gradient solver of Takács,
 * Pilászy & Tikk (2011) as used by the implicit library. Plain functions over typed arrays so the same code runs
 * on the main thread or in a worker over shared buffers.
 */
import { alsHalfStepSimd } from './als-simd.js';

/** yty[f x f] = Y^T Y + reg I for Y (n x f row-major), accumulated in float64, four rows per pass. */
export function gramPlusReg(y: Float32Array, n: number, f: number, reg: number): Float64Array {
  const g = new Float64Array(f * f);
  // four rows per pass over the upper triangle: one load and store of g per four multiply-adds
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    for (let a = 0; a < f; a++) {
      const y0 = y[o0 + a]!;
      const y1 = y[o1 + a]!;
      const y2 = y[o2 + a]!;
      const y3 = y[o3 + a]!;
      const ga = a * f;
      for (let b = a; b < f; b++) g[ga + b] += y0 * y[o0 + b]! + y1 * y[o1 + b]! + y2 * y[o2 + b]! + y3 * y[o3 + b]!;
    }
  }
  for (; i < n; i++) {
    const o = i * f;
    for (let a = 0; a < f; a++) {
      const ya = y[o + a]!;
      if (ya === 0) continue;
      const ga = a * f;
      for (let b = a; b < f; b++) g[ga + b] += ya * y[o + b]!;
    }
  }
  for (let a = 0; a < f; a++) {
    g[a * f + a] += reg;
    for (let b = 0; b < a; b++) g[a * f + b] = g[b * f + a]!;
  }
  return g;
}

/**
 * One ALS half-step for rows [start, end) of X (CSR `indptr/indices/values` gives each row's columns in Y and raw
 * values): solves (YtY + Y^T (C_u - I) Y) x_u = Y^T C_u p_u with confidence c = 1 + alpha * value, by `cgSteps`
 * conjugate-gradient iterations warm-started from the current x_u. Rows without entries are set to zero.
 * Scratch: 3 x f floats, allocated once per call.
 */
export function alsHalfStep(
  x: Float32Array,
  y: Float32Array,
  yty: Float64Array,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  f: number,
  alpha: number,
  cgSteps: number,
  start: number,
  end: number,
): void {
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  const xs = new Float64Array(f);
  for (let u = start; u < end; u++) {
    const s = indptr[u]!;
    const e = indptr[u + 1]!;
    const xo = u * f;
    if (s === e) {
      for (let c = 0; c < f; c++) x[xo + c] = 0;
      continue;
    }
    for (let c = 0; c < f; c++) xs[c] = x[xo + c]!;
    // r = -YtY x
    symMatVec(yty, xs, r, f);
    for (let c = 0; c < f; c++) r[c] = -r[c]!;
    // r += sum_i (c_i - (c_i - 1) y_i.x) y_i
    for (let k = s; k < e; k++) {
      const yo = indices[k]! * f;
      const cm1 = alpha * values[k]!;
      const w = 1 + cm1 - cm1 * dotRow(y, yo, xs, f);
      axpyRow(w, y, yo, r, f);
    }
    let rsold = 0;
    for (let c = 0; c < f; c++) {
      p[c] = r[c]!;
      rsold += r[c]! * r[c]!;
    }
    if (rsold < 1e-20) continue;
    for (let it = 0; it < cgSteps; it++) {
      // ap = YtY p + sum_i (c_i - 1) (y_i . p) y_i
      symMatVec(yty, p, ap, f);
      for (let k = s; k < e; k++) {
        const yo = indices[k]! * f;
        const cm1 = alpha * values[k]!;
        if (cm1 === 0) continue;
        axpyRow(cm1 * dotRow(y, yo, p, f), y, yo, ap, f);
      }
      let pap = 0;
      for (let c = 0; c < f; c++) pap += p[c]! * ap[c]!;
      if (!(pap > 0)) break;
      const step = rsold / pap;
      let rsnew = 0;
      for (let c = 0; c < f; c++) {
        xs[c] += step * p[c]!;
        r[c] -= step * ap[c]!;
        rsnew += r[c]! * r[c]!;
      }
      if (rsnew < 1e-20) break;
      const beta = rsnew / rsold;
      for (let c = 0; c < f; c++) p[c] = r[c]! + beta * p[c]!;
      rsold = rsnew;
    }
    for (let c = 0; c < f; c++) x[xo + c] = xs[c]!;
  }
}

/**
 * out = M v for M f x f row-major: eight independent accumulators per row, so the adds do not wait on each other
 * (a single running sum is bound by the add latency, the main cost of the f^2 part of a CG step).
 */
function symMatVec(m: Float64Array, v: Float64Array, out: Float64Array, f: number): void {
  for (let a = 0; a < f; a++) {
    const o = a * f;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let c = 0;
    for (; c + 7 < f; c += 8) {
      d0 += m[o + c]! * v[c]! + m[o + c + 4]! * v[c + 4]!;
      d1 += m[o + c + 1]! * v[c + 1]! + m[o + c + 5]! * v[c + 5]!;
      d2 += m[o + c + 2]! * v[c + 2]! + m[o + c + 6]! * v[c + 6]!;
      d3 += m[o + c + 3]! * v[c + 3]! + m[o + c + 7]! * v[c + 7]!;
    }
    for (; c < f; c++) d0 += m[o + c]! * v[c]!;
    out[a] = d0 + d1 + d2 + d3;
  }
}

/** y[yo..yo+f) . v, unrolled by 8 into four independent sums (the hot loop of a half-step). */
function dotRow(y: Float32Array, yo: number, v: Float64Array, f: number): number {
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let c = 0;
  for (; c + 7 < f; c += 8) {
    d0 += y[yo + c]! * v[c]! + y[yo + c + 4]! * v[c + 4]!;
    d1 += y[yo + c + 1]! * v[c + 1]! + y[yo + c + 5]! * v[c + 5]!;
    d2 += y[yo + c + 2]! * v[c + 2]! + y[yo + c + 6]! * v[c + 6]!;
    d3 += y[yo + c + 3]! * v[c + 3]! + y[yo + c + 7]! * v[c + 7]!;
  }
  for (; c < f; c++) d0 += y[yo + c]! * v[c]!;
  return d0 + d1 + d2 + d3;
}

/** out += w * y[yo..yo+f), unrolled by 8. */
function axpyRow(w: number, y: Float32Array, yo: number, out: Float64Array, f: number): void {
  let c = 0;
  for (; c + 7 < f; c += 8) {
    out[c] += w * y[yo + c]!;
    out[c + 1] += w * y[yo + c + 1]!;
    out[c + 2] += w * y[yo + c + 2]!;
    out[c + 3] += w * y[yo + c + 3]!;
    out[c + 4] += w * y[yo + c + 4]!;
    out[c + 5] += w * y[yo + c + 5]!;
    out[c + 6] += w * y[yo + c + 6]!;
    out[c + 7] += w * y[yo + c + 7]!;
  }
  for (; c < f; c++) out[c] += w * y[yo + c]!;
}

/** Arguments of {@link alsRows} (shared memory when run on the pool). */
export interface AlsRowsArgs {
  x: Float32Array;
  y: Float32Array;
  yty: Float64Array;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  f: number;
  alpha: number;
  cgSteps: number;
  /** Run the f32x4 WebAssembly kernel ({@link alsHalfStepSimd}); decided once per fit so every split agrees. */
  simd: boolean;
}

/** Pool kernel: {@link alsHalfStep} over rows [start, end). Rows are independent, so any split gives the same result. */
export function alsRows(a: AlsRowsArgs, start: number, end: number): void {
  (a.simd ? alsHalfStepSimd : alsHalfStep)(a.x, a.y, a.yty, a.indptr, a.indices, a.values, a.f, a.alpha, a.cgSteps, start, end);
}
