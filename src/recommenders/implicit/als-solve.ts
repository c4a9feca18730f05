/**
 * ALS kernels for implicit feedback (Hu, Koren & Volinsky 2008) with the conjugate-gradient solver of Takács,
 * Pilászy & Tikk (2011) as used by the implicit library. Plain functions over typed arrays so the same code runs
 * on the main thread or in a worker over shared buffers.
 */

/** yty[f x f] = Y^T Y + reg I for Y (n x f row-major), accumulated in float64. */
export function gramPlusReg(y: Float32Array, n: number, f: number, reg: number): Float64Array {
  const g = new Float64Array(f * f);
  for (let i = 0; i < n; i++) {
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
    for (let a = 0; a < f; a++) {
      let acc = 0;
      const ga = a * f;
      for (let b = 0; b < f; b++) acc += yty[ga + b]! * xs[b]!;
      r[a] = -acc;
    }
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
      for (let a = 0; a < f; a++) {
        let acc = 0;
        const ga = a * f;
        for (let b = 0; b < f; b++) acc += yty[ga + b]! * p[b]!;
        ap[a] = acc;
      }
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

/** y[yo..yo+f) . v, unrolled by 4 (the hot loop of a half-step). */
function dotRow(y: Float32Array, yo: number, v: Float64Array, f: number): number {
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let c = 0;
  for (; c + 3 < f; c += 4) {
    d0 += y[yo + c]! * v[c]!;
    d1 += y[yo + c + 1]! * v[c + 1]!;
    d2 += y[yo + c + 2]! * v[c + 2]!;
    d3 += y[yo + c + 3]! * v[c + 3]!;
  }
  for (; c < f; c++) d0 += y[yo + c]! * v[c]!;
  return d0 + d1 + d2 + d3;
}

/** out += w * y[yo..yo+f), unrolled by 4. */
function axpyRow(w: number, y: Float32Array, yo: number, out: Float64Array, f: number): void {
  let c = 0;
  for (; c + 3 < f; c += 4) {
    out[c] += w * y[yo + c]!;
    out[c + 1] += w * y[yo + c + 1]!;
    out[c + 2] += w * y[yo + c + 2]!;
    out[c + 3] += w * y[yo + c + 3]!;
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
}

/** Pool kernel: {@link alsHalfStep} over rows [start, end). Rows are independent, so any split gives the same result. */
export function alsRows(a: AlsRowsArgs, start: number, end: number): void {
  alsHalfStep(a.x, a.y, a.yty, a.indptr, a.indices, a.values, a.f, a.alpha, a.cgSteps, start, end);
}
