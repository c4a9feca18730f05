import type { FloatArray } from './param.js';

/**
 * Test support: the largest relative error between an analytic gradient and central finite differences
 * (f(x + eps) - f(x - eps)) / 2eps over every entry of `x` (or the first `limit` entries), with the float64 path.
 * Relative error is |a - n| / (|a| + |n| + 1e-4): the 1e-4 floor keeps gradients that are zero in exact arithmetic (a key bias under softmax) from turning rounding noise into a large ratio.
 */
export function maxGradError(x: FloatArray, analytic: ArrayLike<number>, loss: () => number, eps = 1e-5, limit = Infinity): number {
  let worst = 0;
  const n = Math.min(x.length, limit);
  for (let k = 0; k < n; k++) {
    const old = x[k]!;
    x[k] = old + eps;
    const up = loss();
    x[k] = old - eps;
    const down = loss();
    x[k] = old;
    const num = (up - down) / (2 * eps);
    const a = analytic[k]!;
    const rel = Math.abs(a - num) / (Math.abs(a) + Math.abs(num) + 1e-4);
    if (rel > worst) worst = rel;
  }
  return worst;
}

/** Σ y ⊙ r over n entries: a scalar loss whose gradient with respect to y is r. */
export function weightedSum(y: FloatArray, r: FloatArray, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += y[k]! * r[k]!;
  return s;
}
