import { InvalidArgumentError } from '../errors.js';
import { axpy, dot } from './blas1.js';
import type { FloatArray } from './types.js';

/** Options of {@link gemv}. */
export interface GemvOptions {
  /** Multiply by Aᵀ instead of A (A is still stored m x n row-major). Default false. */
  trans?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the old y (default 0: y is overwritten). */
  beta?: number;
}

/**
 * Matrix-vector product `y = alpha · op(A) · x + beta · y` with A row-major m x n. Without `trans`, y (m entries)
 * gets one unrolled dot product per row of A — the way to score ONE user against all items
 * (`gemv(itemFactors, userVector, scores, items, factors)`), where gemm would spend as long packing as computing.
 * With `trans`, y (n entries) accumulates rows of A scaled by x (axpy per row), still reading A contiguously.
 * O(m·n) time, no allocation. Dot products sum in double precision; the transposed form accumulates in y, so with a
 * Float32Array y each row's contribution is rounded to float32.
 */
export function gemv(a: FloatArray, x: FloatArray, y: FloatArray, m: number, n: number, opts: GemvOptions = {}): void {
  const trans = opts.trans ?? false;
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  const xLen = trans ? m : n;
  const yLen = trans ? n : m;
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && n >= 0)) {
    throw new InvalidArgumentError(`gemv: m and n must be non-negative integers, got ${m}, ${n}`);
  }
  if (a.length < m * n || x.length < xLen || y.length < yLen) {
    throw new InvalidArgumentError(`gemv: A ${m}x${n}${trans ? ' (transposed)' : ''} needs x of ${xLen} and y of ${yLen} entries; got ${a.length}, ${x.length}, ${y.length}`);
  }
  if (beta === 0) y.fill(0, 0, yLen);
  else if (beta !== 1) for (let t = 0; t < yLen; t++) y[t] = beta * y[t]!;
  if (alpha === 0) return;
  if (!trans) {
    for (let i = 0; i < m; i++) y[i] = y[i]! + alpha * dot(a, x, n, i * n, 0);
  } else {
    for (let i = 0; i < m; i++) {
      const s = alpha * x[i]!;
      if (s !== 0) axpy(s, a, y, n, i * n, 0);
    }
  }
}
