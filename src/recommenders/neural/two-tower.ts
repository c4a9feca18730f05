import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { gemm } from '../../core/kernels/gemm.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { COMMON_SPECS, type EmbeddingMatrix, NeuralModel } from './base.js';
import { type HashedFeatures, type SideFeatures, hashFeatures } from './features.js';
import { Adam } from './nn/adam.js';
import { Dense } from './nn/dense.js';
import { Param } from './nn/param.js';
import type { Sequences } from './sequences.js';

const TWO_TOWER_SPECS = {
  ...COMMON_SPECS,
  batchSize: { type: 'integer', default: 512, min: 2, doc: '(user, item) pairs per step; the other pairs\u2019 items are the negatives' },
  learningRate: { type: 'number', default: 0.005, min: 0, exclusiveMin: true, doc: 'Adam step size' },
  hashBuckets: { type: 'integer', default: 32768, min: 16, doc: 'hashed feature space (text n-grams, categories, ids)' },
  idFeature: { type: 'boolean', default: true, doc: 'add a hashed id feature for items with training interactions' },
} as const satisfies ParamSpecs;

type TwoTowerParams = ParamsOf<typeof TWO_TOWER_SPECS>;

/**
 * Two-tower retrieval model (Yi et al. 2019, "sampling-bias-corrected neural modeling", without the correction).
 * Item tower: v_i = tanh(W · (Σ_f w_f e_f + N · numeric_i) + b) over hashed features (text unigrams/bigrams,
 * categorical tokens, the item id for items seen in training) and standardised numeric columns. User tower:
 * u = W_u · (mean of v_j over the user's history + Σ hashed user attributes) + b_u. Score = u · v_i. Trained with
 * softmax over in-batch negatives (each pair's item against the other items of the batch). Items without any
 * interaction are scored from their features: item cold start. Each step runs the item tower on the whole catalog
 * (O(items · factors²)), fine for catalogs up to ~10^5 items.
 */
export class TwoTowerModel extends NeuralModel<typeof TWO_TOWER_SPECS> {
  readonly algorithm: string = 'two-tower';
  static readonly specs = TWO_TOWER_SPECS;
  private itemSide: SideFeatures | undefined;
  private userSide: SideFeatures | undefined;
  private itemFeat: HashedFeatures | undefined;
  private userFeat: HashedFeatures | undefined;
  private featEmb = new Param('feat', 0, 0, true);
  private numeric: Dense | undefined;
  private itemDense: Dense | undefined;
  private userDense: Dense | undefined;
  private optimizer: Adam | undefined;
  private vAll = new Float32Array(0);
  private vFresh = false;

  constructor(params?: Partial<TwoTowerParams>) {
    super(TWO_TOWER_SPECS, 'TwoTowerModel', params);
  }

  /** Sets item (and optionally user) side features used by the next `fit`. Returns this. */
  withFeatures(items: SideFeatures | undefined, users?: SideFeatures): this {
    this.itemSide = items;
    this.userSide = users;
    return this;
  }

  override async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    const counts = data.itemCounts();
    this.itemFeat = hashFeatures(data.items, this.itemSide, this.params.hashBuckets, (r) => this.params.idFeature && counts[r]! > 0);
    this.userFeat = hashFeatures(data.users, this.userSide, this.params.hashBuckets, () => false);
    return super.fit(data, opts);
  }

  protected build(_nUsers: number, _nItems: number, rng: Rng): void {
    const d = this.params.factors;
    const init = new Rng(deriveSeed(Math.floor(rng.float() * 2 ** 31), 4));
    this.featEmb = new Param('feat', this.params.hashBuckets, d, true).initNormal(init, 0.1);
    const cols = this.itemFeat!.numericCols;
    this.numeric = cols > 0 ? new Dense('numeric', cols, d, 'none', init) : undefined;
    this.itemDense = new Dense('item', d, d, 'tanh', init);
    this.userDense = new Dense('user', d, d, 'none', init);
    this.optimizer = new Adam(this.trainable(), { learningRate: this.params.learningRate, regularization: this.params.regularization });
    this.vFresh = false;
  }

  protected trainable(): Param[] {
    const out = [this.featEmb, ...this.itemDense!.params, ...this.userDense!.params];
    if (this.numeric !== undefined) out.push(...this.numeric.params);
    return out;
  }

  /** Item tower over the whole catalog into this.vAll (nItems x d); keeps the bag for backward. */
  private itemTower(): Float32Array {
    const d = this.params.factors;
    const n = this.nItems;
    const f = this.itemFeat!;
    const bag = new Float32Array(n * d);
    const e = this.featEmb.data;
    for (let i = 0; i < n; i++) {
      for (let p = f.indptr[i]!; p < f.indptr[i + 1]!; p++) {
        const w = f.values[p]!;
        const row = f.indices[p]! * d;
        for (let c = 0; c < d; c++) bag[i * d + c] = bag[i * d + c]! + w * e[row + c]!;
      }
    }
    if (this.numeric !== undefined) {
      const nv = this.numeric.forward(f.numeric, n);
      for (let k = 0; k < n * d; k++) bag[k] = bag[k]! + nv[k]!;
    }
    if (this.vAll.length !== n * d) this.vAll = new Float32Array(n * d);
    this.vAll.set(this.itemDense!.forward(bag, n).subarray(0, n * d));
    this.vFresh = true;
    return this.vAll;
  }

  private itemTowerBackward(dV: Float32Array): void {
    const d = this.params.factors;
    const n = this.nItems;
    const dBag = new Float32Array(n * d);
    this.itemDense!.backward(dV, dBag);
    if (this.numeric !== undefined) this.numeric.backward(dBag);
    const f = this.itemFeat!;
    const g = this.featEmb.grad;
    for (let i = 0; i < n; i++) {
      for (let p = f.indptr[i]!; p < f.indptr[i + 1]!; p++) {
        const w = f.values[p]!;
        const r = f.indices[p]!;
        this.featEmb.touch(r);
        for (let c = 0; c < d; c++) g[r * d + c] = g[r * d + c]! + w * dBag[i * d + c]!;
      }
    }
  }

  /** Adds the user-attribute bag of user u (if any) into m at offset. */
  private addUserAttributes(u: number, m: Float32Array, off: number): void {
    const f = this.userFeat;
    if (f === undefined || u < 0 || u >= f.indptr.length - 1) return;
    const d = this.params.factors;
    const e = this.featEmb.data;
    for (let p = f.indptr[u]!; p < f.indptr[u + 1]!; p++) {
      const w = f.values[p]!;
      for (let c = 0; c < d; c++) m[off + c] = m[off + c]! + w * e[f.indices[p]! * d + c]!;
    }
  }

  protected epochOn(train: Sequences, rng: Rng, _epoch: number): number {
    const d = this.params.factors;
    const nPos = train.items.length;
    const userOf = new Int32Array(nPos);
    for (let u = 0; u + 1 < train.indptr.length; u++) userOf.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
    const B = Math.min(this.params.batchSize, nPos);
    const perm = rng.permutation(nPos);
    const m = new Float32Array(B * d);
    const logits = new Float32Array(B * B);
    const dU = new Float32Array(B * d);
    const dm = new Float32Array(B * d);
    const vPos = new Float32Array(B * d);
    const dVpos = new Float32Array(B * d);
    const logitsT = new Float32Array(B * B);
    let loss = 0;
    let count = 0;
    for (let b0 = 0; b0 + 1 < nPos; b0 += B) {
      const nb = Math.min(B, nPos - b0);
      if (nb < 2) break;
      const V = this.itemTower();
      m.fill(0);
      for (let q = 0; q < nb; q++) {
        const p = perm[b0 + q]!;
        const u = userOf[p]!;
        const s = train.indptr[u]!;
        const e = train.indptr[u + 1]!;
        const inv = e - s > 1 ? 1 / (e - s - 1) : 0;
        for (let h = s; h < e; h++) {
          if (h === p) continue;
          const j = train.items[h]! * d;
          for (let c = 0; c < d; c++) m[q * d + c] = m[q * d + c]! + inv * V[j + c]!;
        }
        this.addUserAttributes(u, m, q * d);
      }
      const U = this.userDense!.forward(m, nb);
      // in-batch softmax: row q's positive is column q; logits = U · Vposᵀ (gemm)
      for (let r = 0; r < nb; r++) vPos.set(V.subarray(train.items[perm[b0 + r]!]! * d, train.items[perm[b0 + r]!]! * d + d), r * d);
      gemm(U, vPos, logits, nb, d, nb, { transB: true });
      for (let q = 0; q < nb; q++) {
        let max = -Infinity;
        for (let r = 0; r < nb; r++) if (logits[q * nb + r]! > max) max = logits[q * nb + r]!;
        let z = 0;
        for (let r = 0; r < nb; r++) z += Math.exp(logits[q * nb + r]! - max);
        loss += Math.log(z) + max - logits[q * nb + q]!;
        for (let r = 0; r < nb; r++) logits[q * nb + r] = (Math.exp(logits[q * nb + r]! - max) / z - (r === q ? 1 : 0)) / nb;
      }
      count += nb;
      // dU = dL · Vpos; dVpos = dLᵀ · U
      gemm(logits, vPos, dU, nb, nb, d);
      for (let q = 0; q < nb; q++) for (let r = 0; r < nb; r++) logitsT[r * nb + q] = logits[q * nb + r]!;
      gemm(logitsT, U, dVpos, nb, nb, d);
      const dV = new Float32Array(this.nItems * d);
      for (let r = 0; r < nb; r++) {
        const j = train.items[perm[b0 + r]!]! * d;
        for (let c = 0; c < d; c++) dV[j + c] = dV[j + c]! + dVpos[r * d + c]!;
      }
      this.userDense!.backward(dU, dm);
      for (let q = 0; q < nb; q++) {
        const p = perm[b0 + q]!;
        const u = userOf[p]!;
        const s = train.indptr[u]!;
        const e = train.indptr[u + 1]!;
        const inv = e - s > 1 ? 1 / (e - s - 1) : 0;
        for (let h = s; h < e; h++) {
          if (h === p) continue;
          const j = train.items[h]! * d;
          for (let c = 0; c < d; c++) dV[j + c] = dV[j + c]! + inv * dm[q * d + c]!;
        }
        const f = this.userFeat!;
        for (let t = f.indptr[u]!; t < f.indptr[u + 1]!; t++) {
          const r = f.indices[t]!;
          this.featEmb.touch(r);
          for (let c = 0; c < d; c++) this.featEmb.grad[r * d + c] = this.featEmb.grad[r * d + c]! + f.values[t]! * dm[q * d + c]!;
        }
      }
      this.itemTowerBackward(dV);
      this.optimizer!.step();
      this.vFresh = false;
    }
    return loss / Math.max(1, count);
  }

  protected scoreSequence(u: number, items: Int32Array, out: Float32Array): void {
    const d = this.params.factors;
    const V = this.vFresh ? this.vAll : this.itemTower();
    const m = new Float32Array(d);
    const inv = items.length > 0 ? 1 / items.length : 0;
    for (let h = 0; h < items.length; h++) for (let c = 0; c < d; c++) m[c] = m[c]! + inv * V[items[h]! * d + c]!;
    this.addUserAttributes(u, m, 0);
    const U = this.userDense!.forward(m, 1);
    for (let i = 0; i < this.nItems; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += U[c]! * V[i * d + c]!;
      out[i] = s;
    }
  }

  /** The item tower's outputs (nItems x factors), cold items included. */
  itemEmbeddings(): EmbeddingMatrix {
    this.requireFitted();
    const V = this.vFresh ? this.vAll : this.itemTower();
    return { data: Float32Array.from(V), rows: this.nItems, cols: this.params.factors };
  }

  override toArtifact(): Artifact {
    const a = super.toArtifact();
    const f = this.itemFeat!;
    const g = this.userFeat!;
    Object.assign(a.tensors, {
      itemFeatIndptr: tensor(f.indptr),
      itemFeatIndices: tensor(f.indices),
      itemFeatValues: tensor(f.values),
      itemNumeric: tensor(f.numeric, [this.nItems, f.numericCols]),
      userFeatIndptr: tensor(g.indptr),
      userFeatIndices: tensor(g.indices),
      userFeatValues: tensor(g.values),
    });
    return a;
  }

  static fromArtifact(a: Artifact): TwoTowerModel {
    const m = new TwoTowerModel(a.meta.params as Partial<TwoTowerParams>);
    const num = a.tensors['itemNumeric'];
    const cols = num === undefined ? 0 : (num.shape[1] ?? 0);
    m.itemFeat = {
      indptr: requireTensor(a, 'itemFeatIndptr', Int32Array),
      indices: requireTensor(a, 'itemFeatIndices', Int32Array),
      values: requireTensor(a, 'itemFeatValues', Float32Array),
      numeric: requireTensor(a, 'itemNumeric', Float32Array),
      numericCols: cols,
    };
    m.userFeat = {
      indptr: requireTensor(a, 'userFeatIndptr', Int32Array),
      indices: requireTensor(a, 'userFeatIndices', Int32Array),
      values: requireTensor(a, 'userFeatValues', Float32Array),
      numeric: new Float32Array(0),
      numericCols: 0,
    };
    m.restoreNeural(a);
    return m;
  }
}
