import type { Interactions } from '../../data/interactions.js';

/** Baseline estimation method (Koren 2010, "Factor in the neighbors", section 2.1), as in Surprise's `bsl_options`. */
export type BaselineMethod = 'als' | 'sgd';

/** Settings of a baseline fit. */
export interface BaselineOptions {
  method: BaselineMethod;
  /** Epochs; null = Surprise's default for the method (ALS 10, SGD 20). */
  epochs: number | null;
  /** ALS user-bias regularization (Surprise `reg_u`, default 15). */
  regUser: number;
  /** ALS item-bias regularization (Surprise `reg_i`, default 10). */
  regItem: number;
  /** SGD regularization (Surprise `reg`, default 0.02). */
  regularization: number;
  /** SGD learning rate (Surprise `learning_rate`, default 0.005). */
  learningRate: number;
}

/** Learned user and item biases: r̂ = mu + bu[u] + bi[i]. */
export interface Biases {
  bu: Float64Array;
  bi: Float64Array;
}

/**
 * Fits user and item biases around `mu`. ALS alternates the closed-form item step
 * `bi = sum_u (r - mu - bu) / (regItem + |U_i|)` and user step `bu = sum_i (r - mu - bi) / (regUser + |I_u|)`;
 * SGD walks the ratings in user order with `b += lr (err - reg b)`. O(epochs x nnz) time, O(users + items) memory.
 */
export function fitBaselines(data: Interactions, mu: number, o: BaselineOptions): Biases {
  const bu = new Float64Array(data.nUsers);
  const bi = new Float64Array(data.nItems);
  const { indptr, indices, values } = data;
  if (o.method === 'als') {
    const epochs = o.epochs ?? 10;
    const csc = data.csc();
    const cp = csc.indptr;
    const ci = csc.indices;
    const cv = csc.values;
    const regU = o.regUser;
    const regI = o.regItem;
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < data.nItems; i++) {
        const a = cp[i]!;
        const b = cp[i + 1]!;
        let dev = 0;
        for (let k = a; k < b; k++) dev += cv[k]! - mu - bu[ci[k]!]!;
        bi[i] = dev / (regI + (b - a));
      }
      for (let u = 0; u < data.nUsers; u++) {
        const a = indptr[u]!;
        const b = indptr[u + 1]!;
        let dev = 0;
        for (let k = a; k < b; k++) dev += values[k]! - mu - bi[indices[k]!]!;
        bu[u] = dev / (regU + (b - a));
      }
    }
  } else {
    const epochs = o.epochs ?? 20;
    const lr = o.learningRate;
    const reg = o.regularization;
    for (let e = 0; e < epochs; e++) {
      for (let u = 0; u < data.nUsers; u++) {
        const b = indptr[u + 1]!;
        let buu = bu[u]!;
        for (let k = indptr[u]!; k < b; k++) {
          const i = indices[k]!;
          const bii = bi[i]!;
          const err = values[k]! - (mu + buu + bii);
          buu += lr * (err - reg * buu);
          bi[i] = bii + lr * (err - reg * bii);
        }
        bu[u] = buu;
      }
    }
  }
  return { bu, bi };
}
