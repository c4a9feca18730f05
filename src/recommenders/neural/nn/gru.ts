import { gemm } from '../../../core/kernels/gemm.js';
import type { Rng } from '../../../core/rng.js';
import { addATB, sigmoid } from './ops.js';
import { alloc, type FloatArray, Param } from './param.js';

/**
 * A GRU layer over batches of sequences (Cho et al. 2014, the cell of GRU4Rec, Hidasi et al. 2016), in the form
 * z = σ(x·Wz + h·Uz + bz), r = σ(x·Wr + h·Ur + br), n = tanh(x·Wn + bn + r ⊙ (h·Un + cn)), h' = (1 - z) ⊙ n + z ⊙ h.
 * Layout: sequence b, step t is row b·T + t of X (in) and of the output H (hidden); steps with mask 0 (left
 * padding) copy the previous state. Gates are stored z | r | n in 3·hidden columns. Backward is backpropagation
 * through time over the whole window. Cost O(B·T·hidden·(in + hidden)) per pass.
 */
export class Gru {
  readonly wx: Param;
  readonly uh: Param;
  readonly bx: Param;
  readonly bh: Param;
  private x: FloatArray;
  private mask: Uint8Array = new Uint8Array(0);
  private b = 0;
  private t = 0;
  private gx: FloatArray;
  private gh: FloatArray;
  private gates: FloatArray;
  private h: FloatArray;
  private readonly f64: boolean;

  constructor(name: string, readonly inDim: number, readonly hidden: number, rng: Rng, f64 = false) {
    this.f64 = f64;
    this.wx = new Param(`${name}.Wx`, inDim, 3 * hidden, false, f64).initGlorot(rng);
    this.uh = new Param(`${name}.Uh`, hidden, 3 * hidden, false, f64).initGlorot(rng);
    this.bx = new Param(`${name}.bx`, 1, 3 * hidden, false, f64);
    this.bh = new Param(`${name}.bh`, 1, 3 * hidden, false, f64);
    this.x = alloc(f64, 0);
    this.gx = alloc(f64, 0);
    this.gh = alloc(f64, 0);
    this.gates = alloc(f64, 0);
    this.h = alloc(f64, 0);
  }

  get params(): Param[] {
    return [this.wx, this.uh, this.bx, this.bh];
  }

  /** Hidden states (B·T x hidden) for inputs X (B·T x in); the buffer is reused by the next call. */
  forward(x: FloatArray, batch: number, steps: number, mask: Uint8Array): FloatArray {
    const H = this.hidden;
    const G = 3 * H;
    const rows = batch * steps;
    if (this.h.length < rows * H) {
      this.gx = alloc(this.f64, rows * G);
      this.gh = alloc(this.f64, rows * G);
      this.gates = alloc(this.f64, rows * G);
      this.h = alloc(this.f64, rows * H);
    }
    this.x = x;
    this.mask = mask;
    this.b = batch;
    this.t = steps;
    const gx = this.gx;
    const gh = this.gh;
    const gates = this.gates;
    const h = this.h;
    const uh = this.uh.data;
    const bh = this.bh.data;
    const bx = this.bx.data;
    gemm(x, this.wx.data, gx, rows, this.inDim, G);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < steps; t++) {
        const row = b * steps + t;
        const prev = t > 0 ? row - 1 : -1;
        if (mask[row] === 0) {
          for (let j = 0; j < H; j++) h[row * H + j] = prev < 0 ? 0 : h[prev * H + j]!;
          continue;
        }
        const go = row * G;
        for (let j = 0; j < G; j++) gh[go + j] = bh[j]!;
        if (prev >= 0) {
          for (let i = 0; i < H; i++) {
            const hi = h[prev * H + i]!;
            if (hi === 0) continue;
            for (let j = 0; j < G; j++) gh[go + j] = gh[go + j]! + hi * uh[i * G + j]!;
          }
        }
        for (let j = 0; j < H; j++) {
          const z = sigmoid(gx[go + j]! + bx[j]! + gh[go + j]!);
          const r = sigmoid(gx[go + H + j]! + bx[H + j]! + gh[go + H + j]!);
          const n = Math.tanh(gx[go + 2 * H + j]! + bx[2 * H + j]! + r * gh[go + 2 * H + j]!);
          gates[go + j] = z;
          gates[go + H + j] = r;
          gates[go + 2 * H + j] = n;
          const hp = prev >= 0 ? h[prev * H + j]! : 0;
          h[row * H + j] = (1 - z) * n + z * hp;
        }
      }
    }
    return h;
  }

  /** Accumulates parameter gradients from dH (B·T x hidden); writes dX (B·T x in) when given. */
  backward(dH: FloatArray, dx?: FloatArray): void {
    const H = this.hidden;
    const G = 3 * H;
    const { b: batch, t: steps, mask, gh, gates, h } = this;
    const rows = batch * steps;
    const dgx = alloc(this.f64, rows * G);
    const dgh = alloc(this.f64, G);
    const carry = alloc(this.f64, H);
    const uh = this.uh.data;
    const guh = this.uh.grad;
    const gbh = this.bh.grad;
    for (let b = 0; b < batch; b++) {
      carry.fill(0);
      for (let t = steps - 1; t >= 0; t--) {
        const row = b * steps + t;
        const prev = t > 0 ? row - 1 : -1;
        if (mask[row] === 0) {
          for (let j = 0; j < H; j++) carry[j] = carry[j]! + dH[row * H + j]!;
          continue;
        }
        const go = row * G;
        for (let j = 0; j < H; j++) {
          const dh = dH[row * H + j]! + carry[j]!;
          const z = gates[go + j]!;
          const r = gates[go + H + j]!;
          const n = gates[go + 2 * H + j]!;
          const hp = prev >= 0 ? h[prev * H + j]! : 0;
          const dn = dh * (1 - z);
          const dz = dh * (hp - n);
          const dan = dn * (1 - n * n);
          const dr = dan * gh[go + 2 * H + j]!;
          const daz = dz * z * (1 - z);
          const dar = dr * r * (1 - r);
          dgx[go + j] = daz;
          dgx[go + H + j] = dar;
          dgx[go + 2 * H + j] = dan;
          dgh[j] = daz;
          dgh[H + j] = dar;
          dgh[2 * H + j] = dan * r;
          carry[j] = dh * z;
        }
        for (let j = 0; j < G; j++) gbh[j] = gbh[j]! + dgh[j]!;
        if (prev >= 0) {
          for (let i = 0; i < H; i++) {
            const hi = h[prev * H + i]!;
            let acc = 0;
            for (let j = 0; j < G; j++) {
              acc += uh[i * G + j]! * dgh[j]!;
              guh[i * G + j] = guh[i * G + j]! + hi * dgh[j]!;
            }
            carry[i] = carry[i]! + acc;
          }
        }
      }
    }
    addATB(this.x, dgx, this.wx.grad, rows, this.inDim, G);
    const gbx = this.bx.grad;
    for (let r = 0; r < rows; r++) for (let j = 0; j < G; j++) gbx[j] = gbx[j]! + dgx[r * G + j]!;
    if (dx !== undefined) gemm(dgx, this.wx.data, dx, rows, G, this.inDim, { transB: true });
  }
}
