import { Rng } from '../core/rng.js';
import type { Matrix } from './matrix.js';

/**
 * Small seeded synthetic data sets for tests and examples: Gaussian features, a target from a known rule.
 * `binary`: y = 1 when x0 - x1 + 0.5 x2 x3 + noise > 0; `regression`: y = 2 x0 - x1 + sin(2 x2) + noise;
 * `multiclass`: three classes by thresholds on x0 + x1. `missing` sets that fraction of x0 to NaN.
 */
export function syntheticTabular(kind: 'binary' | 'regression' | 'multiclass', n: number, d: number, seed: number, missing = 0): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = rng.normal();
    const a = x[i * d];
    const b = d > 1 ? x[i * d + 1] : 0;
    const c = d > 3 ? x[i * d + 2] * x[i * d + 3] : 0;
    const e = rng.normal() * 0.5;
    if (kind === 'binary') y[i] = a - b + 0.5 * c + e > 0 ? 1 : 0;
    else if (kind === 'regression') y[i] = 2 * a - b + Math.sin(2 * (d > 2 ? x[i * d + 2] : 0)) + e * 0.2;
    else {
      const s = a + b + e;
      y[i] = s < -0.7 ? 0 : s < 0.7 ? 1 : 2;
    }
    if (missing > 0 && rng.float() < missing) x[i * d] = NaN;
  }
  return { X: { data: x, rows: n, cols: d }, y };
}
