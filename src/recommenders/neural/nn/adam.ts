import { InvalidArgumentError } from '../../../core/errors.js';
import type { Param } from './param.js';

/** Options of {@link Adam}. */
export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 penalty added to the gradient (coupled weight decay), applied only to rows that are updated. */
  regularization?: number;
}

/**
 * Adam (Kingma & Ba 2015). Dense params update every element each step; sparse params (embedding tables) update only
 * the rows touched since the last step, with their moments ("lazy Adam", as TF's LazyAdamOptimizer): the bias
 * correction uses the global step count. Moments are float32 (float64 when the param is). After `step` every
 * gradient is cleared.
 */
export class Adam {
  private readonly m: Map<Param, Float32Array | Float64Array> = new Map();
  private readonly v: Map<Param, Float32Array | Float64Array> = new Map();
  private t = 0;
  readonly learningRate: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly l2: number;

  constructor(
    readonly params: readonly Param[],
    opts: AdamOptions,
  ) {
    if (!(opts.learningRate > 0)) throw new InvalidArgumentError(`Adam: learningRate must be > 0, got ${opts.learningRate}`);
    this.learningRate = opts.learningRate;
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.epsilon ?? 1e-8;
    this.l2 = opts.regularization ?? 0;
    for (const p of params) {
      const mk = (): Float32Array | Float64Array => (p.data instanceof Float64Array ? new Float64Array(p.size) : new Float32Array(p.size));
      this.m.set(p, mk());
      this.v.set(p, mk());
    }
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One update of every param from its accumulated gradient, then clears the gradients. */
  step(): void {
    this.t++;
    const lr = (this.learningRate * Math.sqrt(1 - Math.pow(this.b2, this.t))) / (1 - Math.pow(this.b1, this.t));
    for (const p of this.params) {
      const m = this.m.get(p)!;
      const v = this.v.get(p)!;
      if (p.sparse) {
        const c = p.cols;
        for (let t = 0; t < p.nTouched; t++) {
          const r = p.touchedRows[t]!;
          this.update(p, m, v, r * c, r * c + c, lr);
        }
      } else {
        this.update(p, m, v, 0, p.size, lr);
      }
      p.zeroGrad();
    }
  }

  private update(p: Param, m: Float32Array | Float64Array, v: Float32Array | Float64Array, from: number, to: number, lr: number): void {
    const w = p.data;
    const g = p.grad;
    const b1 = this.b1;
    const b2 = this.b2;
    const eps = this.eps;
    const l2 = this.l2;
    for (let k = from; k < to; k++) {
      const gk = g[k]! + l2 * w[k]!;
      const mk = b1 * m[k]! + (1 - b1) * gk;
      const vk = b2 * v[k]! + (1 - b2) * gk * gk;
      m[k] = mk;
      v[k] = vk;
      w[k] = w[k]! - (lr * mk) / (Math.sqrt(vk) + eps);
    }
  }
}
