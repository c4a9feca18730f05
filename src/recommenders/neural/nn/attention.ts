import type { Rng } from '../../../core/rng.js';
import { Dense } from './dense.js';
import { alloc, type FloatArray, type Param } from './param.js';

/**
 * Single-head causal self-attention (Vaswani et al. 2017, as in SASRec, Kang & McAuley 2018): Q = x·Wq, K = x·Wk,
 * V = x·Wv; for sequence b, query t attends to keys s <= t whose mask is 1 (left padding has mask 0) with weights
 * softmax(q_t·k_s / sqrt(d)); out_t = Σ_s p_ts v_s. Rows without any visible key (padding queries) output zero.
 * Layout: row b·T + t. Cost O(B·T²·d) for the attention plus three d x d projections.
 */
export class CausalSelfAttention {
  readonly q: Dense;
  readonly k: Dense;
  readonly v: Dense;
  private p: FloatArray;
  private out: FloatArray;
  private qv: FloatArray;
  private kv: FloatArray;
  private vv: FloatArray;
  private mask: Uint8Array = new Uint8Array(0);
  private b = 0;
  private t = 0;
  private readonly f64: boolean;

  constructor(name: string, readonly dim: number, rng: Rng, f64 = false) {
    this.f64 = f64;
    this.q = new Dense(`${name}.q`, dim, dim, 'none', rng, f64);
    this.k = new Dense(`${name}.k`, dim, dim, 'none', rng, f64);
    this.v = new Dense(`${name}.v`, dim, dim, 'none', rng, f64);
    this.p = alloc(f64, 0);
    this.out = alloc(f64, 0);
    this.qv = alloc(f64, 0);
    this.kv = alloc(f64, 0);
    this.vv = alloc(f64, 0);
  }

  get params(): Param[] {
    return [...this.q.params, ...this.k.params, ...this.v.params];
  }

  /** Attention output (B·T x d); the buffer is reused by the next call. */
  forward(x: FloatArray, batch: number, steps: number, mask: Uint8Array): FloatArray {
    const d = this.dim;
    const T = steps;
    const rows = batch * T;
    if (this.out.length < rows * d) this.out = alloc(this.f64, rows * d);
    if (this.p.length < batch * T * T) this.p = alloc(this.f64, batch * T * T);
    this.b = batch;
    this.t = T;
    this.mask = mask;
    const q = (this.qv = this.q.forward(x, rows));
    const k = (this.kv = this.k.forward(x, rows));
    const v = (this.vv = this.v.forward(x, rows));
    const p = this.p;
    const out = this.out;
    const scale = 1 / Math.sqrt(d);
    out.fill(0, 0, rows * d);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < T; t++) {
        const qr = b * T + t;
        const po = (b * T + t) * T;
        p.fill(0, po, po + T);
        if (mask[qr] === 0) continue;
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          const kr = b * T + s;
          if (mask[kr] === 0) continue;
          let dot = 0;
          for (let c = 0; c < d; c++) dot += q[qr * d + c]! * k[kr * d + c]!;
          dot *= scale;
          p[po + s] = dot;
          if (dot > max) max = dot;
        }
        let z = 0;
        for (let s = 0; s <= t; s++) {
          if (mask[b * T + s] === 0) continue;
          const e = Math.exp(p[po + s]! - max);
          p[po + s] = e;
          z += e;
        }
        for (let s = 0; s <= t; s++) {
          if (mask[b * T + s] === 0) continue;
          const w = p[po + s]! / z;
          p[po + s] = w;
          const vr = (b * T + s) * d;
          for (let c = 0; c < d; c++) out[qr * d + c] = out[qr * d + c]! + w * v[vr + c]!;
        }
      }
    }
    return out;
  }

  /** Accumulates the projections' gradients from dOut; writes dx (B·T x d). */
  backward(dOut: FloatArray, dx: FloatArray): void {
    const d = this.dim;
    const T = this.t;
    const rows = this.b * T;
    const { p, qv: q, kv: k, vv: v, mask } = this;
    const dq = alloc(this.f64, rows * d);
    const dk = alloc(this.f64, rows * d);
    const dv = alloc(this.f64, rows * d);
    const dp = alloc(this.f64, T);
    const scale = 1 / Math.sqrt(d);
    for (let b = 0; b < this.b; b++) {
      for (let t = 0; t < T; t++) {
        const qr = b * T + t;
        if (mask[qr] === 0) continue;
        const po = qr * T;
        let sum = 0;
        for (let s = 0; s <= t; s++) {
          const w = p[po + s]!;
          if (w === 0) {
            dp[s] = 0;
            continue;
          }
          const vr = (b * T + s) * d;
          let acc = 0;
          for (let c = 0; c < d; c++) {
            acc += dOut[qr * d + c]! * v[vr + c]!;
            dv[vr + c] = dv[vr + c]! + w * dOut[qr * d + c]!;
          }
          dp[s] = acc;
          sum += w * acc;
        }
        for (let s = 0; s <= t; s++) {
          const w = p[po + s]!;
          if (w === 0) continue;
          const dl = w * (dp[s]! - sum) * scale;
          const kr = (b * T + s) * d;
          for (let c = 0; c < d; c++) {
            dq[qr * d + c] = dq[qr * d + c]! + dl * k[kr + c]!;
            dk[kr + c] = dk[kr + c]! + dl * q[qr * d + c]!;
          }
        }
      }
    }
    const tmp = alloc(this.f64, rows * d);
    this.q.backward(dq, dx);
    this.k.backward(dk, tmp);
    for (let j = 0; j < rows * d; j++) dx[j] = dx[j]! + tmp[j]!;
    this.v.backward(dv, tmp);
    for (let j = 0; j < rows * d; j++) dx[j] = dx[j]! + tmp[j]!;
  }
}
