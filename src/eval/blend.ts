import { InvalidArgumentError, throwIfAborted } from '../core/errors.js';
import type { RunOptions } from '../core/progress.js';
import { deriveSeed } from '../core/rng.js';
import type { Interactions } from '../data/interactions.js';
import { type Split, kFold, randomSplit } from '../data/splits.js';
import { getAlgorithm } from '../recommenders/registry.js';
import { type MetricSummary, predictTest, summarize } from './cv.js';
import { type RatingMetric, parseRatingMetrics, scorePredictions } from './rating.js';

/** One member of a blend: a registered rating algorithm and its params. */
export interface BlendMember {
  algo: string;
  params?: Record<string, unknown>;
}

export interface BlendOptions extends RunOptions {
  /** Share of each training set held out to fit the blend weights (default 0.2). */
  holdout?: number;
  /** Ridge penalty on the weights (not the intercept), relative to the number of held-out ratings (default 1e-4). */
  ridge?: number;
  /** Rating scale for clipping the blended estimate. */
  scale: [number, number];
}

/** A fitted linear blend: r̂ = w0 + Σ_k w_k r̂_k, clipped to the scale. */
export interface BlendFit {
  weights: Float64Array;
  intercept: number;
}

/**
 * Solves ridge regression with an intercept, y ≈ w0 + X w (X row-major n x m), by the normal equations and Gaussian
 * elimination with partial pivoting. O(n m² + m³).
 */
export function ridgeFit(X: Float64Array, y: Float64Array, n: number, m: number, lambda: number): BlendFit {
  const d = m + 1;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    row[0] = 1;
    for (let j = 0; j < m; j++) row[j + 1] = X[r * m + j]!;
    for (let a = 0; a < d; a++) {
      b[a] += row[a]! * y[r]!;
      for (let c = 0; c < d; c++) A[a * d + c] += row[a]! * row[c]!;
    }
  }
  for (let j = 1; j < d; j++) A[j * d + j] += lambda * n;
  // Gaussian elimination
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(A[r * d + col]!) > Math.abs(A[piv * d + col]!)) piv = r;
    if (A[piv * d + col] === 0) throw new InvalidArgumentError('ridgeFit: singular system (identical members?)');
    if (piv !== col) {
      for (let c = 0; c < d; c++) {
        const t = A[col * d + c]!;
        A[col * d + c] = A[piv * d + c]!;
        A[piv * d + c] = t;
      }
      const t = b[col]!;
      b[col] = b[piv]!;
      b[piv] = t;
    }
    for (let r = col + 1; r < d; r++) {
      const f = A[r * d + col]! / A[col * d + col]!;
      if (f === 0) continue;
      for (let c = col; c < d; c++) A[r * d + c] -= f * A[col * d + c]!;
      b[r] -= f * b[col]!;
    }
  }
  const w = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < d; c++) s -= A[r * d + c]! * w[c]!;
    w[r] = s / A[r * d + r]!;
  }
  return { intercept: w[0]!, weights: w.slice(1) };
}

/** Each member's predictions of `test` after fitting on `train` (member-major: m x test.nnz). */
async function memberPredictions(members: readonly BlendMember[], train: Interactions, test: Interactions, opts: RunOptions): Promise<{ X: Float64Array; actual: Float64Array; users: Int32Array }> {
  const n = test.nnz;
  const m = members.length;
  const X = new Float64Array(n * m);
  let actual: Float64Array = new Float64Array(0);
  let users: Int32Array = new Int32Array(0);
  for (let j = 0; j < m; j++) {
    throwIfAborted(opts.signal, 'blend');
    const model = getAlgorithm(members[j]!.algo, 'rating').create(members[j]!.params ?? {});
    await model.fit(train, opts.signal === undefined ? {} : { signal: opts.signal });
    const p = predictTest(model, test);
    for (let r = 0; r < n; r++) X[r * m + j] = p.estimate[r]!;
    actual = p.actual;
    users = p.users;
  }
  return { X, actual, users };
}

/**
 * Fits a blend on one train/test split without touching the test ratings: the members are fitted on a random
 * (1 - holdout) part of `train`, the weights by ridge regression on the held-out part, then the members are refitted
 * on all of `train` and their test predictions combined.
 */
export async function blendSplit(members: readonly BlendMember[], split: Split, seed: number, metrics: readonly RatingMetric[], opts: BlendOptions): Promise<{ scores: Record<string, number>; fit: BlendFit; seconds: number }> {
  const t0 = performance.now();
  const inner = randomSplit(split.train, { testRatio: opts.holdout ?? 0.2, seed });
  const h = await memberPredictions(members, inner.train, inner.test, opts);
  const fit = ridgeFit(h.X, h.actual, inner.test.nnz, members.length, opts.ridge ?? 1e-4);
  const t = await memberPredictions(members, split.train, split.test, opts);
  const n = split.test.nnz;
  const m = members.length;
  const est = new Float64Array(n);
  const [lo, hi] = opts.scale;
  for (let r = 0; r < n; r++) {
    let s = fit.intercept;
    for (let j = 0; j < m; j++) s += fit.weights[j]! * t.X[r * m + j]!;
    est[r] = s < lo ? lo : s > hi ? hi : s;
  }
  const preds = { users: t.users, items: split.test.indices, actual: t.actual, estimate: est, fallback: new Uint8Array(n) };
  const scores: Record<string, number> = {};
  for (const mt of metrics) scores[mt] = scorePredictions(mt, preds);
  return { scores, fit, seconds: (performance.now() - t0) / 1000 };
}

/** K-fold CV of a blend on the same folds as `crossValidate` with the same seed; the weights of each fold too. */
export async function crossValidateBlend(
  members: readonly BlendMember[],
  data: Interactions,
  opts: BlendOptions & { cv?: number; metrics?: readonly string[] },
): Promise<{ members: BlendMember[]; metrics: Record<string, MetricSummary>; seconds: MetricSummary; weights: number[][]; intercepts: number[] }> {
  if (members.length === 0) throw new InvalidArgumentError('crossValidateBlend: no members');
  for (const mb of members) getAlgorithm(mb.algo, 'rating').create(mb.params ?? {});
  const metrics = parseRatingMetrics(opts.metrics ?? ['rmse', 'mae']);
  const seed = opts.seed ?? 0;
  const splits = kFold(data, opts.cv ?? 5, { seed });
  const per: Record<string, number>[] = [];
  const secs: number[] = [];
  const weights: number[][] = [];
  const intercepts: number[] = [];
  for (let f = 0; f < splits.length; f++) {
    const r = await blendSplit(members, splits[f]!, deriveSeed(seed, f), metrics, opts);
    per.push(r.scores);
    secs.push(r.seconds);
    weights.push(Array.from(r.fit.weights));
    intercepts.push(r.fit.intercept);
    opts.onProgress?.({ step: 'fold', done: f + 1, total: splits.length, metrics: r.scores });
  }
  const out: Record<string, MetricSummary> = {};
  for (const mt of metrics) out[mt] = summarize(per.map((p) => p[mt]!));
  return { members: members.slice(), metrics: out, seconds: summarize(secs), weights, intercepts };
}
