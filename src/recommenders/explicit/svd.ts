import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { dotAt } from './dot.js';
import { runWasmSgd, wasmSgdAvailable } from './sgd-wasm.js';
import { ExplicitModel, FB_IMPOSSIBLE, type ModelState, SCALE_SPECS } from './base.js';

/** Params of {@link SVD}; defaults are Surprise's. Per-parameter rates and regularizations default (null) to the global ones. */
export const SVD_SPECS = {
  factors: { type: 'integer', default: 100, min: 1, doc: 'Number of latent factors (Surprise `n_factors`).' },
  epochs: { type: 'integer', default: 20, min: 1, doc: 'SGD passes over the ratings (Surprise `n_epochs`).' },
  biased: { type: 'boolean', default: true, doc: 'Learn mu + b_u + b_i besides the factors (false = probabilistic MF).' },
  initMean: { type: 'number', default: 0, doc: 'Mean of the normal initialization of the factors (Surprise `init_mean`).' },
  initStd: { type: 'number', default: 0.1, min: 0, doc: 'Standard deviation of the factor initialization (Surprise `init_std_dev`).' },
  learningRate: { type: 'number', default: 0.005, min: 0, doc: 'Learning rate of every parameter (Surprise `lr_all`).' },
  regularization: { type: 'number', default: 0.02, min: 0, doc: 'Regularization of every parameter (Surprise `reg_all`).' },
  lrBu: { type: 'optional-number', default: null, min: 0, doc: 'Learning rate of b_u (Surprise `lr_bu`); null = learningRate.' },
  lrBi: { type: 'optional-number', default: null, min: 0, doc: 'Learning rate of b_i (Surprise `lr_bi`); null = learningRate.' },
  lrPu: { type: 'optional-number', default: null, min: 0, doc: 'Learning rate of p_u (Surprise `lr_pu`); null = learningRate.' },
  lrQi: { type: 'optional-number', default: null, min: 0, doc: 'Learning rate of q_i (Surprise `lr_qi`); null = learningRate.' },
  regBu: { type: 'optional-number', default: null, min: 0, doc: 'Regularization of b_u (Surprise `reg_bu`); null = regularization.' },
  regBi: { type: 'optional-number', default: null, min: 0, doc: 'Regularization of b_i (Surprise `reg_bi`); null = regularization.' },
  regPu: { type: 'optional-number', default: null, min: 0, doc: 'Regularization of p_u (Surprise `reg_pu`); null = regularization.' },
  regQi: { type: 'optional-number', default: null, min: 0, doc: 'Regularization of q_i (Surprise `reg_qi`); null = regularization.' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'Seed of the factor initialization (Surprise `random_state`).' },
  engine: { type: 'string', default: 'auto', choices: ['auto', 'js'] as const, doc: 'auto = the WebAssembly SIMD epoch when biased with an even number of factors, else TypeScript; js = always TypeScript. Not in Surprise.' },
  ...SCALE_SPECS,
} as const;
export type SVDParams = ParamsOf<typeof SVD_SPECS>;

/**
 * Funk's SVD as in Surprise (Koren, Bell & Volinsky 2009, eq. 5): r̂ = mu + b_u + b_i + q_iᵀp_u, fit by SGD over the
 * ratings in user order; every step reads both old factors before updating. Unbiased (`biased: false`) is PMF:
 * r̂ = q_iᵀp_u. Unknown user (item): its bias and factors count as zero (biased), or the global mean (unbiased).
 * Fit O(epochs x nnz x factors) time, O((users + items) x factors) memory.
 */
export class SVD extends ExplicitModel<typeof SVD_SPECS> {
  readonly algorithm = 'svd';
  private bu: Float64Array = new Float64Array(0);
  private bi: Float64Array = new Float64Array(0);
  private pu: Float64Array = new Float64Array(0);
  private qi: Float64Array = new Float64Array(0);

  constructor(params?: Partial<SVDParams>) {
    super(SVD_SPECS, 'svd', params);
  }

  protected fitModel(seed: number, opts: FitOptions): void {
    const p = this.params;
    const F = p.factors;
    const nU = this.nUsers;
    const nI = this.nItems;
    const rng = new Rng(seed);
    const pu = new Float64Array(nU * F);
    const qi = new Float64Array(nI * F);
    for (let k = 0; k < pu.length; k++) pu[k] = rng.normal(p.initMean, p.initStd);
    for (let k = 0; k < qi.length; k++) qi[k] = rng.normal(p.initMean, p.initStd);
    const bu = new Float64Array(nU);
    const bi = new Float64Array(nI);
    const lr = p.learningRate;
    const reg = p.regularization;
    const lrBu = p.lrBu ?? lr;
    const lrBi = p.lrBi ?? lr;
    const lrPu = p.lrPu ?? lr;
    const lrQi = p.lrQi ?? lr;
    const regBu = p.regBu ?? reg;
    const regBi = p.regBi ?? reg;
    const regPu = p.regPu ?? reg;
    const regQi = p.regQi ?? reg;
    const decayP = 1 - lrPu * regPu;
    const decayQ = 1 - lrQi * regQi;
    const biased = p.biased;
    const mu = biased ? this.globalMean : 0;
    const { indptr, indices, values } = this.data;
    if (biased && F % 2 === 0 && p.engine === 'auto' && wasmSgdAvailable()) {
      runWasmSgd({ indptr, indices, values, pu, qi, bu, bi, factors: F }, { mu, lrBu, regBu, lrBi, regBi, decayP, lrPu, decayQ, lrQi }, p.epochs, (e, sse) => {
        throwIfAborted(opts.signal, 'svd.fit');
        opts.onProgress?.({ step: 'epoch', done: e + 1, total: p.epochs, metrics: { trainRmse: Math.sqrt(sse / Math.max(1, values.length)) } });
      });
      this.bu = bu;
      this.bi = bi;
      this.pu = pu;
      this.qi = qi;
      return;
    }
    for (let e = 0; e < p.epochs; e++) {
      throwIfAborted(opts.signal, 'svd.fit');
      // sum of squared errors, each taken before its rating's update (the epoch's online training error)
      let sse = 0;
      for (let u = 0; u < nU; u++) {
        const start = indptr[u]!;
        const end = indptr[u + 1]!;
        if (start === end) continue;
        const uo = u * F;
        // the dot product of the next rating is accumulated inside this rating's update loop (a user's items are
        // distinct, so the next q_i is not touched by this update): one pass over p_u per rating instead of two
        let dot = dotAt(pu, uo, qi, indices[start]! * F, F);
        for (let k = start; k < end; k++) {
          const i = indices[k]!;
          const io = i * F;
          let err: number;
          if (biased) {
            const b1 = bu[u]!;
            const b2 = bi[i]!;
            err = values[k]! - (mu + b1 + b2 + dot);
            bu[u] = b1 + lrBu * (err - regBu * b1);
            bi[i] = b2 + lrBi * (err - regBi * b2);
          } else {
            err = values[k]! - dot;
          }
          sse += err * err;
          // p += lrPu (err q - regPu p) written as decay * p + step * q; both read the old values
          const sp = lrPu * err;
          const sq = lrQi * err;
          if (k + 1 < end) {
            const no = indices[k + 1]! * F;
            let d0 = 0;
            let d1 = 0;
            let f = 0;
            for (; f + 1 < F; f += 2) {
              const p0 = pu[uo + f]!;
              const q0 = qi[io + f]!;
              const p1 = pu[uo + f + 1]!;
              const q1 = qi[io + f + 1]!;
              const n0 = decayP * p0 + sp * q0;
              const n1 = decayP * p1 + sp * q1;
              pu[uo + f] = n0;
              pu[uo + f + 1] = n1;
              qi[io + f] = decayQ * q0 + sq * p0;
              qi[io + f + 1] = decayQ * q1 + sq * p1;
              d0 += n0 * qi[no + f]!;
              d1 += n1 * qi[no + f + 1]!;
            }
            for (; f < F; f++) {
              const p0 = pu[uo + f]!;
              const q0 = qi[io + f]!;
              const n0 = decayP * p0 + sp * q0;
              pu[uo + f] = n0;
              qi[io + f] = decayQ * q0 + sq * p0;
              d0 += n0 * qi[no + f]!;
            }
            dot = d0 + d1;
          } else {
            for (let f = 0; f < F; f++) {
              const puf = pu[uo + f]!;
              const qif = qi[io + f]!;
              pu[uo + f] = decayP * puf + sp * qif;
              qi[io + f] = decayQ * qif + sq * puf;
            }
          }
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
    if (u >= 0 && i >= 0) {
      est += dotAt(this.pu, u * F, this.qi, i * F, F);
    }
    return est;
  }

  /** Learned factors, row-major: pu (users x factors), qi (items x factors), and the biases. */
  get factorsOf(): { pu: Float64Array; qi: Float64Array; bu: Float64Array; bi: Float64Array } {
    this.requireFitted();
    return { pu: this.pu, qi: this.qi, bu: this.bu, bi: this.bi };
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

  static fromArtifact(a: Artifact): SVD {
    return new SVD(a.meta.params as Partial<SVDParams>).restore(a);
  }
}
