import type { Artifact } from '../../core/artifact.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import { COMMON_SPECS, type EmbeddingMatrix } from './base.js';
import { Adam } from './nn/adam.js';
import { LayerNorm } from './nn/layer-norm.js';
import { type FloatArray, Param } from './nn/param.js';
import { TransformerBlock } from './nn/transformer.js';
import { SequenceModel } from './sequence-model.js';

const SASREC_SPECS = {
  ...COMMON_SPECS,
  maxLen: { type: 'integer', default: 50, min: 1, max: 1024, doc: 'maximum sequence length read (most recent items)' },
  blocks: { type: 'integer', default: 2, min: 1, max: 8, doc: 'transformer blocks' },
} as const satisfies ParamSpecs;

type SasRecParams = ParamsOf<typeof SASREC_SPECS>;

/**
 * SASRec (Kang & McAuley 2018): item + learned positional embeddings, `blocks` pre-norm causal self-attention blocks
 * (single head), a final layer norm; the next item's score is the dot product of the last hidden state with the
 * (shared) item embedding. Trained with full softmax cross-entropy at every position (Klenitskiy & Vasilev 2023,
 * "SASRec+"), Adam, no dropout (early stopping instead).
 */
export class SasRecModel extends SequenceModel<typeof SASREC_SPECS> {
  readonly algorithm: string = 'sasrec';
  static readonly specs = SASREC_SPECS;
  private itemTable = new Param('items', 0, 0, false);
  private pos = new Param('pos', 0, 0, false);
  private blocksList: TransformerBlock[] = [];
  private lnOut = new LayerNorm('lnOut', 1);
  private x = new Float32Array(0);
  private ids: Int32Array = new Int32Array(0);

  constructor(params?: Partial<SasRecParams>) {
    super(SASREC_SPECS, 'SasRecModel', params);
  }

  protected get maxLen(): number {
    return this.params.maxLen;
  }

  protected build(_nUsers: number, nItems: number, rng: Rng): void {
    const d = this.params.factors;
    const init = new Rng(deriveSeed(Math.floor(rng.float() * 2 ** 31), 1));
    this.itemTable = new Param('items', nItems, d, false).initNormal(init, 1 / Math.sqrt(d));
    this.pos = new Param('pos', this.params.maxLen, d, false).initNormal(init, 1 / Math.sqrt(d));
    this.blocksList = [];
    for (let b = 0; b < this.params.blocks; b++) this.blocksList.push(new TransformerBlock(`block${b}`, d, init));
    this.lnOut = new LayerNorm('lnOut', d);
    this.optimizer = new Adam(this.trainable(), { learningRate: this.params.learningRate, regularization: this.params.regularization });
  }

  protected trainable(): Param[] {
    const out = [this.itemTable, this.pos];
    for (const b of this.blocksList) out.push(...b.params);
    out.push(...this.lnOut.params);
    return out;
  }

  protected outputItems(): Param {
    return this.itemTable;
  }

  protected encode(ids: Int32Array, mask: Uint8Array, batch: number, steps: number): FloatArray {
    const d = this.params.factors;
    const rows = batch * steps;
    if (this.x.length < rows * d) this.x = new Float32Array(rows * d);
    this.ids = ids;
    const x = this.x;
    const e = this.itemTable.data;
    const p = this.pos.data;
    for (let r = 0; r < rows; r++) {
      const i = ids[r]!;
      const t = r % steps;
      for (let c = 0; c < d; c++) x[r * d + c] = i < 0 ? 0 : e[i * d + c]! + p[t * d + c]!;
    }
    let h: FloatArray = x;
    for (const b of this.blocksList) h = b.forward(h, batch, steps, mask);
    return this.lnOut.forward(h, rows);
  }

  protected encodeBackward(dh: FloatArray): void {
    const d = this.params.factors;
    const rows = this.ids.length;
    const steps = this.params.maxLen;
    const g = new Float32Array(rows * d);
    this.lnOut.backward(dh, g);
    const tmp = new Float32Array(rows * d);
    for (let b = this.blocksList.length - 1; b >= 0; b--) {
      this.blocksList[b]!.backward(g, tmp);
      g.set(tmp);
    }
    const ge = this.itemTable.grad;
    const gp = this.pos.grad;
    for (let r = 0; r < rows; r++) {
      const i = this.ids[r]!;
      if (i < 0) continue;
      const t = r % steps;
      for (let c = 0; c < d; c++) {
        ge[i * d + c] = ge[i * d + c]! + g[r * d + c]!;
        gp[t * d + c] = gp[t * d + c]! + g[r * d + c]!;
      }
    }
  }

  itemEmbeddings(): EmbeddingMatrix {
    this.requireFitted();
    return { data: Float32Array.from(this.itemTable.data), rows: this.itemTable.rows, cols: this.itemTable.cols };
  }

  static fromArtifact(a: Artifact): SasRecModel {
    const m = new SasRecModel(a.meta.params as Partial<SasRecParams>);
    m.restoreNeural(a);
    return m;
  }
}
