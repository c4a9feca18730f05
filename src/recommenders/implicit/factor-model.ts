import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { type TopK, topK } from '../../core/topk.js';
import { ImplicitModel, toScored } from './base.js';
import { checkK } from './validate.js';

/**
 * Base of latent-factor recommenders (ALS, BPR): user factors (users x f) and item factors (items x f), both
 * row-major Float32Array, plus an optional item bias. score(u, i) = x_u . y_i (+ b_i).
 */
export abstract class FactorModel<S extends ParamSpecs> extends ImplicitModel<S> {
  protected userF: Float32Array = new Float32Array(0);
  protected itemF: Float32Array = new Float32Array(0);
  protected itemBias: Float32Array | undefined;
  protected dim = 0;
  private itemNorms: Float32Array | undefined;

  protected constructor(specs: S, owner: string, params: Partial<ParamsOf<S>> | undefined) {
    super(specs, owner, params);
  }

  /** Number of latent factors. */
  get factorCount(): number {
    return this.dim;
  }

  /** User factors, users x factors row-major (a live view: do not modify). */
  get userFactors(): Float32Array {
    this.requireFitted();
    return this.userF;
  }

  /** Item factors, items x factors row-major (a live view: do not modify). */
  get itemFactors(): Float32Array {
    this.requireFitted();
    return this.itemF;
  }

  /** Item biases (BPR) or undefined. */
  get itemBiases(): Float32Array | undefined {
    return this.itemBias;
  }

  scoreInto(u: number, out: Float32Array): void {
    this.scoreVectorInto(this.userF.subarray(u * this.dim, (u + 1) * this.dim), out);
  }

  /** out[i] = vec . y_i (+ b_i) for every item. O(items x f). */
  scoreVectorInto(vec: Float32Array, out: Float32Array): void {
    const f = this.dim;
    const y = this.itemF;
    const b = this.itemBias;
    for (let i = 0, n = this.nItems; i < n; i++) {
      let s = b === undefined ? 0 : b[i]!;
      const o = i * f;
      for (let c = 0; c < f; c++) s += vec[c]! * y[o + c]!;
      out[i] = s;
    }
  }

  /** Top-k item indices for an arbitrary user vector (e.g. a fold-in), skipping `excludeSorted`. */
  recommendForVector(vec: Float32Array, k: number, excludeSorted?: Int32Array): TopK {
    this.requireFitted();
    checkK(k, 'recommendForVector');
    if (vec.length !== this.dim) throw new InvalidArgumentError(`recommendForVector: vector has ${vec.length} entries, expected ${this.dim} factors`);
    const out = new Float32Array(this.nItems);
    this.scoreVectorInto(vec, out);
    return topK(out, k, excludeSorted);
  }

  private norms(): Float32Array {
    if (this.itemNorms === undefined) {
      const f = this.dim;
      const nrm = new Float32Array(this.nItems);
      for (let i = 0; i < this.nItems; i++) {
        let s = 0;
        for (let c = 0; c < f; c++) s += this.itemF[i * f + c]! ** 2;
        nrm[i] = Math.sqrt(s);
      }
      this.itemNorms = nrm;
    }
    return this.itemNorms;
  }

  private cosine(i: number, j: number): number {
    const f = this.dim;
    let s = 0;
    for (let c = 0; c < f; c++) s += this.itemF[i * f + c]! * this.itemF[j * f + c]!;
    const d = this.norms()[i]! * this.norms()[j]!;
    return d > 0 ? s / d : 0;
  }

  protected override explain(u: number, item: number): string | undefined {
    const hist = this.seenItems(u);
    let best = -1;
    let bestV = 0;
    for (let h = 0; h < hist.length; h++) {
      const c = this.cosine(hist[h]!, item);
      if (c > bestV) {
        bestV = c;
        best = hist[h]!;
      }
    }
    return best < 0 ? undefined : `because you liked ${this.itemIds.idAt(best)}`;
  }

  /** Items whose factor vectors have the largest cosine with `item`'s; [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const out = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) out[i] = this.cosine(i, j);
    const top = topK(out, k, Int32Array.of(j));
    return toScored(this.itemIds, top.indices, top.scores);
  }

  protected factorArtifact(state: Record<string, unknown> = {}): Artifact {
    const t: Record<string, ReturnType<typeof tensor>> = {
      userFactors: tensor(this.userF, [this.nUsers, this.dim]),
      itemFactors: tensor(this.itemF, [this.nItems, this.dim]),
    };
    if (this.itemBias !== undefined) t['itemBias'] = tensor(this.itemBias);
    return this.baseArtifact(t, { factors: this.dim, ...state });
  }

  protected restoreFactors(a: Artifact): void {
    this.restoreBase(a);
    const f = a.meta.state?.['factors'];
    this.dim = typeof f === 'number' ? f : 0;
    this.userF = requireTensor(a, 'userFactors', Float32Array, [this.nUsers, this.dim]);
    this.itemF = requireTensor(a, 'itemFactors', Float32Array, [this.nItems, this.dim]);
    this.itemBias = a.tensors['itemBias'] === undefined ? undefined : requireTensor(a, 'itemBias', Float32Array, [this.nItems]);
    this.itemNorms = undefined;
  }

  /** Drops caches derived from the factors (call after training). */
  protected resetCaches(): void {
    this.itemNorms = undefined;
  }
}
