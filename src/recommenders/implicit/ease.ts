import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import { ImplicitModel, toScored } from './base.js';
import { checkK } from './validate.js';

const EASE_SPECS = {
  regularization: { type: 'number', default: 250, min: 0, exclusiveMin: true, doc: 'L2 weight lambda added to the Gram diagonal' },
  binary: { type: 'boolean', default: true, doc: 'use 1 for every interaction (false: use the values)' },
  maxItems: { type: 'integer', default: 20000, min: 1, doc: 'refuse catalogs larger than this (memory 12 x items^2 bytes)' },
} as const satisfies ParamSpecs;

type EaseParams = ParamsOf<typeof EASE_SPECS>;

/**
 * EASE^R (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): a dense item-item weight matrix B with
 * zero diagonal in closed form, P = (X^T X + lambda I)^-1, B_ij = -P_ij / P_jj. Scores are x_u B.
 *
 * Limits: fit is O(nnz-pairs + items^3) time (in-place Gauss-Jordan inversion, single thread) and needs 8 x items^2
 * bytes for the Gram/inverse plus 4 x items^2 for B (20,000 items: 4.8 GB). `maxItems` guards against that;
 * ml-100k (1,682 items) takes a few seconds and 34 MB.
 */
export class EaseModel extends ImplicitModel<typeof EASE_SPECS> {
  readonly algorithm: string = 'ease';
  static readonly specs = EASE_SPECS;
  /** items x items row-major: weights[j * n + i] = contribution of item j to item i. */
  protected weights: Float32Array = new Float32Array(0);
  protected seenValues: Float32Array = new Float32Array(0);

  constructor(params?: Partial<EaseParams>) {
    super(EASE_SPECS, 'EaseModel', params);
  }

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const n = data.nItems;
    if (n > this.params.maxItems) {
      throw new InvalidArgumentError(
        `EaseModel.fit: ${n} items exceed maxItems = ${this.params.maxItems}; EASE needs about ${((12 * n * n) / 1e9).toFixed(1)} GB (raise maxItems if memory allows, or use item-knn/als)`,
        { items: n },
      );
    }
    this.seenValues = data.values;
    const g = new Float64Array(n * n);
    const bin = this.params.binary;
    for (let u = 0; u < data.nUsers; u++) {
      const s = data.indptr[u]!;
      const e = data.indptr[u + 1]!;
      for (let p = s; p < e; p++) {
        const i = data.indices[p]!;
        const vi = bin ? 1 : data.values[p]!;
        const row = i * n;
        for (let q = s; q < e; q++) g[row + data.indices[q]!] += vi * (bin ? 1 : data.values[q]!);
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i] += this.params.regularization;
    invertSpdInPlace(g, n, opts.signal);
    const w = new Float32Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        // B_ji = -P_ji / P_ii; P is symmetric
        if (i !== j) w[j * n + i] = -g[j * n + i]! / g[i * n + i]!;
      }
    }
    this.weights = w;
    this.fitted = true;
    return this;
  }

  private rowValues(u: number): Float32Array | undefined {
    return this.params.binary ? undefined : this.seenValues.subarray(this.seenIndptr[u]!, this.seenIndptr[u + 1]!);
  }

  scoreInto(u: number, out: Float32Array): void {
    scoreDense(this.weights, this.nItems, this.seenItems(u), this.rowValues(u), out);
  }

  protected override explain(u: number, item: number): string | undefined {
    const hist = this.seenItems(u);
    const vals = this.rowValues(u);
    let best = -1;
    let bestV = 0;
    for (let h = 0; h < hist.length; h++) {
      const c = (vals === undefined ? 1 : vals[h]!) * this.weights[hist[h]! * this.nItems + item]!;
      if (c > bestV) {
        bestV = c;
        best = hist[h]!;
      }
    }
    return best < 0 ? undefined : `because you liked ${this.itemIds.idAt(best)}`;
  }

  /** Items with the largest weight from `item` (its row of B); [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const n = this.nItems;
    const top = topK(this.weights.subarray(j * n, (j + 1) * n), k, Int32Array.of(j));
    return toScored(this.itemIds, top.indices, top.scores);
  }

  toArtifact(): Artifact {
    return this.baseArtifact({ weights: tensor(this.weights, [this.nItems, this.nItems]), seenValues: tensor(this.seenValues) });
  }

  static fromArtifact(a: Artifact): EaseModel {
    const m = new EaseModel(a.meta.params as Partial<EaseParams>);
    m.restoreBase(a);
    m.weights = requireTensor(a, 'weights', Float32Array, [m.nItems, m.nItems]);
    m.seenValues = requireTensor(a, 'seenValues', Float32Array, [m.seenIndices.length]);
    return m;
  }
}

/** out = sum over history j of value_j * W[j, :]. */
function scoreDense(w: Float32Array, n: number, items: Int32Array, values: Float32Array | undefined, out: Float32Array): void {
  out.fill(0);
  for (let h = 0; h < items.length; h++) {
    const row = items[h]! * n;
    const v = values === undefined ? 1 : values[h]!;
    for (let i = 0; i < n; i++) out[i] += v * w[row + i]!;
  }
}

/**
 * In-place inverse of a symmetric positive-definite n x n row-major matrix by Gauss-Jordan elimination without
 * pivoting (safe for SPD). O(n^3) multiply-adds, every inner loop a contiguous row update. Checks the signal every
 * 64 pivots.
 */
export function invertSpdInPlace(a: Float64Array, n: number, signal?: AbortSignal): void {
  for (let k = 0; k < n; k++) {
    if ((k & 63) === 0) throwIfAborted(signal, 'EASE matrix inversion');
    const rk = k * n;
    const p = a[rk + k]!;
    if (!(p > 0)) throw new InvalidArgumentError(`invertSpdInPlace: matrix is not positive definite (pivot ${k} = ${p})`);
    a[rk + k] = 1;
    const inv = 1 / p;
    for (let j = 0; j < n; j++) a[rk + j] *= inv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ri = i * n;
      const f = a[ri + k]!;
      if (f === 0) continue;
      a[ri + k] = 0;
      for (let j = 0; j < n; j++) a[ri + j] -= f * a[rk + j]!;
    }
  }
}
