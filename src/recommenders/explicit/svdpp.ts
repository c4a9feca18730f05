import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { ExplicitModel, type ModelState, SCALE_SPECS } from './base.js';
import { dotAt } from './dot.js';

/** Params of {@link SVDpp}; defaults are Surprise's SVDpp. */
export const SVDPP_SPECS = {
  factors: { type: 'integer', default: 20, min: 1, doc: 'Number of latent factors (Surprise `n_factors`).' },
  epochs: { type: 'integer', default: 20, min: 1, doc: 'SGD passes over the ratings (Surprise `n_epochs`).' },
  initMean: { type: 'number', default: 0, doc: 'Mean of the normal initialization (Surprise `init_mean`).' },
  initStd: { type: 'number', default: 0.1, min: 0, doc: 'Standard deviation of the initialization (Surprise `init_std_dev`).' },
  learningRate: { type: 'number', default: 0.007, min: 0, doc: 'Learning rate of every parameter (Surprise `lr_all`).' },
  regularization: { type: 'number', default: 0.02, min: 0, doc: 'Regularization of every parameter (Surprise `reg_all`).' },
  lrBu: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `lr_bu`; null = learningRate.' },
  lrBi: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `lr_bi`; null = learningRate.' },
  lrPu: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `lr_pu`; null = learningRate.' },
  lrQi: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `lr_qi`; null = learningRate.' },
  lrYj: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `lr_yj`; null = learningRate.' },
  regBu: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `reg_bu`; null = regularization.' },
  regBi: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `reg_bi`; null = regularization.' },
  regPu: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `reg_pu`; null = regularization.' },
  regQi: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `reg_qi`; null = regularization.' },
  regYj: { type: 'optional-number', default: null, min: 0, doc: 'Surprise `reg_yj`; null = regularization.' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'Seed of the initialization (Surprise `random_state`).' },
  ...SCALE_SPECS,
} as const;
export type SVDppParams = ParamsOf<typeof SVDPP_SPECS>;

/**
 * SVD++ (Koren 2008, "Factorization meets the neighborhood", eq. 15): r̂ = mu + b_u + b_i + q_iᵀ(p_u + |I_u|^-½ Σ_{j∈I_u} y_j),
 * fit by SGD over the ratings in user order with Surprise's update rules.
 *
 * Speed: Surprise updates every y_j (j ∈ I_u) after every rating of u, O(|I_u| x factors) per rating. Within one
 * user's block every y_j receives the same affine step y ← c·y + δ_t (c = 1 - lr_y·reg_y, δ_t = lr_y·err_t·q_i/√|I_u|),
 * so we keep Σ_j y_j exactly in O(factors) per rating and apply the composed step y_j ← c^m·y_j + A once per user.
 * The result is the same algorithm (up to float rounding) in O(epochs x nnz x factors) instead of
 * O(epochs x Σ_u |I_u|² x factors). Memory O((users + 2 items) x factors).
 */
export class SVDpp extends ExplicitModel<typeof SVDPP_SPECS> {
  readonly algorithm = 'svdpp';
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);
  private pu: Float64Array = new Float64Array(0);
  private qi: Float64Array = new Float64Array(0);
  private yj: Float64Array = new Float64Array(0);
  /** p_u + |I_u|^-½ Σ y_j per user, precomputed for prediction. */
  private zu: Float64Array = new Float64Array(0);

  constructor(params?: Partial<SVDppParams>) {
    super(SVDPP_SPECS, 'svdpp', params);
  }

  protected fitModel(seed: number, opts: FitOptions): void {
    const p = this.params;
    const F = p.factors;
    const nU = this.nUsers;
    const nI = this.nItems;
    const rng = new Rng(seed);
    const pu = new Float64Array(nU * F);
    const qi = new Float64Array(nI * F);
    const yj = new Float64Array(nI * F);
    for (let k = 0; k < pu.length; k++) pu[k] = rng.normal(p.initMean, p.initStd);
    for (let k = 0; k < qi.length; k++) qi[k] = rng.normal(p.initMean, p.initStd);
    for (let k = 0; k < yj.length; k++) yj[k] = rng.normal(p.initMean, p.initStd);
    const bu = new Float64Array(nU);
    const bi = new Float64Array(nI);
    const lr = p.learningRate;
    const reg = p.regularization;
    const lrBu = p.lrBu ?? lr;
    const lrBi = p.lrBi ?? lr;
    const lrPu = p.lrPu ?? lr;
    const lrQi = p.lrQi ?? lr;
    const lrYj = p.lrYj ?? lr;
    const regBu = p.regBu ?? reg;
    const regBi = p.regBi ?? reg;
    const regPu = p.regPu ?? reg;
    const regQi = p.regQi ?? reg;
    const regYj = p.regYj ?? reg;
    const c = 1 - lrYj * regYj;
    const mu = this.globalMean;
    const { indptr, indices, values } = this.data;
    const ysum = new Float64Array(F);
    const acc = new Float64Array(F);
    const impl = new Float64Array(F);
    for (let e = 0; e < p.epochs; e++) {
      throwIfAborted(opts.signal, 'svdpp.fit');
      let sse = 0; // squared errors before each update: the epoch's online training error
      for (let u = 0; u < nU; u++) {
        const a = indptr[u]!;
        const b = indptr[u + 1]!;
        if (a === b) continue;
        const n = b - a;
        const s = 1 / Math.sqrt(n);
        ysum.fill(0);
        acc.fill(0);
        for (let k = a; k < b; k++) {
          const jo = indices[k]! * F;
          for (let f = 0; f < F; f++) ysum[f] += yj[jo + f]!;
        }
        let cm = 1;
        const uo = u * F;
        for (let k = a; k < b; k++) {
          const i = indices[k]!;
          const io = i * F;
          let dot = 0;
          for (let f = 0; f < F; f++) {
            const im = ysum[f]! * s;
            impl[f] = im;
            dot += qi[io + f]! * (pu[uo + f]! + im);
          }
          const b1 = bu[u]!;
          const b2 = bi[i]!;
          const err = values[k]! - (mu + b1 + b2 + dot);
          sse += err * err;
          bu[u] = b1 + lrBu * (err - regBu * b1);
          bi[i] = b2 + lrBi * (err - regBi * b2);
          const dy = lrYj * err * s;
          const ny = n * dy;
          for (let f = 0; f < F; f++) {
            const puf = pu[uo + f]!;
            const qif = qi[io + f]!;
            pu[uo + f] = puf + lrPu * (err * qif - regPu * puf);
            qi[io + f] = qif + lrQi * (err * (puf + impl[f]!) - regQi * qif);
            acc[f] = c * acc[f]! + dy * qif;
            ysum[f] = c * ysum[f]! + ny * qif;
          }
          cm *= c;
        }
        for (let k = a; k < b; k++) {
          const jo = indices[k]! * F;
          for (let f = 0; f < F; f++) yj[jo + f] = cm * yj[jo + f]! + acc[f]!;
        }
      }
      opts.onProgress?.({ step: 'epoch', done: e + 1, total: p.epochs, metrics: { trainRmse: Math.sqrt(sse / Math.max(1, values.length)) } });
    }
    this.bu = bu;
    this.bi = bi;
    this.pu = pu;
    this.qi = qi;
    this.yj = yj;
    this.computeZ();
  }

  private computeZ(): void {
    const F = this.params.factors;
    const { indptr, indices } = this.data;
    const z = this.pu.slice();
    for (let u = 0; u < this.nUsers; u++) {
      const a = indptr[u]!;
      const b = indptr[u + 1]!;
      if (a === b) continue;
      const s = 1 / Math.sqrt(b - a);
      const uo = u * F;
      for (let k = a; k < b; k++) {
        const jo = indices[k]! * F;
        for (let f = 0; f < F; f++) z[uo + f] += s * this.yj[jo + f]!;
      }
    }
    this.zu = z;
  }

  protected estimate(u: number, i: number): number {
    let est = this.globalMean;
    if (u >= 0) est += this.bu[u]!;
    if (i >= 0) est += this.bi[i]!;
    if (u >= 0 && i >= 0) {
      const F = this.params.factors;
      est += dotAt(this.zu, u * F, this.qi, i * F, F);
    }
    return est;
  }

  protected saveState(): ModelState {
    const F = this.params.factors;
    return {
      state: {},
      tensors: {
        bu: tensor(this.bu),
        bi: tensor(this.bi),
        pu: tensor(this.pu, [this.nUsers, F]),
        qi: tensor(this.qi, [this.nItems, F]),
        yj: tensor(this.yj, [this.nItems, F]),
      },
    };
  }

  protected loadState(a: Artifact): void {
    const F = this.params.factors;
    this.bu = requireTensor(a, 'bu', Float64Array, [this.nUsers]);
    this.bi = requireTensor(a, 'bi', Float64Array, [this.nItems]);
    this.pu = requireTensor(a, 'pu', Float64Array, [this.nUsers, F]);
    this.qi = requireTensor(a, 'qi', Float64Array, [this.nItems, F]);
    this.yj = requireTensor(a, 'yj', Float64Array, [this.nItems, F]);
    this.computeZ();
  }

  static fromArtifact(a: Artifact): SVDpp {
    return new SVDpp(a.meta.params as Partial<SVDppParams>).restore(a);
  }
}
