import type { FloatArray } from './types.js';

/**
 * Level-1 kernels (after BLAS ddot/daxpy/dscal): vector operations on typed arrays with offsets, so a row of a
 * row-major matrix is addressed as (array, row * cols). No bounds checks inside: callers pass valid ranges.
 * Each is O(n) time and O(1) extra memory; the loops are unrolled by 4 with independent accumulators, which lets
 * V8 overlap the floating-point additions.
 */

/**
 * Dot product `sum_{t<n} x[xOff + t] * y[yOff + t]`, accumulated in double precision.
 * The summation order differs from a plain loop (4 partial sums), so results can differ in the last bits.
 *
 * V8 specializes each typed-array load site to the array types it has seen; one shared loop called with both
 * Float32Array and Float64Array runs ~40% slower everywhere (measured in bench/kernels.bench.ts). So the two
 * same-type cases dispatch to their own copies of the loop, which stay monomorphic; mixed types share a third.
 */
export function dot(x: FloatArray, y: FloatArray, n: number, xOff = 0, yOff = 0): number {
  if (x instanceof Float64Array && y instanceof Float64Array) return dot64(x, y, n, xOff, yOff);
  if (x instanceof Float32Array && y instanceof Float32Array) return dot32(x, y, n, xOff, yOff);
  return dotMixed(x, y, n, xOff, yOff);
}

function dot64(x: Float64Array, y: Float64Array, n: number, xOff: number, yOff: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    s0 += x[i]! * y[j]!;
    s1 += x[i + 1]! * y[j + 1]!;
    s2 += x[i + 2]! * y[j + 2]!;
    s3 += x[i + 3]! * y[j + 3]!;
  }
  for (; t < n; t++) s0 += x[xOff + t]! * y[yOff + t]!;
  return s0 + s1 + (s2 + s3);
}

function dot32(x: Float32Array, y: Float32Array, n: number, xOff: number, yOff: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    s0 += x[i]! * y[j]!;
    s1 += x[i + 1]! * y[j + 1]!;
    s2 += x[i + 2]! * y[j + 2]!;
    s3 += x[i + 3]! * y[j + 3]!;
  }
  for (; t < n; t++) s0 += x[xOff + t]! * y[yOff + t]!;
  return s0 + s1 + (s2 + s3);
}

function dotMixed(x: FloatArray, y: FloatArray, n: number, xOff: number, yOff: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    s0 += x[i]! * y[j]!;
    s1 += x[i + 1]! * y[j + 1]!;
    s2 += x[i + 2]! * y[j + 2]!;
    s3 += x[i + 3]! * y[j + 3]!;
  }
  for (; t < n; t++) s0 += x[xOff + t]! * y[yOff + t]!;
  return s0 + s1 + (s2 + s3);
}

/** `y[yOff + t] += alpha * x[xOff + t]` for t < n (in place on y). Same-type cases run their own monomorphic copy. */
export function axpy(alpha: number, x: FloatArray, y: FloatArray, n: number, xOff = 0, yOff = 0): void {
  if (x instanceof Float64Array && y instanceof Float64Array) axpy64(alpha, x, y, n, xOff, yOff);
  else if (x instanceof Float32Array && y instanceof Float32Array) axpy32(alpha, x, y, n, xOff, yOff);
  else axpyMixed(alpha, x, y, n, xOff, yOff);
}

function axpy64(alpha: number, x: Float64Array, y: Float64Array, n: number, xOff: number, yOff: number): void {
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    y[j] = y[j]! + alpha * x[i]!;
    y[j + 1] = y[j + 1]! + alpha * x[i + 1]!;
    y[j + 2] = y[j + 2]! + alpha * x[i + 2]!;
    y[j + 3] = y[j + 3]! + alpha * x[i + 3]!;
  }
  for (; t < n; t++) y[yOff + t] = y[yOff + t]! + alpha * x[xOff + t]!;
}

function axpy32(alpha: number, x: Float32Array, y: Float32Array, n: number, xOff: number, yOff: number): void {
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    y[j] = y[j]! + alpha * x[i]!;
    y[j + 1] = y[j + 1]! + alpha * x[i + 1]!;
    y[j + 2] = y[j + 2]! + alpha * x[i + 2]!;
    y[j + 3] = y[j + 3]! + alpha * x[i + 3]!;
  }
  for (; t < n; t++) y[yOff + t] = y[yOff + t]! + alpha * x[xOff + t]!;
}

function axpyMixed(alpha: number, x: FloatArray, y: FloatArray, n: number, xOff: number, yOff: number): void {
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t, j = yOff + t;
    y[j] = y[j]! + alpha * x[i]!;
    y[j + 1] = y[j + 1]! + alpha * x[i + 1]!;
    y[j + 2] = y[j + 2]! + alpha * x[i + 2]!;
    y[j + 3] = y[j + 3]! + alpha * x[i + 3]!;
  }
  for (; t < n; t++) y[yOff + t] = y[yOff + t]! + alpha * x[xOff + t]!;
}

/** `out[outOff + t] = alpha * x[xOff + t]` for t < n. `out` may be `x` itself (in-place scaling). */
export function scaledCopy(alpha: number, x: FloatArray, out: FloatArray, n: number, xOff = 0, outOff = 0): void {
  const n4 = n - (n & 3);
  let t = 0;
  for (; t < n4; t += 4) {
    const i = xOff + t;
    const j = outOff + t;
    out[j] = alpha * x[i]!;
    out[j + 1] = alpha * x[i + 1]!;
    out[j + 2] = alpha * x[i + 2]!;
    out[j + 3] = alpha * x[i + 3]!;
  }
  for (; t < n; t++) out[outOff + t] = alpha * x[xOff + t]!;
}
