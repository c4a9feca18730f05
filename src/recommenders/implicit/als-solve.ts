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
      let d = 0;
      for (let c = 0; c < f; c++) d += y[yo + c]! * xs[c]!;
      const w = 1 + cm1 - cm1 * d;
      for (let c = 0; c < f; c++) r[c] += w * y[yo + c]!;
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
        let d = 0;
        for (let c = 0; c < f; c++) d += y[yo + c]! * p[c]!;
        const w = cm1 * d;
        for (let c = 0; c < f; c++) ap[c] += w * y[yo + c]!;
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
