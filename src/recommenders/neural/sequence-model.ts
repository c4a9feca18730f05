import type { ParamSpecs } from '../../core/params.js';
import type { Rng } from '../../core/rng.js';
import { NeuralModel } from './base.js';
import type { Adam } from './nn/adam.js';
import { type FloatArray, type Param } from './nn/param.js';
import { SoftmaxCrossEntropy } from './nn/softmax-ce.js';
import { type Sequences, type Windows, windowsOf } from './sequences.js';

/**
 * Base of next-item sequence models (GRU4Rec, SASRec) trained with full softmax cross-entropy over the catalog at
 * every position (Klenitskiy & Vasilev 2023). Sequences are cut into windows of `maxLen` inputs (left-padded with
 * -1, mask 0), the target at position t is the item at t + 1. Scoring reads the last `maxLen` items of a history and
 * scores every item against the last position's hidden state.
 */
export abstract class SequenceModel<S extends ParamSpecs> extends NeuralModel<S> {
  protected readonly ce = new SoftmaxCrossEntropy();
  protected optimizer: Adam | undefined;
  private windows: Windows | undefined;
  private windowsFor: Sequences | undefined;

  /** Maximum sequence length read by the model. */
  protected abstract get maxLen(): number;
  /** Item table the output scores are taken against (nItems x factors). */
  protected abstract outputItems(): Param;
  /** Hidden states (batch·T x factors) for item ids (batch·T, -1 = padding) and their mask. */
  protected abstract encode(ids: Int32Array, mask: Uint8Array, batch: number, steps: number): FloatArray;
  /** Backward pass of the last `encode` from dH (batch·T x factors). */
  protected abstract encodeBackward(dh: FloatArray): void;

  protected epochOn(train: Sequences, rng: Rng, _epoch: number): number {
    const T = this.maxLen;
    const d = this.common.factors;
    if (this.windowsFor !== train || this.windows === undefined) {
      this.windows = windowsOf(train, T);
      this.windowsFor = train;
    }
    const w = this.windows;
    const nW = w.user.length;
    const B = this.common.batchSize;
    const perm = rng.permutation(nW);
    const ids = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Uint8Array(B * T);
    const dh = new Float32Array(B * T * d);
    const out = this.outputItems();
    let lossSum = 0;
    let count = 0;
    for (let b0 = 0; b0 < nW; b0 += B) {
      const nb = Math.min(B, nW - b0);
      ids.fill(-1);
      targets.fill(-1);
      mask.fill(0);
      let valid = 0;
      for (let b = 0; b < nb; b++) {
        const win = perm[b0 + b]!;
        const s = w.start[win]!;
        const e = w.end[win]!;
        const nIn = e - s - 1;
        const off = b * T + (T - nIn);
        for (let q = 0; q < nIn; q++) {
          ids[off + q] = train.items[s + q]!;
          targets[off + q] = train.items[s + q + 1]!;
          mask[off + q] = 1;
        }
        valid += nIn;
      }
      const h = this.encode(ids, mask, nb, T);
      lossSum += this.ce.forwardBackward(h, nb * T, out, targets, dh, 1 / valid);
      count += valid;
      this.encodeBackward(dh);
      this.optimizer!.step();
    }
    return lossSum / Math.max(1, count);
  }

  protected scoreSequence(_u: number, items: Int32Array, out: Float32Array): void {
    const T = this.maxLen;
    const d = this.common.factors;
    const ids = new Int32Array(T).fill(-1);
    const mask = new Uint8Array(T);
    const n = Math.min(T, items.length);
    for (let q = 0; q < n; q++) {
      ids[T - n + q] = items[items.length - n + q]!;
      mask[T - n + q] = 1;
    }
    const h = this.encode(ids, mask, 1, T);
    const e = this.outputItems().data;
    const last = (T - 1) * d;
    for (let i = 0; i < this.nItems; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += e[i * d + c]! * h[last + c]!;
      out[i] = s;
    }
  }
}
