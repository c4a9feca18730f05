import type { FloatArray } from './param.js';

/**
 * Small dense helpers the layers share, beside src/core/kernels gemm: the transposed-A product used for weight
 * gradients, and the activations with their derivatives written in terms of the output.
 */

/** `C (k x n) += A^T · B` with A m x k and B m x n, row-major. O(m·k·n); skips zero entries of A (ReLU outputs). */
export function addATB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  for (let r = 0; r < m; r++) {
    const aOff = r * k;
    const bOff = r * n;
    for (let i = 0; i < k; i++) {
      const x = a[aOff + i]!;
      if (x === 0) continue;
      const cOff = i * n;
      for (let j = 0; j < n; j++) c[cOff + j] = c[cOff + j]! + x * b[bOff + j]!;
    }
  }
}

/** Activation functions of {@link Dense}. */
export type Activation = 'none' | 'relu' | 'tanh' | 'sigmoid';

/** Applies `act` in place on the first n entries. */
export function activate(act: Activation, y: FloatArray, n: number): void {
  switch (act) {
    case 'relu':
      for (let k = 0; k < n; k++) if (y[k]! < 0) y[k] = 0;
      return;
    case 'tanh':
      for (let k = 0; k < n; k++) y[k] = Math.tanh(y[k]!);
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) y[k] = sigmoid(y[k]!);
      return;
    default:
      return;
  }
}

/** `dz = dy · act'(.)` given the activation's output y, written into dz. */
export function activationBackward(act: Activation, y: FloatArray, dy: FloatArray, dz: FloatArray, n: number): void {
  switch (act) {
    case 'relu':
      for (let k = 0; k < n; k++) dz[k] = y[k]! > 0 ? dy[k]! : 0;
      return;
    case 'tanh':
      for (let k = 0; k < n; k++) dz[k] = dy[k]! * (1 - y[k]! * y[k]!);
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) dz[k] = dy[k]! * y[k]! * (1 - y[k]!);
      return;
    default:
      for (let k = 0; k < n; k++) dz[k] = dy[k]!;
  }
}

/** Numerically safe logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
