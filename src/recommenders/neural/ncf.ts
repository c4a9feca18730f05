import type { Artifact } from '../../core/artifact.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { COMMON_SPECS, type EmbeddingMatrix, NeuralModel } from './base.js';
import { Adam } from './nn/adam.js';
import { Dense } from './nn/dense.js';
import { Embedding } from './nn/embedding.js';
import type { Param } from './nn/param.js';
import { bceWithLogits } from './nn/softmax-ce.js';
import type { Sequences } from './sequences.js';
import { containsSorted } from '../../core/sorted.js';
import { NcfBuffers } from './ncf-buffers.js';

const NCF_SPECS = {
  ...COMMON_SPECS,
  factors: { type: 'integer', default: 8, min: 1, max: 1024, doc: 'GMF embedding width; MLP hidden sizes are factors·2^(layers-1) ... factors' },
  batchSize: { type: 'integer', default: 256, min: 1, doc: 'positives per Adam step (each with its negatives)' },
  layers: { type: 'integer', default: 3, min: 1, max: 6, doc: 'MLP hidden layers (halving widths); MLP embeddings are half the first width' },
  negatives: { type: 'integer', default: 4, min: 1, max: 100, doc: 'sampled negatives per positive (BCE)' },
  pretrain: { type: 'boolean', default: false, doc: 'NeuMF only: initialise from separately trained GMF and MLP (He et al. 2017, §3.4.1)' },
} as const satisfies ParamSpecs;

type NcfParams = ParamsOf<typeof NCF_SPECS>;
type Variant = 'gmf' | 'mlp' | 'neumf';

/**
 * Neural collaborative filtering (He et al. 2017): GMF (element-wise product of user and item embeddings), MLP
 * (concatenated embeddings through ReLU layers of halving width) and NeuMF (both towers concatenated into one
 * logistic output), trained with binary cross-entropy on each positive and `negatives` uniformly sampled unseen
 * items, Adam, mini-batches. Scoring all items for a user runs the network on nItems rows: O(items · (factors + MLP widths²)).
 */
export class NcfModel extends NeuralModel<typeof NCF_SPECS> {
  readonly algorithm: string = 'neumf';
  static readonly specs = NCF_SPECS;
  protected readonly variant: Variant = 'neumf';
  private gu: Embedding | undefined;
  private gi: Embedding | undefined;
  private mu: Embedding | undefined;
  private mi: Embedding | undefined;
  private mlp: Dense[] = [];
  private out: Dense | undefined;
  private optimizer: Adam | undefined;
  private pretrained: { gmf: NcfModel; mlp: NcfModel } | undefined;
  private sortedFor: Sequences | undefined;
  private sorted: Int32Array = new Int32Array(0);

  constructor(params?: Partial<NcfParams>) {
    super(NCF_SPECS, 'NcfModel', params);
  }

  private get useGmf(): boolean {
    return this.variant !== 'mlp';
  }

  private get useMlp(): boolean {
    return this.variant !== 'gmf';
  }

  private widths(): number[] {
    const w: number[] = [];
    for (let l = 0; l < this.params.layers; l++) w.push(this.params.factors * 2 ** (this.params.layers - 1 - l));
    return w;
  }

  override async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    if (this.variant === 'neumf' && this.params.pretrain) {
      const p = { ...this.params, pretrain: false };
      const seed = opts.seed ?? this.params.seed;
      const sub: FitOptions = { seed: deriveSeed(seed, 11) };
      if (opts.signal !== undefined) sub.signal = opts.signal;
      this.pretrained = { gmf: await new GmfModel(p).fit(data, sub), mlp: await new MlpModel(p).fit(data, { ...sub, seed: deriveSeed(seed, 12) }) };
    }
    await super.fit(data, opts);
    this.pretrained = undefined;
    return this;
  }

  protected build(nUsers: number, nItems: number, rng: Rng): void {
    const f = this.params.factors;
    const init = new Rng(deriveSeed(Math.floor(rng.float() * 2 ** 31), 3));
    const w = this.widths();
    const me = w[0]! / 2;
    const pieces: Param[] = [];
    if (this.useGmf) {
      this.gu = new Embedding('gmf.user', nUsers, f, init, { std: 0.01 });
      this.gi = new Embedding('gmf.item', nItems, f, init, { std: 0.01 });
    }
    if (this.useMlp) {
      this.mu = new Embedding('mlp.user', nUsers, Math.max(1, Math.floor(me)), init, { std: 0.01 });
      this.mi = new Embedding('mlp.item', nItems, Math.max(1, Math.floor(me)), init, { std: 0.01 });
      this.mlp = [];
      let inDim = 2 * this.mu.dim;
      for (let l = 0; l < w.length; l++) {
        this.mlp.push(new Dense(`mlp.${l}`, inDim, w[l]!, 'relu', init));
        inDim = w[l]!;
      }
    }
    const outIn = (this.useGmf ? f : 0) + (this.useMlp ? w[w.length - 1]! : 0);
    this.out = new Dense('out', outIn, 1, 'none', init);
    const pre = this.pretrained;
    if (pre !== undefined) {
      // He et al. 2017 §3.4.1: copy both towers, output weights = [α·h_gmf, (1-α)·h_mlp] with α = 0.5
      this.gu!.weight.data.set(pre.gmf.gu!.weight.data);
      this.gi!.weight.data.set(pre.gmf.gi!.weight.data);
      this.mu!.weight.data.set(pre.mlp.mu!.weight.data);
      this.mi!.weight.data.set(pre.mlp.mi!.weight.data);
      for (let l = 0; l < this.mlp.length; l++) for (const k of [0, 1]) this.mlp[l]!.params[k]!.data.set(pre.mlp.mlp[l]!.params[k]!.data);
      const o = this.out.weight.data;
      const go = pre.gmf.out!.weight.data;
      const mo = pre.mlp.out!.weight.data;
      for (let c = 0; c < f; c++) o[c] = 0.5 * go[c]!;
      for (let c = 0; c < mo.length; c++) o[f + c] = 0.5 * mo[c]!;
      this.out.bias.data[0] = 0.5 * (pre.gmf.out!.bias.data[0]! + pre.mlp.out!.bias.data[0]!);
    }
    pieces.push(...this.trainable());
    this.optimizer = new Adam(pieces, { learningRate: this.params.learningRate, regularization: this.params.regularization });
  }

  protected trainable(): Param[] {
    const out: Param[] = [];
    if (this.useGmf) out.push(this.gu!.weight, this.gi!.weight);
    if (this.useMlp) {
      out.push(this.mu!.weight, this.mi!.weight);
      for (const d of this.mlp) out.push(...d.params);
    }
    out.push(...this.out!.params);
    return out;
  }

  /** Logits for rows (users[r], items[r]); keeps activations for `backwardRows`. */
  private forwardRows(users: Int32Array, items: Int32Array, rows: number, buf: NcfBuffers): Float32Array {
    const f = this.params.factors;
    const outIn = this.out!.inDim;
    const z = buf.z;
    if (this.useGmf) {
      this.gu!.forward(users.subarray(0, rows), buf.gu);
      this.gi!.forward(items.subarray(0, rows), buf.gi);
      for (let r = 0; r < rows; r++) for (let c = 0; c < f; c++) z[r * outIn + c] = buf.gu[r * f + c]! * buf.gi[r * f + c]!;
    }
    if (this.useMlp) {
      const e = this.mu!.dim;
      this.mu!.forward(users.subarray(0, rows), buf.mu);
      this.mi!.forward(items.subarray(0, rows), buf.mi);
      const x = buf.x;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < e; c++) {
          x[r * 2 * e + c] = buf.mu[r * e + c]!;
          x[r * 2 * e + e + c] = buf.mi[r * e + c]!;
        }
      }
      let h: Float32Array = x;
      for (const d of this.mlp) h = d.forward(h, rows) as Float32Array;
      const off = this.useGmf ? f : 0;
      const last = outIn - off;
      for (let r = 0; r < rows; r++) for (let c = 0; c < last; c++) z[r * outIn + off + c] = h[r * last + c]!;
    }
    return this.out!.forward(z, rows) as Float32Array;
  }

  private backwardRows(users: Int32Array, items: Int32Array, rows: number, dLogit: Float32Array, buf: NcfBuffers): void {
    const f = this.params.factors;
    const outIn = this.out!.inDim;
    const dz = buf.dz;
    this.out!.backward(dLogit, dz);
    if (this.useGmf) {
      const dgu = buf.dgu;
      const dgi = buf.dgi;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < f; c++) {
          const g = dz[r * outIn + c]!;
          dgu[r * f + c] = g * buf.gi[r * f + c]!;
          dgi[r * f + c] = g * buf.gu[r * f + c]!;
        }
      }
      this.gu!.backward(users.subarray(0, rows), dgu);
      this.gi!.backward(items.subarray(0, rows), dgi);
    }
    if (this.useMlp) {
      const off = this.useGmf ? f : 0;
      const last = outIn - off;
      let g = new Float32Array(rows * last);
      for (let r = 0; r < rows; r++) for (let c = 0; c < last; c++) g[r * last + c] = dz[r * outIn + off + c]!;
      for (let l = this.mlp.length - 1; l >= 0; l--) {
        const d = this.mlp[l]!;
        const dx = new Float32Array(rows * d.inDim);
        d.backward(g, dx);
        g = dx;
      }
      const e = this.mu!.dim;
      const dmu = buf.mu;
      const dmi = buf.mi;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < e; c++) {
          dmu[r * e + c] = g[r * 2 * e + c]!;
          dmi[r * e + c] = g[r * 2 * e + e + c]!;
        }
      }
      this.mu!.backward(users.subarray(0, rows), dmu);
      this.mi!.backward(items.subarray(0, rows), dmi);
    }
  }

  protected epochOn(train: Sequences, rng: Rng, _epoch: number): number {
    if (this.sortedFor !== train) {
      this.sorted = Int32Array.from(train.items);
      for (let u = 0; u + 1 < train.indptr.length; u++) this.sorted.subarray(train.indptr[u]!, train.indptr[u + 1]!).sort();
      this.sortedFor = train;
    }
    const nPos = train.items.length;
    const userOf = new Int32Array(nPos);
    for (let u = 0; u + 1 < train.indptr.length; u++) userOf.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
    const neg = this.params.negatives;
    const B = this.params.batchSize;
    const cap = B * (1 + neg);
    const buf = new NcfBuffers(cap, this.params.factors, this.useMlp ? this.mu!.dim : 0, this.out!.inDim);
    const users = new Int32Array(cap);
    const items = new Int32Array(cap);
    const labels = new Float32Array(cap);
    const dLogit = new Float32Array(cap);
    const perm = rng.permutation(nPos);
    const nI = this.nItems;
    let loss = 0;
    for (let b0 = 0; b0 < nPos; b0 += B) {
      const nb = Math.min(B, nPos - b0);
      let rows = 0;
      for (let q = 0; q < nb; q++) {
        const p = perm[b0 + q]!;
        const u = userOf[p]!;
        users[rows] = u;
        items[rows] = train.items[p]!;
        labels[rows++] = 1;
        const row = this.sorted.subarray(train.indptr[u]!, train.indptr[u + 1]!);
        for (let s = 0; s < neg; s++) {
          let j = rng.int(nI);
          for (let tries = 0; tries < 50 && containsSorted(row, j); tries++) j = rng.int(nI);
          users[rows] = u;
          items[rows] = j;
          labels[rows++] = 0;
        }
      }
      const logits = this.forwardRows(users, items, rows, buf);
      loss += bceWithLogits(logits, labels, rows, dLogit, 1 / rows);
      this.backwardRows(users, items, rows, dLogit, buf);
      this.optimizer!.step();
    }
    return loss / Math.max(1, nPos * (1 + neg));
  }

  protected scoreSequence(u: number, _items: Int32Array, out: Float32Array): void {
    const nI = this.nItems;
    if (u < 0) {
      out.set(this.fallbackScores());
      return;
    }
    const users = new Int32Array(nI).fill(u);
    const items = new Int32Array(nI);
    for (let i = 0; i < nI; i++) items[i] = i;
    const buf = new NcfBuffers(nI, this.params.factors, this.useMlp ? this.mu!.dim : 0, this.out!.inDim);
    out.set(this.forwardRows(users, items, nI, buf).subarray(0, nI));
  }

  itemEmbeddings(): EmbeddingMatrix {
    this.requireFitted();
    const parts = this.useGmf ? [this.gi!] : [];
    if (this.useMlp) parts.push(this.mi!);
    const cols = parts.reduce((s, e) => s + e.dim, 0);
    const rows = this.nItems;
    const data = new Float32Array(rows * cols);
    let off = 0;
    for (const e of parts) {
      for (let i = 0; i < rows; i++) for (let c = 0; c < e.dim; c++) data[i * cols + off + c] = e.weight.data[i * e.dim + c]!;
      off += e.dim;
    }
    return { data, rows, cols };
  }

  static fromArtifact(a: Artifact): NcfModel {
    const m = new NcfModel(a.meta.params as Partial<NcfParams>);
    m.restoreNeural(a);
    return m;
  }
}

/** GMF alone (He et al. 2017 §3.2). */
export class GmfModel extends NcfModel {
  override readonly algorithm: string = 'gmf';
  protected override readonly variant: Variant = 'gmf';

  static override fromArtifact(a: Artifact): GmfModel {
    const m = new GmfModel(a.meta.params as Partial<NcfParams>);
    m.restoreNeural(a);
    return m;
  }
}

/** The MLP tower alone (He et al. 2017 §3.3). */
export class MlpModel extends NcfModel {
  override readonly algorithm: string = 'mlp';
  protected override readonly variant: Variant = 'mlp';

  static override fromArtifact(a: Artifact): MlpModel {
    const m = new MlpModel(a.meta.params as Partial<NcfParams>);
    m.restoreNeural(a);
    return m;
  }
}
