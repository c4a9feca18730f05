import { alloc, type FloatArray, Param } from './param.js';

/**
 * Layer normalisation (Ba et al. 2016) over the last dimension: y = γ ⊙ (x - μ) / sqrt(σ² + ε) + β, per row.
 * Backward: dx = (1/σ) · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ ⊙ x̂)) with dx̂ = dy ⊙ γ. O(rows · dim).
 */
export class LayerNorm {
  readonly gamma: Param;
  readonly beta: Param;
  private xhat: FloatArray;
  private invStd: FloatArray;
  private y: FloatArray;
  private rows = 0;
  private readonly f64: boolean;

  constructor(name: string, readonly dim: number, f64 = false, readonly eps = 1e-6) {
    this.f64 = f64;
    this.gamma = new Param(`${name}.gamma`, 1, dim, false, f64).initConst(1);
    this.beta = new Param(`${name}.beta`, 1, dim, false, f64);
    this.xhat = alloc(f64, 0);
    this.invStd = alloc(f64, 0);
    this.y = alloc(f64, 0);
  }

  get params(): Param[] {
    return [this.gamma, this.beta];
  }

  /** Normalised rows (rows x dim); the buffer is reused by the next call. */
  forward(x: FloatArray, rows: number): FloatArray {
    const d = this.dim;
    if (this.y.length < rows * d) {
      this.xhat = alloc(this.f64, rows * d);
      this.invStd = alloc(this.f64, rows);
      this.y = alloc(this.f64, rows * d);
    }
    this.rows = rows;
    const g = this.gamma.data;
    const b = this.beta.data;
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let mu = 0;
      for (let c = 0; c < d; c++) mu += x[o + c]!;
      mu /= d;
      let v = 0;
      for (let c = 0; c < d; c++) v += (x[o + c]! - mu) * (x[o + c]! - mu);
      const inv = 1 / Math.sqrt(v / d + this.eps);
      this.invStd[r] = inv;
      for (let c = 0; c < d; c++) {
        const xh = (x[o + c]! - mu) * inv;
        this.xhat[o + c] = xh;
        this.y[o + c] = g[c]! * xh + b[c]!;
      }
    }
    return this.y;
  }

  /** Accumulates dγ, dβ; writes dx (may alias dy). */
  backward(dy: FloatArray, dx: FloatArray): void {
    const d = this.dim;
    const g = this.gamma.data;
    const gg = this.gamma.grad;
    const gb = this.beta.grad;
    for (let r = 0; r < this.rows; r++) {
      const o = r * d;
      let m1 = 0;
      let m2 = 0;
      for (let c = 0; c < d; c++) {
        const dxh = dy[o + c]! * g[c]!;
        m1 += dxh;
        m2 += dxh * this.xhat[o + c]!;
        gg[c] = gg[c]! + dy[o + c]! * this.xhat[o + c]!;
        gb[c] = gb[c]! + dy[o + c]!;
      }
      m1 /= d;
      m2 /= d;
      const inv = this.invStd[r]!;
      for (let c = 0; c < d; c++) dx[o + c] = inv * (dy[o + c]! * g[c]! - m1 - this.xhat[o + c]! * m2);
    }
  }
}
