import type { Artifact } from '../../core/artifact.js';
import type { ParamsOf } from '../../core/params.js';
import { splitmix32 } from '../../core/rng.js';
import { ExplicitModel, type ModelState, SCALE_SPECS, stateNumber } from './base.js';

/** Params of {@link NormalPredictor}. */
export const NORMAL_SPECS = {
  seed: { type: 'integer', default: 0, min: 0, doc: 'Seed of the random draws.' },
  ...SCALE_SPECS,
} as const;
export type NormalParams = ParamsOf<typeof NORMAL_SPECS>;

/**
 * Surprise's NormalPredictor: a random rating from N(μ, σ²), μ and σ the maximum-likelihood mean and standard
 * deviation of the training ratings. Unlike Surprise, the draw is a pure function of (seed, user, item) — a hashed
 * Box-Muller deviate — so the same pair always gets the same prediction. Fit O(nnz), memory O(1).
 */
export class NormalPredictor extends ExplicitModel<typeof NORMAL_SPECS> {
  readonly algorithm = 'normal';
  private sigma = 0;
  private salt = 0;

  constructor(params?: Partial<NormalParams>) {
    super(NORMAL_SPECS, 'normal', params);
  }

  protected fitModel(seed: number): void {
    const v = this.data.values;
    let s = 0;
    for (let k = 0; k < v.length; k++) s += (v[k]! - this.globalMean) ** 2;
    this.sigma = Math.sqrt(s / v.length);
    this.salt = splitmix32(seed >>> 0);
  }

  protected estimate(u: number, i: number): number {
    const h1 = splitmix32(this.salt ^ splitmix32((u + 1) | 0) ^ Math.imul(i + 1, 0x27d4eb2d));
    const h2 = splitmix32(h1 ^ 0x5bd1e995);
    const a = (h1 + 1) / 4294967297;
    const b = h2 / 4294967296;
    return this.globalMean + this.sigma * Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
  }

  protected saveState(): ModelState {
    return { state: { sigma: this.sigma, salt: this.salt }, tensors: {} };
  }

  protected loadState(a: Artifact): void {
    this.sigma = stateNumber(a, 'sigma');
    this.salt = stateNumber(a, 'salt');
  }

  static fromArtifact(a: Artifact): NormalPredictor {
    return new NormalPredictor(a.meta.params as Partial<NormalParams>).restore(a);
  }
}
