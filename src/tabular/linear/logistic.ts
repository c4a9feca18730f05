import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { TabularModel, type TabularBaseState, type TabularFitOptions, type TabularLearningCurve } from '../base.js';
import type { Matrix } from '../matrix.js';
import { rejectMissing, rowWeights } from './common.js';
import { fista, lbfgs } from './lbfgs.js';

/** Params of {@link LogisticRegression}. `regularization` is scikit-learn's 1 / C. */
export const LOGISTIC_SPECS = {
  penalty: { type: 'string', default: 'l2', choices: ['l2', 'l1', 'elasticnet', 'none'], doc: 'penalty on the coefficients (the intercept is never penalised)' },
  regularization: { type: 'number', default: 1, min: 0, doc: 'penalty strength lambda = 1 / C: objective sum_i w_i loss_i + lambda * penalty(w)' },
  l1Ratio: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'elastic net mix: lambda * (l1Ratio * |w|_1 + (1 - l1Ratio) / 2 * |w|^2)' },
  fitIntercept: { type: 'boolean', default: true, doc: 'learn an intercept' },
  classWeight: { type: 'string', default: 'none', choices: ['none', 'balanced'], doc: '"balanced" weights class c by n / (k * n_c)' },
  maxIter: { type: 'integer', default: 500, min: 1, doc: 'L-BFGS / FISTA iterations' },
  tol: { type: 'number', default: 1e-6, min: 0, exclusiveMin: true, doc: 'stop when the gradient (L-BFGS) or step (FISTA) max-norm falls below this, on the loss averaged per unit weight' },
} as const satisfies ParamSpecs;

/**
 * Logistic regression, binary or multinomial (softmax over k classes, as scikit-learn's `multi_class="multinomial"`).
 * L2 and no penalty use L-BFGS; L1 and elastic net use FISTA (proximal gradient). Fit cost O(iterations * n * d * k).
 * Needs complete data (impute first).
 */
export class LogisticRegression extends TabularModel<typeof LOGISTIC_SPECS> {
  readonly algorithm = 'logistic';
  readonly task = 'classification' as const;
  /** Weights, row-major k' x (d + 1): coefficients then intercept; k' = 1 for two classes. */
  private weights: Float64Array = new Float64Array(0);
  private kOut = 1;
  /** Solver iterations of the last fit (scikit-learn's n_iter_) and whether it converged within `maxIter`. */
  iterations = 0;
  converged = false;
  /** Objective (weighted mean log loss plus penalty, as minimised) after each solver iteration of the last fit. */
  objectiveHistory: number[] = [];

  constructor(params: Partial<ParamsOf<typeof LOGISTIC_SPECS>> = {}) {
    super(LOGISTIC_SPECS, 'LogisticRegression', params);
  }

  /** Coefficients k' x d (row-major) and intercepts k'. */
  get coefficients(): { coef: Float64Array; intercept: Float64Array; rows: number; cols: number } {
    this.requireFitted();
    const d1 = this.weights.length / this.kOut;
    const d = d1 - 1;
    const coef = new Float64Array(this.kOut * d);
    const intercept = new Float64Array(this.kOut);
    for (let c = 0; c < this.kOut; c++) {
      for (let j = 0; j < d; j++) coef[c * d + j] = this.weights[c * d1 + j];
      intercept[c] = this.weights[c * d1 + d];
    }
    return { coef, intercept, rows: this.kOut, cols: d };
  }

  protected async fitMatrix(m: Matrix, _y: Float64Array, yIndex: Int32Array | undefined, opts: TabularFitOptions): Promise<void> {
    rejectMissing(m, this.schema, this.algorithm);
    const p = this.params;
    const k = this.classes.length;
    const kOut = k === 2 ? 1 : k;
    const n = m.rows;
    const d = m.cols;
    const d1 = d + 1;
    const yi = yIndex as Int32Array;
    const w = rowWeights(n, yi, k, p.classWeight, opts.sampleWeight);
    let sw = 0;
    for (let i = 0; i < n; i++) sw += w[i];
    const lambda = p.penalty === 'none' ? 0 : p.regularization;
    const l2 = p.penalty === 'l2' ? lambda : p.penalty === 'elasticnet' ? lambda * (1 - p.l1Ratio) : 0;
    const l1 = p.penalty === 'l1' ? lambda : p.penalty === 'elasticnet' ? lambda * p.l1Ratio : 0;
    const X = m.data;
    const fitIntercept = p.fitIntercept;
    const z = new Float64Array(kOut);
    const inv = 1 / sw;
    const fg = (wt: Float64Array, g: Float64Array): number => {
      g.fill(0);
      let f = 0;
      for (let i = 0; i < n; i++) {
        const row = i * d;
        for (let c = 0; c < kOut; c++) {
          let s = fitIntercept ? wt[c * d1 + d] : 0;
          const o = c * d1;
          for (let j = 0; j < d; j++) s += X[row + j] * wt[o + j];
          z[c] = s;
        }
        const wi = w[i] * inv;
        if (kOut === 1) {
          const s = z[0];
          const yv = yi[i];
          // log(1 + e^s) - y s, computed stably.
          const lse = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
          f += wi * (lse - yv * s);
          const r = wi * (1 / (1 + Math.exp(-s)) - yv);
          for (let j = 0; j < d; j++) g[j] += r * X[row + j];
          if (fitIntercept) g[d] += r;
        } else {
          let mx = -Infinity;
          for (let c = 0; c < kOut; c++) if (z[c] > mx) mx = z[c];
          let se = 0;
          for (let c = 0; c < kOut; c++) {
            z[c] = Math.exp(z[c] - mx);
            se += z[c];
          }
          const yc = yi[i];
          f += wi * (Math.log(se) - Math.log(z[yc]));
          for (let c = 0; c < kOut; c++) {
            const r = wi * (z[c] / se - (c === yc ? 1 : 0));
            const o = c * d1;
            for (let j = 0; j < d; j++) g[o + j] += r * X[row + j];
            if (fitIntercept) g[o + d] += r;
          }
        }
      }
      if (l2 > 0) {
        const a = l2 * inv;
        for (let c = 0; c < kOut; c++) {
          for (let j = 0; j < d; j++) {
            const v = wt[c * d1 + j];
            f += 0.5 * a * v * v;
            g[c * d1 + j] += a * v;
          }
        }
      }
      return f;
    };
    const x0 = new Float64Array(kOut * d1);
    const history: number[] = [];
    // progress: solver iterations with the objective; the total is unknown (convergence decides), so no ETA
    const onIteration = (f: number): void => {
      history.push(f);
      opts.onProgress?.({ step: 'iteration', done: history.length, total: 0, metrics: { objective: f } });
    };
    let res;
    if (l1 > 0) {
      const l1w = new Float64Array(kOut * d1);
      for (let c = 0; c < kOut; c++) for (let j = 0; j < d; j++) l1w[c * d1 + j] = l1 * inv;
      res = fista(fg, x0, l1w, { maxIter: Math.max(p.maxIter, 2000), tol: p.tol, onIteration });
    } else {
      res = lbfgs(fg, x0, { maxIter: p.maxIter, tol: p.tol, onIteration });
    }
    this.weights = res.x;
    this.kOut = kOut;
    this.iterations = res.iterations;
    this.converged = res.converged;
    this.objectiveHistory = history;
    if (res.iterations > 0) opts.onProgress?.({ step: 'iteration', done: res.iterations, total: res.iterations });
  }

  /**
   * The solver's objective per iteration (L-BFGS or FISTA: weighted mean log loss plus the penalty, per unit
   * weight, as minimised). Empty for a model loaded from an artifact (the history is not saved).
   */
  learningCurve(): TabularLearningCurve {
    this.requireFitted();
    return { unit: 'iteration', steps: this.objectiveHistory.map((_, i) => i + 1), metrics: { objective: [...this.objectiveHistory] } };
  }

  /** Linear scores n x k' (log-odds of the last class for two classes). */
  decisionFunction(m: Matrix): Float64Array {
    const n = m.rows;
    const d = m.cols;
    const d1 = d + 1;
    const kOut = this.kOut;
    const out = new Float64Array(n * kOut);
    const X = m.data;
    const W = this.weights;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < kOut; c++) {
        let s = W[c * d1 + d];
        for (let j = 0; j < d; j++) s += X[i * d + j] * W[c * d1 + j];
        out[i * kOut + c] = s;
      }
    }
    return out;
  }

  protected predictMatrix(m: Matrix): Float64Array {
    rejectMissing(m, this.schema, this.algorithm);
    const z = this.decisionFunction(m);
    const n = m.rows;
    const k = this.classes.length;
    const out = new Float64Array(n * k);
    if (this.kOut === 1) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-z[i]));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let c = 0; c < k; c++) mx = Math.max(mx, z[i * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(z[i * k + c] - mx);
        out[i * k + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) out[i * k + c] /= s;
    }
    return out;
  }

  toArtifact(): Artifact {
    const state = this.baseState();
    const d1 = this.weights.length / this.kOut;
    return { meta: { algorithm: this.algorithm, params: { ...this.params }, state: { ...state } }, tensors: { weights: tensor(this.weights, [this.kOut, d1]) } };
  }

  static fromArtifact(a: Artifact): LogisticRegression {
    const model = new LogisticRegression(a.meta.params as Partial<ParamsOf<typeof LOGISTIC_SPECS>>);
    const state = a.meta.state as unknown as TabularBaseState;
    model.restoreBase(state);
    const w = requireTensor(a, 'weights', Float64Array);
    const t = a.tensors['weights'];
    model.kOut = t?.shape[0] ?? 1;
    model.weights = w;
    return model;
  }
}
