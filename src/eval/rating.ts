import { EmptyInputError, InvalidArgumentError } from '../core/errors.js';

/**
 * Accuracy metrics for rating predictions, as Surprise's `accuracy` module defines them. Inputs are parallel arrays:
 * the true ratings, the estimates and (for FCP) the dense user index of each pair.
 */

/** A batch of rating predictions as parallel arrays (dense indices of the training id maps). */
export interface RatingPredictions {
  users: Int32Array;
  items: Int32Array;
  actual: Float64Array;
  estimate: Float64Array;
  /** Fallback code per prediction (0 = none; see recommenders/explicit/base.ts). */
  fallback: Uint8Array;
}

function check(name: string, actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length !== predicted.length) throw new InvalidArgumentError(`${name}: ${actual.length} true ratings but ${predicted.length} estimates`);
  if (actual.length === 0) throw new EmptyInputError(`${name}: no predictions to score`);
  return actual.length;
}

/** Mean squared error. */
export function mse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = check('mse', actual, predicted);
  let s = 0;
  for (let k = 0; k < n; k++) {
    const d = actual[k]! - predicted[k]!;
    s += d * d;
  }
  return s / n;
}

/** Root mean squared error. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check('rmse', actual, predicted);
  return Math.sqrt(mse(actual, predicted));
}

/** Mean absolute error. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = check('mae', actual, predicted);
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.abs(actual[k]! - predicted[k]!);
  return s / n;
}

/**
 * Fraction of Concordant Pairs (Koren 2008, "Factorization meets the neighborhood", section 5.2) with Surprise's
 * averaging: for each user, nc = pairs ordered the same way by estimate (strictly) and truth, nd = pairs where the
 * estimate is >= and the truth is <; FCP = mean_u(nc) / (mean_u(nc) + mean_u(nd)). O(sum over users of n_u²).
 */
export function fcp(users: Int32Array, actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = check('fcp', actual, predicted);
  if (users.length !== n) throw new InvalidArgumentError(`fcp: ${users.length} users but ${n} predictions`);
  // group positions by user with a counting sort
  let maxU = 0;
  for (let k = 0; k < n; k++) if (users[k]! > maxU) maxU = users[k]!;
  const start = new Int32Array(maxU + 2);
  for (let k = 0; k < n; k++) start[users[k]! + 1]++;
  for (let u = 0; u <= maxU; u++) start[u + 1] = start[u + 1]! + start[u]!;
  const next = start.slice(0, maxU + 1);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[next[users[k]!]!++] = k;
  let ncSum = 0;
  let ndSum = 0;
  let nUsers = 0;
  for (let u = 0; u <= maxU; u++) {
    const a = start[u]!;
    const b = start[u + 1]!;
    if (a === b) continue;
    nUsers++;
    for (let x = a; x < b; x++) {
      const kx = order[x]!;
      const rx = actual[kx]!;
      const ex = predicted[kx]!;
      for (let y = a; y < b; y++) {
        const ky = order[y]!;
        const ry = actual[ky]!;
        const ey = predicted[ky]!;
        if (ex > ey && rx > ry) ncSum++;
        if (ex >= ey && rx < ry) ndSum++;
      }
    }
  }
  const nc = ncSum / nUsers;
  const nd = ndSum / nUsers;
  if (nc + nd === 0) throw new InvalidArgumentError('fcp: no user has two predictions with different true ratings');
  return nc / (nc + nd);
}

/** Names of the rating metrics `crossValidate` and the searches accept. */
export const RATING_METRICS = ['rmse', 'mae', 'mse', 'fcp'] as const;
export type RatingMetric = (typeof RATING_METRICS)[number];

/** True when lower values are better for `metric`. */
export function lowerIsBetter(metric: RatingMetric): boolean {
  return metric !== 'fcp';
}

/** Computes one named metric over a batch of predictions. */
export function scorePredictions(metric: RatingMetric, p: RatingPredictions): number {
  switch (metric) {
    case 'rmse':
      return rmse(p.actual, p.estimate);
    case 'mae':
      return mae(p.actual, p.estimate);
    case 'mse':
      return mse(p.actual, p.estimate);
    case 'fcp':
      return fcp(p.users, p.actual, p.estimate);
  }
}

/** Checks metric names, throwing an error that names the bad one and the choices. */
export function parseRatingMetrics(names: readonly string[]): RatingMetric[] {
  const out: RatingMetric[] = [];
  for (const n of names) {
    const m = n.trim().toLowerCase();
    if (!(RATING_METRICS as readonly string[]).includes(m)) throw new InvalidArgumentError(`unknown rating metric "${n}"; expected one of: ${RATING_METRICS.join(', ')}`, { metric: n });
    out.push(m as RatingMetric);
  }
  return out;
}
