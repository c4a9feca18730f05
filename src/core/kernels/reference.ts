import type { FloatArray } from './types.js';

/**
 * Plain reference twins of the fast kernels, written for clarity, not speed. Tests compare each kernel against
 * its twin on random data; the benchmark uses {@link gemmReference} as the naive baseline.
 */

export function dotReference(x: FloatArray, y: FloatArray, n: number, xOff = 0, yOff = 0): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += x[xOff + t]! * y[yOff + t]!;
  return s;
}

export function axpyReference(alpha: number, x: FloatArray, y: FloatArray, n: number, xOff = 0, yOff = 0): void {
  for (let t = 0; t < n; t++) y[yOff + t] = y[yOff + t]! + alpha * x[xOff + t]!;
}

export function scaledCopyReference(alpha: number, x: FloatArray, out: FloatArray, n: number, xOff = 0, outOff = 0): void {
  for (let t = 0; t < n; t++) out[outOff + t] = alpha * x[xOff + t]!;
}

/** Naive triple loop `C = alpha A op(B) + beta C` (same conventions as gemm). */
export function gemmReference(
  a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number,
  opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
): void {
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (opts.transA ? a[p * m + i]! : a[i * k + p]!) * (opts.transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]!);
    }
  }
}

/** Naive `y = alpha op(A) x + beta y`, A row-major m x n (same conventions as gemv). */
export function gemvReference(a: FloatArray, x: FloatArray, y: FloatArray, m: number, n: number, opts: { trans?: boolean; alpha?: number; beta?: number } = {}): void {
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  const rows = opts.trans ? n : m;
  const cols = opts.trans ? m : n;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let q = 0; q < cols; q++) s += (opts.trans ? a[q * n + r]! : a[r * n + q]!) * x[q]!;
    y[r] = alpha * s + (beta === 0 ? 0 : beta * y[r]!);
  }
}

/**
 * Solves a general dense system `a x = b` by Gaussian elimination with partial pivoting (a and b are copied):
 * the reference for the Cholesky and conjugate-gradient solvers. Returns NaNs for a singular matrix.
 */
export function solveReference(a: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const m = Float64Array.from({ length: n * n }, (_, t) => a[t]!);
  const x = Float64Array.from({ length: n }, (_, t) => b[t]!);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[piv * n + col]!)) piv = r;
    if (piv !== col) {
      for (let t = 0; t < n; t++) {
        const tmp = m[col * n + t]!;
        m[col * n + t] = m[piv * n + t]!;
        m[piv * n + t] = tmp;
      }
      const tb = x[col]!;
      x[col] = x[piv]!;
      x[piv] = tb;
    }
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col]! / m[col * n + col]!;
      for (let t = col; t < n; t++) m[r * n + t] = m[r * n + t]! - f * m[col * n + t]!;
      x[r] = x[r]! - f * x[col]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let t = r + 1; t < n; t++) s -= m[r * n + t]! * x[t]!;
    x[r] = s / m[r * n + r]!;
  }
  return x;
}
