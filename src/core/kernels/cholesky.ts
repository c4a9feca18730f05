import { InvalidArgumentError } from '../errors.js';
import { axpy, dot } from './blas1.js';
import type { FloatArray } from './types.js';

/**
 * Small dense Cholesky factorization and solves for symmetric positive definite (SPD) systems, as in the normal
 * equations of ALS (`(YᵀY + λI) x = Yᵀr`, n = factors ≈ 10..256). Matrices are n x n row-major Float64Array.
 * Factor: n³/3 multiply-adds (row-oriented Cholesky–Banachiewicz, inner loops are contiguous dot products);
 * solve: 2n² multiply-adds. No allocation except `solveSpd` without a scratch buffer.
 */

/**
 * Factors `a = L Lᵀ` in place: on return the lower triangle (with the diagonal) of `a` holds L and the strict upper
 * triangle is zeroed. Only the lower triangle of the input is read. Throws {@link InvalidArgumentError} naming the
 * failing pivot when `a` is not (numerically) positive definite, or holds a NaN.
 */
export function choleskyFactor(a: Float64Array, n: number): void {
  if (a.length < n * n) throw new InvalidArgumentError(`choleskyFactor: a has ${a.length} entries, expected n*n = ${n * n}`);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      a[ri + j] = (a[ri + j]! - dot(a, a, j, ri, rj)) / a[rj + j]!;
    }
    const d = a[ri + i]! - dot(a, a, i, ri, ri);
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new InvalidArgumentError(`choleskyFactor: matrix is not positive definite (pivot ${i} of ${n} is ${d}); add regularization`, {
        pivot: i,
        value: d,
      });
    }
    a[ri + i] = Math.sqrt(d);
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
}

/**
 * Solves `L Lᵀ x = b` given the factor from {@link choleskyFactor}: forward substitution then back substitution
 * (the back pass walks rows of L, so both passes read contiguous memory). `out` may be `b` itself. Intermediate values
 * live in `out`: with a Float32Array `out` they are rounded to float32; pass a Float64Array for full precision.
 */
export function choleskySolve(l: Float64Array, n: number, b: FloatArray, out: FloatArray): void {
  if (b.length < n || out.length < n) throw new InvalidArgumentError(`choleskySolve: b and out need ${n} entries, got ${b.length} and ${out.length}`);
  // forward: L y = b (y stored in out)
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    out[i] = (b[i]! - dot(l, out, i, ri, 0)) / l[ri + i]!;
  }
  // backward: Lᵀ x = y, column-oriented over the rows of L: once x[i] is known, remove its share from y[0..i)
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = out[i]! / l[ri + i]!;
    out[i] = xi;
    axpy(-xi, l, out, i, ri, 0);
  }
}

/**
 * Solves the SPD system `a x = b` into `out`. `a` (n x n, row-major, lower triangle read) is left untouched unless
 * `scratch` is `a` itself; pass a reusable `scratch` of n*n entries to avoid allocating per call (hot ALS loops).
 */
export function solveSpd(a: Float64Array, n: number, b: FloatArray, out: FloatArray, scratch?: Float64Array): void {
  const nn = n * n;
  const l = scratch ?? new Float64Array(nn);
  if (l.length < nn) throw new InvalidArgumentError(`solveSpd: scratch has ${l.length} entries, expected at least n*n = ${nn}`);
  if (l !== a) {
    if (a.length < nn) throw new InvalidArgumentError(`solveSpd: a has ${a.length} entries, expected n*n = ${nn}`);
    l.set(a.subarray(0, nn));
  }
  choleskyFactor(l, n);
  choleskySolve(l, n, b, out);
}
