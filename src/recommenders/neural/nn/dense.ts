import { gemm } from '../../../core/kernels/gemm.js';
import type { Rng } from '../../../core/rng.js';
import { type Activation, activate, activationBackward, addATB } from './ops.js';
import { alloc, type FloatArray, Param } from './param.js';

/**
 * Fully connected layer `y = act(x · W + b)`, W stored in x out (row-major), x batch x in. Forward and the input
 * gradient use the blocked gemm of src/core/kernels; the weight gradient is `x^T · dz`. The layer keeps a reference
 * to its last input and its output for the backward pass (call forward, then backward, once per batch).
 */
export class Dense {
  readonly weight: Param;
  readonly bias: Param;
  private x: FloatArray;
  private y: FloatArray;
  private dz: FloatArray;
  private batch = 0;
  private readonly f64: boolean;

  constructor(name: string, readonly inDim: number, readonly outDim: number, readonly act: Activation, rng: Rng, f64 = false) {
    this.f64 = f64;
    this.weight = new Param(`${name}.W`, inDim, outDim, false, f64).initGlorot(rng);
    this.bias = new Param(`${name}.b`, 1, outDim, false, f64);
    this.x = alloc(f64, 0);
    this.y = alloc(f64, 0);
    this.dz = alloc(f64, 0);
  }

  get params(): Param[] {
    return [this.weight, this.bias];
  }

  /** y (batch x out) for x (batch x in). The returned buffer is owned by the layer and reused by the next call. */
  forward(x: FloatArray, batch: number): FloatArray {
    const n = batch * this.outDim;
    if (this.y.length < n) {
      this.y = alloc(this.f64, n);
      this.dz = alloc(this.f64, n);
    }
    this.x = x;
    this.batch = batch;
    const y = this.y;
    gemm(x, this.weight.data, y, batch, this.inDim, this.outDim);
    const b = this.bias.data;
    const o = this.outDim;
    for (let r = 0; r < batch; r++) for (let j = 0; j < o; j++) y[r * o + j] = y[r * o + j]! + b[j]!;
    activate(this.act, y, n);
    return y;
  }

  /** Accumulates dW, db from dy (batch x out); writes dx (batch x in) when given (it may not alias dy). */
  backward(dy: FloatArray, dx?: FloatArray): void {
    const batch = this.batch;
    const o = this.outDim;
    const dz = this.dz;
    activationBackward(this.act, this.y, dy, dz, batch * o);
    addATB(this.x, dz, this.weight.grad, batch, this.inDim, o);
    const gb = this.bias.grad;
    for (let r = 0; r < batch; r++) for (let j = 0; j < o; j++) gb[j] = gb[j]! + dz[r * o + j]!;
    if (dx !== undefined) gemm(dz, this.weight.data, dx, batch, o, this.inDim, { transB: true });
  }
}
