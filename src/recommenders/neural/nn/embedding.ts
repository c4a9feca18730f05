import type { Rng } from '../../../core/rng.js';
import { type FloatArray, Param } from './param.js';

/**
 * Embedding lookup `out[r] = E[ids[r]]` (ids < 0 give a zero row: padding). The backward pass scatter-adds the
 * output gradient into the touched rows only (sparse gradient), O(rows · dim).
 */
export class Embedding {
  readonly weight: Param;

  constructor(name: string, count: number, readonly dim: number, rng: Rng, opts: { std?: number; f64?: boolean; sparse?: boolean } = {}) {
    this.weight = new Param(name, count, dim, opts.sparse ?? true, opts.f64 ?? false).initNormal(rng, opts.std ?? 0.05);
  }

  /** Writes the rows of `ids` into `out` (ids.length x dim). */
  forward(ids: Int32Array, out: FloatArray): void {
    const d = this.dim;
    const w = this.weight.data;
    for (let r = 0; r < ids.length; r++) {
      const i = ids[r]!;
      if (i < 0) out.fill(0, r * d, r * d + d);
      else for (let c = 0; c < d; c++) out[r * d + c] = w[i * d + c]!;
    }
  }

  /** Adds `dOut` (ids.length x dim) into the gradient rows of `ids`. */
  backward(ids: Int32Array, dOut: FloatArray): void {
    const d = this.dim;
    const p = this.weight;
    const g = p.grad;
    for (let r = 0; r < ids.length; r++) {
      const i = ids[r]!;
      if (i < 0) continue;
      if (p.sparse) p.touch(i);
      for (let c = 0; c < d; c++) g[i * d + c] = g[i * d + c]! + dOut[r * d + c]!;
    }
  }
}
