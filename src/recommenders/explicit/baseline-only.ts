import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { ParamsOf } from '../../core/params.js';
import { fitBaselines } from './baselines.js';
import { ExplicitModel, type ModelState, SCALE_SPECS } from './base.js';

/** Params of {@link BaselineOnly}; defaults are Surprise's `bsl_options`. */
export const BASELINE_ONLY_SPECS = {
  method: { type: 'string', default: 'als', choices: ['als', 'sgd'] as const, doc: 'How biases are fit: alternating least squares or SGD (Surprise `method`).' },
  epochs: { type: 'optional-integer', default: null, min: 1, doc: 'Epochs; null = 10 for ALS, 20 for SGD (Surprise `n_epochs`).' },
  regUser: { type: 'number', default: 15, min: 0, doc: 'ALS user-bias regularization (Surprise `reg_u`).' },
  regItem: { type: 'number', default: 10, min: 0, doc: 'ALS item-bias regularization (Surprise `reg_i`).' },
  regularization: { type: 'number', default: 0.02, min: 0, doc: 'SGD regularization (Surprise `reg`).' },
  learningRate: { type: 'number', default: 0.005, min: 0, exclusiveMin: true, doc: 'SGD learning rate (Surprise `learning_rate`).' },
  ...SCALE_SPECS,
} as const;
export type BaselineOnlyParams = ParamsOf<typeof BASELINE_ONLY_SPECS>;

/**
 * Baseline estimate r̂ = mu + b_u + b_i (Koren 2010, section 2.1), Surprise's `BaselineOnly`. An unknown user (item)
 * contributes a zero bias. Fit O(epochs x nnz), memory O(users + items).
 */
export class BaselineOnly extends ExplicitModel<typeof BASELINE_ONLY_SPECS> {
  readonly algorithm = 'baseline';
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);

  constructor(params?: Partial<BaselineOnlyParams>) {
    super(BASELINE_ONLY_SPECS, 'baseline', params);
  }

  protected fitModel(): void {
    const b = fitBaselines(this.data, this.globalMean, this.params);
    this.bu = b.bu;
    this.bi = b.bi;
  }

  protected estimate(u: number, i: number): number {
    let est = this.globalMean;
    if (u >= 0) est += this.bu[u]!;
    if (i >= 0) est += this.bi[i]!;
    return est;
  }

  /** User and item biases (views). */
  get biases(): { bu: Float64Array; bi: Float64Array } {
    this.requireFitted();
    return { bu: this.bu, bi: this.bi };
  }

  protected saveState(): ModelState {
    return { state: {}, tensors: { bu: tensor(this.bu), bi: tensor(this.bi) } };
  }

  protected loadState(a: Artifact): void {
    this.bu = requireTensor(a, 'bu', Float64Array, [this.nUsers]);
    this.bi = requireTensor(a, 'bi', Float64Array, [this.nItems]);
  }

  static fromArtifact(a: Artifact): BaselineOnly {
    return new BaselineOnly(a.meta.params as Partial<BaselineOnlyParams>).restore(a);
  }
}
