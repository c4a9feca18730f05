import type { Artifact } from '../../core/artifact.js';
import { tensor } from '../../core/artifact.js';
import { IdMap } from '../../core/ids.js';
import { Rng } from '../../core/rng.js';
import { topK } from '../../core/topk.js';
import type { TopK } from '../../core/topk.js';

/**
 * Test kit: a minimal factor model with the fold-in capability (ridge solve of the user vector against fixed item
 * factors), standing in for ALS in server tests that must not depend on the recommenders area.
 */
export class TestFactorModel {
  readonly algorithm = 'test-factors';
  constructor(
    readonly items: IdMap,
    readonly factors: number,
    readonly itemFactors: Float32Array,
    readonly lambda = 0.1,
  ) {}

  static random(nItems: number, factors: number, seed: number): TestFactorModel {
    const rng = new Rng(seed);
    const y = new Float32Array(nItems * factors);
    for (let i = 0; i < y.length; i++) y[i] = rng.normal() * 0.5;
    return new TestFactorModel(IdMap.fromIds(Array.from({ length: nItems }, (_, i) => `i${i}`)), factors, y);
  }

  itemVector(i: number): Float32Array {
    return this.itemFactors.subarray(i * this.factors, (i + 1) * this.factors);
  }

  /** x = (sum v y yᵀ + λI)⁻¹ sum v y, by Gaussian elimination (f is small). */
  foldInUser(items: Int32Array, values: Float32Array): Float32Array {
    const f = this.factors;
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    for (let d = 0; d < f; d++) a[d * f + d] = this.lambda;
    for (let k = 0; k < items.length; k++) {
      const y = this.itemVector(items[k]!);
      const v = values[k]!;
      for (let r = 0; r < f; r++) {
        b[r]! += v * y[r]!;
        for (let c = 0; c < f; c++) a[r * f + c]! += v * y[r]! * y[c]!;
      }
    }
    for (let p = 0; p < f; p++) {
      const piv = a[p * f + p]!;
      for (let r = p + 1; r < f; r++) {
        const m = a[r * f + p]! / piv;
        for (let c = p; c < f; c++) a[r * f + c]! -= m * a[p * f + c]!;
        b[r]! -= m * b[p]!;
      }
    }
    const x = new Float32Array(f);
    for (let r = f - 1; r >= 0; r--) {
      let s = b[r]!;
      for (let c = r + 1; c < f; c++) s -= a[r * f + c]! * x[c]!;
      x[r] = s / a[r * f + r]!;
    }
    return x;
  }

  recommendForVector(vec: Float32Array, k: number, excludeSorted?: Int32Array): TopK {
    const n = this.items.size;
    const f = this.factors;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < f; d++) s += this.itemFactors[i * f + d]! * vec[d]!;
      scores[i] = s;
    }
    return topK(scores, k, excludeSorted);
  }

  toArtifact(): Artifact {
    return {
      meta: { algorithm: this.algorithm, params: { factors: this.factors }, state: { items: this.items.toArray() } },
      tensors: { itemFactors: tensor(this.itemFactors, [this.items.size, this.factors]) },
    };
  }

  static fromArtifact(a: Artifact): TestFactorModel {
    const items = IdMap.fromIds((a.meta.state as { items: string[] }).items);
    const f = a.meta.params['factors'] as number;
    return new TestFactorModel(items, f, a.tensors['itemFactors']!.data as Float32Array);
  }
}
