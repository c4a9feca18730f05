import type { Artifact } from '../../core/artifact.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import { COMMON_SPECS, type EmbeddingMatrix } from './base.js';
import { Adam } from './nn/adam.js';
import { Embedding } from './nn/embedding.js';
import { Gru } from './nn/gru.js';
import { type FloatArray, Param } from './nn/param.js';
import { SequenceModel } from './sequence-model.js';

const GRU4REC_SPECS = {
  ...COMMON_SPECS,
  maxLen: { type: 'integer', default: 50, min: 1, max: 1024, doc: 'maximum sequence length read (most recent items)' },
} as const satisfies ParamSpecs;

type Gru4RecParams = ParamsOf<typeof GRU4REC_SPECS>;

/**
 * GRU4Rec (Hidasi et al. 2016) with an item-embedding input, one GRU layer of `factors` units and an output item
 * table; the next item's score is the dot product of the GRU state with its output embedding. Trained over
 * windows of `maxLen` steps with backpropagation through time and full softmax cross-entropy at every step
 * (Klenitskiy & Vasilev 2023) instead of the paper's session-parallel sampled losses.
 */
export class Gru4RecModel extends SequenceModel<typeof GRU4REC_SPECS> {
  readonly algorithm: string = 'gru4rec';
  static readonly specs = GRU4REC_SPECS;
  private input: Embedding | undefined;
  private gru: Gru | undefined;
  private output = new Param('out', 0, 0, false);
  private x = new Float32Array(0);
  private ids: Int32Array = new Int32Array(0);
  private rows = 0;

  constructor(params?: Partial<Gru4RecParams>) {
    super(GRU4REC_SPECS, 'Gru4RecModel', params);
  }

  protected get maxLen(): number {
    return this.params.maxLen;
  }

  protected build(_nUsers: number, nItems: number, rng: Rng): void {
    const d = this.params.factors;
    const init = new Rng(deriveSeed(Math.floor(rng.float() * 2 ** 31), 2));
    this.input = new Embedding('in', nItems, d, init, { std: 1 / Math.sqrt(d) });
    this.gru = new Gru('gru', d, d, init);
    this.output = new Param('out', nItems, d, false).initNormal(init, 1 / Math.sqrt(d));
    this.optimizer = new Adam(this.trainable(), { learningRate: this.params.learningRate, regularization: this.params.regularization });
  }

  protected trainable(): Param[] {
    return [this.input!.weight, ...this.gru!.params, this.output];
  }

  protected outputItems(): Param {
    return this.output;
  }

  protected encode(ids: Int32Array, mask: Uint8Array, batch: number, steps: number): FloatArray {
    const d = this.params.factors;
    const rows = batch * steps;
    if (this.x.length < rows * d) this.x = new Float32Array(rows * d);
    this.ids = ids;
    this.rows = rows;
    this.input!.forward(ids.subarray(0, rows), this.x);
    return this.gru!.forward(this.x, batch, steps, mask);
  }

  protected encodeBackward(dh: FloatArray): void {
    const dx = new Float32Array(this.rows * this.params.factors);
    this.gru!.backward(dh, dx);
    this.input!.backward(this.ids.subarray(0, this.rows), dx);
  }

  itemEmbeddings(): EmbeddingMatrix {
    this.requireFitted();
    return { data: Float32Array.from(this.output.data), rows: this.output.rows, cols: this.output.cols };
  }

  static fromArtifact(a: Artifact): Gru4RecModel {
    const m = new Gru4RecModel(a.meta.params as Partial<Gru4RecParams>);
    m.restoreNeural(a);
    return m;
  }
}
