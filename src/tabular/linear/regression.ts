import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { TabularModel, type TabularBaseState, type TabularFitOptions } from '../base.js';
import type { Matrix } from '../matrix.js';
import { rejectMissing } from './common.js';

/**
 * Least-squares linear models: LinearRegression (no penalty), Ridge (L2: |y - Xw|^2 + lambda |w|^2, scikit-learn's
 * alpha) and Lasso (L1: |y - Xw|^2 / (2n) + lambda |w|_1, scikit-learn's alpha). The intercept is never penalised:
 * the data are centred (weighted) first. OLS and Ridge solve the d x d normal equations by Cholesky, O(n d^2 + d^3);
 * Lasso runs cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010), O(iterations * n * d).
 */
const COMMON = {
  fitIntercept: { type: 'boolean', default: true, doc: 'learn an intercept (data are centred; the intercept is not penalised)' },
} as const;

export const LINEAR_SPECS = { ...COMMON } as const satisfies ParamSpecs;
export const RIDGE_SPECS = {
  ...COMMON,
  regularization: { type: 'number', default: 1, min: 0, doc: 'L2 strength lambda in |y - Xw|^2 + lambda |w|^2 (scikit-learn alpha)' },
} as const satisfies ParamSpecs;
export const LASSO_SPECS = {
  ...COMMON,
  regularization: { type: 'number', default: 1, min: 0, doc: 'L1 strength lambda in |y - Xw|^2 / (2n) + lambda |w|_1 (scikit-learn alpha)' },
  maxIter: { type: 'integer', default: 1000, min: 1, doc: 'coordinate descent sweeps' },
  tol: { type: 'number', default: 1e-7, min: 0, exclusiveMin: true, doc: 'stop when the largest coefficient change in a sweep is below this' },
} as const satisfies ParamSpecs;

abstract class LeastSquares<S extends ParamSpecs> extends TabularModel<S> {
  readonly task = 'regression' as const;
  protected coef: Float64Array = new Float64Array(0);
  protected intercept = 0;

  /** Coefficients (length d) and intercept. */
  get coefficients(): { coef: Float64Array; intercept: number } {
    this.requireFitted();
    return { coef: Float64Array.from(this.coef), intercept: this.intercept };
  }

  protected async fitMatrix(m: Matrix, y: Float64Array, _yi: Int32Array | undefined, opts: TabularFitOptions): Promise<void> {
    rejectMissing(m, this.schema, this.algorithm);
    const n = m.rows;
    const d = m.cols;
    const w = opts.sampleWeight ?? new Float64Array(n).fill(1);
    const fitIntercept = (this.params as { fitIntercept: boolean }).fitIntercept;
    // Weighted means for centring.
    const xm = new Float64Array(d);
    let ym = 0;
    let sw = 0;
    for (let i = 0; i < n; i++) sw += w[i];
    if (fitIntercept) {
      for (let i = 0; i < n; i++) {
        ym += w[i] * y[i];
        for (let j = 0; j < d; j++) xm[j] += w[i] * m.data[i * d + j];
      }
      ym /= sw;
      for (let j = 0; j < d; j++) xm[j] /= sw;
    }
    const Xc = new Float64Array(n * d);
    const yc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yc[i] = y[i] - ym;
      for (let j = 0; j < d; j++) Xc[i * d + j] = m.data[i * d + j] - xm[j];
    }
    this.coef = this.solve(Xc, yc, w, n, d, sw);
    let b = ym;
    for (let j = 0; j < d; j++) b -= xm[j] * this.coef[j];
    this.intercept = fitIntercept ? b : 0;
  }

  /** Solves for coefficients on centred data. */
  protected abstract solve(X: Float64Array, y: Float64Array, w: Float64Array, n: number, d: number, sw: number): Float64Array;

  protected predictMatrix(m: Matrix): Float64Array {
    rejectMissing(m, this.schema, this.algorithm);
    const n = m.rows;
    const d = m.cols;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = this.intercept;
      for (let j = 0; j < d; j++) s += m.data[i * d + j] * this.coef[j];
      out[i] = s;
    }
    return out;
  }

  toArtifact(): Artifact {
    const state = this.baseState();
    return { meta: { algorithm: this.algorithm, params: { ...this.params }, state: { ...state, intercept: this.intercept } }, tensors: { coef: tensor(this.coef) } };
  }

  protected restore(a: Artifact): this {
    this.restoreBase(a.meta.state as unknown as TabularBaseState);
    this.coef = requireTensor(a, 'coef', Float64Array);
    this.intercept = Number((a.meta.state as { intercept: number }).intercept);
    return this;
  }
}

/** Normal equations (X'WX + lambda I) b = X'Wy solved by Cholesky. */
function solveNormal(X: Float64Array, y: Float64Array, w: Float64Array, n: number, d: number, lambda: number): Float64Array {
  const A = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const xa = wi * X[o + a];
      r[a] += xa * y[i];
      for (let b = 0; b <= a; b++) A[a * d + b] += xa * X[o + b];
    }
  }
  for (let a = 0; a < d; a++) {
    A[a * d + a] += lambda + 1e-12;
    for (let b = 0; b < a; b++) A[b * d + a] = A[a * d + b];
  }
  // Cholesky A = L L'.
  const L = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = A[a * d + b];
      for (let k = 0; k < b; k++) s -= L[a * d + k] * L[b * d + k];
      if (a === b) {
        if (s <= 0) throw new InvalidArgumentError(`least squares: the features are collinear (column ${a} is a combination of others); use Ridge`);
        L[a * d + a] = Math.sqrt(s);
      } else L[a * d + b] = s / L[b * d + b];
    }
  }
  const z = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let s = r[a];
    for (let k = 0; k < a; k++) s -= L[a * d + k] * z[k];
    z[a] = s / L[a * d + a];
  }
  const b = new Float64Array(d);
  for (let a = d - 1; a >= 0; a--) {
    let s = z[a];
    for (let k = a + 1; k < d; k++) s -= L[k * d + a] * b[k];
    b[a] = s / L[a * d + a];
  }
  return b;
}

/** Ordinary least squares. */
export class LinearRegression extends LeastSquares<typeof LINEAR_SPECS> {
  readonly algorithm = 'linear';
  constructor(params: Partial<ParamsOf<typeof LINEAR_SPECS>> = {}) {
    super(LINEAR_SPECS, 'LinearRegression', params);
  }
  protected solve(X: Float64Array, y: Float64Array, w: Float64Array, n: number, d: number): Float64Array {
    return solveNormal(X, y, w, n, d, 0);
  }
  static fromArtifact(a: Artifact): LinearRegression {
    return new LinearRegression(a.meta.params as Partial<ParamsOf<typeof LINEAR_SPECS>>).restore(a);
  }
}

/** Ridge regression (L2). */
export class Ridge extends LeastSquares<typeof RIDGE_SPECS> {
  readonly algorithm = 'ridge';
  constructor(params: Partial<ParamsOf<typeof RIDGE_SPECS>> = {}) {
    super(RIDGE_SPECS, 'Ridge', params);
  }
  protected solve(X: Float64Array, y: Float64Array, w: Float64Array, n: number, d: number): Float64Array {
    return solveNormal(X, y, w, n, d, this.params.regularization);
  }
  static fromArtifact(a: Artifact): Ridge {
    return new Ridge(a.meta.params as Partial<ParamsOf<typeof RIDGE_SPECS>>).restore(a);
  }
}

/** Lasso regression (L1) by cyclic coordinate descent with soft-thresholding. */
export class Lasso extends LeastSquares<typeof LASSO_SPECS> {
  readonly algorithm = 'lasso';
  constructor(params: Partial<ParamsOf<typeof LASSO_SPECS>> = {}) {
    super(LASSO_SPECS, 'Lasso', params);
  }
  protected solve(X: Float64Array, y: Float64Array, w: Float64Array, n: number, d: number, sw: number): Float64Array {
    const lambda = this.params.regularization;
    const b = new Float64Array(d);
    const resid = Float64Array.from(y);
    const norms = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) norms[j] += w[i] * X[i * d + j] * X[i * d + j];
    for (let j = 0; j < d; j++) norms[j] /= sw;
    for (let it = 0; it < this.params.maxIter; it++) {
      let maxDelta = 0;
      for (let j = 0; j < d; j++) {
        if (norms[j] === 0) continue;
        let rho = 0;
        for (let i = 0; i < n; i++) rho += w[i] * X[i * d + j] * resid[i];
        rho = rho / sw + norms[j] * b[j];
        const nb = (rho > lambda ? rho - lambda : rho < -lambda ? rho + lambda : 0) / norms[j];
        const delta = nb - b[j];
        if (delta !== 0) {
          for (let i = 0; i < n; i++) resid[i] -= delta * X[i * d + j];
          b[j] = nb;
          maxDelta = Math.max(maxDelta, Math.abs(delta));
        }
      }
      if (maxDelta < this.params.tol) break;
    }
    return b;
  }
  static fromArtifact(a: Artifact): Lasso {
    return new Lasso(a.meta.params as Partial<ParamsOf<typeof LASSO_SPECS>>).restore(a);
  }
}
