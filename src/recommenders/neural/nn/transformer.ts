import type { Rng } from '../../../core/rng.js';
import { CausalSelfAttention } from './attention.js';
import { Dense } from './dense.js';
import { LayerNorm } from './layer-norm.js';
import { alloc, type FloatArray, type Param } from './param.js';

/**
 * One pre-norm transformer block as in SASRec implementations: y1 = x + Attn(LN1(x)); y = y1 + W2·ReLU(W1·LN2(y1));
 * padding rows (mask 0) are zeroed on output. Layout row b·T + t, width d.
 */
export class TransformerBlock {
  readonly ln1: LayerNorm;
  readonly attn: CausalSelfAttention;
  readonly ln2: LayerNorm;
  readonly ff1: Dense;
  readonly ff2: Dense;
  private y: FloatArray;
  private mask: Uint8Array = new Uint8Array(0);
  private rows = 0;
  private readonly f64: boolean;

  constructor(name: string, readonly dim: number, rng: Rng, f64 = false) {
    this.f64 = f64;
    this.ln1 = new LayerNorm(`${name}.ln1`, dim, f64);
    this.attn = new CausalSelfAttention(`${name}.attn`, dim, rng, f64);
    this.ln2 = new LayerNorm(`${name}.ln2`, dim, f64);
    this.ff1 = new Dense(`${name}.ff1`, dim, dim, 'relu', rng, f64);
    this.ff2 = new Dense(`${name}.ff2`, dim, dim, 'none', rng, f64);
    this.y = alloc(f64, 0);
  }

  get params(): Param[] {
    return [...this.ln1.params, ...this.attn.params, ...this.ln2.params, ...this.ff1.params, ...this.ff2.params];
  }

  /** Block output (B·T x d); the buffer is reused by the next call. */
  forward(x: FloatArray, batch: number, steps: number, mask: Uint8Array): FloatArray {
    const d = this.dim;
    const rows = batch * steps;
    this.rows = rows;
    this.mask = mask;
    if (this.y.length < rows * d) this.y = alloc(this.f64, rows * d);
    const y = this.y;
    const a = this.attn.forward(this.ln1.forward(x, rows), batch, steps, mask);
    for (let j = 0; j < rows * d; j++) y[j] = x[j]! + a[j]!;
    const f = this.ff2.forward(this.ff1.forward(this.ln2.forward(y, rows), rows), rows);
    for (let r = 0; r < rows; r++) {
      const keep = mask[r] === 1;
      for (let c = 0; c < d; c++) y[r * d + c] = keep ? y[r * d + c]! + f[r * d + c]! : 0;
    }
    return y;
  }

  /** Accumulates every sub-layer's gradients from dy; writes dx (B·T x d). */
  backward(dy: FloatArray, dx: FloatArray): void {
    const d = this.dim;
    const n = this.rows * d;
    const g = alloc(this.f64, n);
    for (let r = 0; r < this.rows; r++) if (this.mask[r] === 1) for (let c = 0; c < d; c++) g[r * d + c] = dy[r * d + c]!;
    const t1 = alloc(this.f64, n);
    const t2 = alloc(this.f64, n);
    this.ff2.backward(g, t1);
    this.ff1.backward(t1, t2);
    this.ln2.backward(t2, t2);
    for (let j = 0; j < n; j++) g[j] = g[j]! + t2[j]!; // gradient at y1
    this.attn.backward(g, t1);
    this.ln1.backward(t1, t1);
    for (let j = 0; j < n; j++) dx[j] = g[j]! + t1[j]!;
  }
}
