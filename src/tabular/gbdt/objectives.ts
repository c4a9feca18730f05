import { SchemaError } from '../../core/errors.js';

/** Objectives of gradient boosting: name, outputs per row, base margin, gradients, output transform, eval loss. */
export type ObjectiveName = 'binary' | 'softmax' | 'squared' | 'poisson';

/**
 * First and second derivatives of the loss in the margin (raw score). Margins are row-major n x nOut; gradients and
 * hessians are output-major (grad[c * n + i]) so one tree's slice is contiguous.
 */
export interface Objective {
  readonly name: ObjectiveName;
  readonly nOut: number;
  /** Constant starting margin per output, from the (weighted) targets. */
  baseMargin(y: Float64Array, yIndex: Int32Array | undefined, w: Float64Array): Float64Array;
  gradients(margin: Float64Array, y: Float64Array, yIndex: Int32Array | undefined, w: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** Margins -> probabilities (n x k for classifiers; binary gives both columns) or outputs (n). */
  transform(margin: Float64Array, n: number): Float64Array;
  /** Mean loss (log loss, RMSE or Poisson deviance) for early stopping; lower is better. */
  loss(margin: Float64Array, y: Float64Array, yIndex: Int32Array | undefined): number;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The objective for a task: binary / softmax for classifiers (by class count), squared / poisson for regressors. */
export function makeObjective(name: ObjectiveName, k: number): Objective {
  switch (name) {
    case 'binary':
      return {
        name,
        nOut: 1,
        baseMargin(_y, yi, w) {
          let s = 0;
          let sw = 0;
          for (let i = 0; i < w.length; i++) {
            s += w[i] * (yi as Int32Array)[i];
            sw += w[i];
          }
          const p = Math.min(1 - 1e-6, Math.max(1e-6, s / sw));
          return Float64Array.of(Math.log(p / (1 - p)));
        },
        gradients(m, _y, yi, w, g, h) {
          const y = yi as Int32Array;
          for (let i = 0; i < y.length; i++) {
            const p = sigmoid(m[i]);
            g[i] = w[i] * (p - y[i]);
            h[i] = w[i] * Math.max(p * (1 - p), 1e-16);
          }
        },
        transform(m, n) {
          const out = new Float64Array(2 * n);
          for (let i = 0; i < n; i++) {
            const p = sigmoid(m[i]);
            out[2 * i] = 1 - p;
            out[2 * i + 1] = p;
          }
          return out;
        },
        loss(m, _y, yi) {
          const y = yi as Int32Array;
          let s = 0;
          for (let i = 0; i < y.length; i++) {
            const z = m[i];
            const lse = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            s += lse - y[i] * z;
          }
          return s / y.length;
        },
      };
    case 'softmax':
      return {
        name,
        nOut: k,
        baseMargin(_y, yi, w) {
          const c = new Float64Array(k);
          let sw = 0;
          for (let i = 0; i < w.length; i++) {
            c[(yi as Int32Array)[i]] += w[i];
            sw += w[i];
          }
          const out = new Float64Array(k);
          for (let j = 0; j < k; j++) out[j] = Math.log(Math.max(c[j] / sw, 1e-6));
          return out;
        },
        gradients(m, _y, yi, w, g, h) {
          const y = yi as Int32Array;
          const n = y.length;
          const scale = k / (k - 1);
          for (let i = 0; i < n; i++) {
            let mx = -Infinity;
            for (let c = 0; c < k; c++) mx = Math.max(mx, m[i * k + c]);
            let se = 0;
            for (let c = 0; c < k; c++) se += Math.exp(m[i * k + c] - mx);
            for (let c = 0; c < k; c++) {
              const p = Math.exp(m[i * k + c] - mx) / se;
              g[c * n + i] = w[i] * (p - (y[i] === c ? 1 : 0));
              h[c * n + i] = w[i] * Math.max(scale * p * (1 - p), 1e-16);
            }
          }
        },
        transform(m, n) {
          const out = new Float64Array(n * k);
          for (let i = 0; i < n; i++) {
            let mx = -Infinity;
            for (let c = 0; c < k; c++) mx = Math.max(mx, m[i * k + c]);
            let se = 0;
            for (let c = 0; c < k; c++) se += out[i * k + c] = Math.exp(m[i * k + c] - mx);
            for (let c = 0; c < k; c++) out[i * k + c] /= se;
          }
          return out;
        },
        loss(m, _y, yi) {
          const y = yi as Int32Array;
          let s = 0;
          for (let i = 0; i < y.length; i++) {
            let mx = -Infinity;
            for (let c = 0; c < k; c++) mx = Math.max(mx, m[i * k + c]);
            let se = 0;
            for (let c = 0; c < k; c++) se += Math.exp(m[i * k + c] - mx);
            s += Math.log(se) + mx - m[i * k + y[i]];
          }
          return s / y.length;
        },
      };
    case 'squared':
      return {
        name,
        nOut: 1,
        baseMargin(y, _yi, w) {
          let s = 0;
          let sw = 0;
          for (let i = 0; i < y.length; i++) {
            s += w[i] * y[i];
            sw += w[i];
          }
          return Float64Array.of(s / sw);
        },
        gradients(m, y, _yi, w, g, h) {
          for (let i = 0; i < y.length; i++) {
            g[i] = w[i] * (m[i] - y[i]);
            h[i] = w[i];
          }
        },
        transform(m) {
          return Float64Array.from(m);
        },
        loss(m, y) {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (m[i] - y[i]) ** 2;
          return Math.sqrt(s / y.length);
        },
      };
    case 'poisson':
      return {
        name,
        nOut: 1,
        baseMargin(y, _yi, w) {
          let s = 0;
          let sw = 0;
          for (let i = 0; i < y.length; i++) {
            if (y[i] < 0) throw new SchemaError(`poisson objective: the target must be >= 0, got ${y[i]} at row ${i + 1}`);
            s += w[i] * y[i];
            sw += w[i];
          }
          return Float64Array.of(Math.log(Math.max(s / sw, 1e-12)));
        },
        gradients(m, y, _yi, w, g, h) {
          // XGBoost's count:poisson: hessian exp(m + max_delta_step) with max_delta_step 0.7 for stability.
          for (let i = 0; i < y.length; i++) {
            const mu = Math.exp(m[i]);
            g[i] = w[i] * (mu - y[i]);
            h[i] = w[i] * Math.exp(m[i] + 0.7);
          }
        },
        transform(m) {
          const out = new Float64Array(m.length);
          for (let i = 0; i < m.length; i++) out[i] = Math.exp(m[i]);
          return out;
        },
        loss(m, y) {
          // Mean Poisson deviance.
          let s = 0;
          for (let i = 0; i < y.length; i++) {
            const mu = Math.exp(m[i]);
            s += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu) : 0) - (y[i] - mu));
          }
          return s / y.length;
        },
      };
  }
}
