import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { ExplicitModel, FB_IMPOSSIBLE, type ModelState, SCALE_SPECS } from './base.js';
import { dotAt } from './dot.js';

/** Params of {@link NMF}; defaults are Surprise's NMF. */
export const NMF_SPECS = {
  factors: { type: 'integer', default: 15, min: 1, doc: 'Number of latent factors (Surprise `n_factors`).' },
  epochs: { type: 'integer', default: 50, min: 1, doc: 'Multiplicative-update passes (Surprise `n_epochs`).' },
  biased: { type: 'boolean', default: false, doc: 'Also learn mu + b_u + b_i by SGD (Surprise `biased`).' },
  regPu: { type: 'number', default: 0.06, min: 0, doc: 'User-factor regularization (Surprise `reg_pu`).' },
  regQi: { type: 'number', default: 0.06, min: 0, doc: 'Item-factor regularization (Surprise `reg_qi`).' },
  regBu: { type: 'number', default: 0.02, min: 0, doc: 'User-bias regularization (Surprise `reg_bu`).' },
  regBi: { type: 'number', default: 0.02, min: 0, doc: 'Item-bias regularization (Surprise `reg_bi`).' },
  lrBu: { type: 'number', default: 0.005, min: 0, doc: 'User-bias learning rate (Surprise `lr_bu`).' },
  lrBi: { type: 'number', default: 0.005, min: 0, doc: 'Item-bias learning rate (Surprise `lr_bi`).' },
  initLow: { type: 'number', default: 0, min: 0, doc: 'Lower bound of the uniform factor initialization (Surprise `init_low`).' },
  initHigh: { type: 'number', default: 1, min: 0, doc: 'Upper bound of the uniform factor initialization (Surprise `init_high`).' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'Seed of the initialization (Surprise `random_state`).' },
  ...SCALE_SPECS,
} as const;
export type NMFParams = ParamsOf<typeof NMF_SPECS>;

/**
 * Non-negative matrix factorization with regularized multiplicative updates (Luo et al. 2014, as Surprise's NMF):
 * p_uf ← p_uf · Σ_i q_if r_ui / (Σ_i q_if r̂_ui + |I_u| λ_u p_uf), likewise for q_if, on the known ratings only.
 * Unbiased by default: unknown user or item → global mean. Fit O(epochs x nnz x factors), memory O((users + items) x factors).
 */
export class NMF extends ExplicitModel<typeof NMF_SPECS> {
  readonly algorithm = 'nmf';
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);
  private pu: Float64Array = new Float64Array(0);
  private qi: Float64Array = new Float64Array(0);

  constructor(params?: Partial<NMFParams>) {
    super(NMF_SPECS, 'nmf', params);
  }

  protected fitModel(seed: number, opts: FitOptions): void {
    const p = this.params;
    const F = p.factors;
    const nU = this.nUsers;
    const nI = this.nItems;
    const rng = new Rng(seed);
    const pu = new Float64Array(nU * F);
    const qi = new Float64Array(nI * F);
    for (let k = 0; k < pu.length; k++) pu[k] = rng.range(p.initLow, p.initHigh);
    for (let k = 0; k < qi.length; k++) qi[k] = rng.range(p.initLow, p.initHigh);
    const bu = new Float64Array(nU);
    const bi = new Float64Array(nI);
    const uNum = new Float64Array(nU * F);
    const uDen = new Float64Array(nU * F);
    const iNum = new Float64Array(nI * F);
    const iDen = new Float64Array(nI * F);
    const biased = p.biased;
    const mu = biased ? this.globalMean : 0;
    const { indptr, indices, values } = this.data;
    const itemCount = this.itemCount;
    for (let e = 0; e < p.epochs; e++) {
      throwIfAborted(opts.signal, 'nmf.fit');
      uNum.fill(0);
      uDen.fill(0);
      iNum.fill(0);
      iDen.fill(0);
      let sse = 0; // squared errors of the estimates this epoch's updates use (training error before the epoch)
      for (let u = 0; u < nU; u++) {
        const end = indptr[u + 1]!;
        const uo = u * F;
        for (let k = indptr[u]!; k < end; k++) {
          const i = indices[k]!;
          const io = i * F;
          const r = values[k]!;
          let est = mu + dotAt(pu, uo, qi, io, F);
          if (biased) {
            const b1 = bu[u]!;
            const b2 = bi[i]!;
            est += b1 + b2;
            const err = r - est;
            sse += err * err;
            bu[u] = b1 + p.lrBu * (err - p.regBu * b1);
            bi[i] = b2 + p.lrBi * (err - p.regBi * b2);
          } else {
            sse += (r - est) * (r - est);
          }
          for (let f = 0; f < F; f++) {
            const q = qi[io + f]!;
            const pv = pu[uo + f]!;
            uNum[uo + f] += q * r;
            uDen[uo + f] += q * est;
            iNum[io + f] += pv * r;
            iDen[io + f] += pv * est;
          }
        }
      }
      for (let u = 0; u < nU; u++) {
        const n = indptr[u + 1]! - indptr[u]!;
        const uo = u * F;
        for (let f = 0; f < F; f++) {
          const v = pu[uo + f]!;
          if (v !== 0) pu[uo + f] = (v * uNum[uo + f]!) / (uDen[uo + f]! + n * p.regPu * v);
        }
      }
      for (let i = 0; i < nI; i++) {
        const n = itemCount[i]!;
        const io = i * F;
        for (let f = 0; f < F; f++) {
          const v = qi[io + f]!;
          if (v !== 0) qi[io + f] = (v * iNum[io + f]!) / (iDen[io + f]! + n * p.regQi * v);
        }
      }
      opts.onProgress?.({ step: 'epoch', done: e + 1, total: p.epochs, metrics: { trainRmse: Math.sqrt(sse / Math.max(1, values.length)) } });
    }
    this.bu = bu;
    this.bi = bi;
    this.pu = pu;
    this.qi = qi;
  }

  protected estimate(u: number, i: number): number {
    const F = this.params.factors;
    if (!this.params.biased) {
      if (u < 0 || i < 0) {
        if (this.fb === 0) this.fb = FB_IMPOSSIBLE;
        return this.globalMean;
      }
      return dotAt(this.pu, u * F, this.qi, i * F, F);
    }
    let est = this.globalMean;
    if (u >= 0) est += this.bu[u]!;
    if (i >= 0) est += this.bi[i]!;
    if (u >= 0 && i >= 0) est += dotAt(this.pu, u * F, this.qi, i * F, F);
    return est;
  }

  protected saveState(): ModelState {
    const F = this.params.factors;
    return {
      state: {},
      tensors: { bu: tensor(this.bu), bi: tensor(this.bi), pu: tensor(this.pu, [this.nUsers, F]), qi: tensor(this.qi, [this.nItems, F]) },
    };
  }

  protected loadState(a: Artifact): void {
    const F = this.params.factors;
    this.bu = requireTensor(a, 'bu', Float64Array, [this.nUsers]);
    this.bi = requireTensor(a, 'bi', Float64Array, [this.nItems]);
    this.pu = requireTensor(a, 'pu', Float64Array, [this.nUsers, F]);
    this.qi = requireTensor(a, 'qi', Float64Array, [this.nItems, F]);
  }

  static fromArtifact(a: Artifact): NMF {
    return new NMF(a.meta.params as Partial<NMFParams>).restore(a);
  }
}
