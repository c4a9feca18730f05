import { InvalidArgumentError } from '../core/errors.js';

/** Points of a curve as parallel arrays. */
export interface Curve {
  x: Float64Array;
  y: Float64Array;
}

function checkBinary(yTrue: ArrayLike<number>, scores: ArrayLike<number>, what: string): void {
  if (yTrue.length !== scores.length) throw new InvalidArgumentError(`${what}: yTrue has ${yTrue.length} values but scores has ${scores.length}`);
  if (yTrue.length === 0) throw new InvalidArgumentError(`${what}: no samples`);
}

/** Sample indices by descending score (ties keep input order). */
function orderByScore(scores: ArrayLike<number>): Int32Array {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/**
 * ROC curve (false-positive rate, true-positive rate) with one point per distinct score threshold, from (0, 0) to
 * (1, 1), as scikit-learn's `roc_curve(drop_intermediate=False)`. Labels are 1 (positive) or anything else.
 * O(n log n).
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): Curve {
  checkBinary(yTrue, scores, 'rocCurve');
  const n = yTrue.length;
  const order = orderByScore(scores);
  let pos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) pos++;
  const neg = n - pos;
  const xs: number[] = [0];
  const ys: number[] = [0];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (yTrue[i] === 1) tp++;
    else fp++;
    const next = r + 1 < n ? scores[order[r + 1]!]! : NaN;
    if (next !== scores[i]) {
      xs.push(neg === 0 ? 0 : fp / neg);
      ys.push(pos === 0 ? 0 : tp / pos);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/**
 * Precision-recall curve: x = recall, y = precision at each distinct threshold, starting at (0, 1) like
 * scikit-learn's `precision_recall_curve`. O(n log n).
 */
export function prCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): Curve {
  checkBinary(yTrue, scores, 'prCurve');
  const n = yTrue.length;
  const order = orderByScore(scores);
  let pos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) pos++;
  const xs: number[] = [0];
  const ys: number[] = [1];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (yTrue[i] === 1) tp++;
    const next = r + 1 < n ? scores[order[r + 1]!]! : NaN;
    if (next !== scores[i]) {
      xs.push(pos === 0 ? 0 : tp / pos);
      ys.push(tp / (r + 1));
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/** Reliability diagram data: per non-empty bin, mean predicted probability, observed positive rate and count. */
export interface Calibration {
  meanPredicted: Float64Array;
  fractionPositive: Float64Array;
  counts: Int32Array;
}

/**
 * Calibration curve with `bins` equal-width probability bins on [0, 1] (scikit-learn's
 * `calibration_curve(strategy='uniform')`); empty bins are dropped. Probabilities outside [0, 1] are an error.
 */
export function calibrationCurve(yTrue: ArrayLike<number>, prob: ArrayLike<number>, bins = 10): Calibration {
  checkBinary(yTrue, prob, 'calibrationCurve');
  if (!Number.isInteger(bins) || bins < 1) throw new InvalidArgumentError(`calibrationCurve: bins must be a positive integer, got ${bins}`);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const cnt = new Int32Array(bins);
  for (let i = 0; i < yTrue.length; i++) {
    const p = prob[i]!;
    if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`calibrationCurve: probability ${p} at index ${i} is outside [0, 1]`);
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b]! += p;
    sumY[b]! += yTrue[i] === 1 ? 1 : 0;
    cnt[b]!++;
  }
  let nonEmpty = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]! > 0) nonEmpty++;
  const out: Calibration = { meanPredicted: new Float64Array(nonEmpty), fractionPositive: new Float64Array(nonEmpty), counts: new Int32Array(nonEmpty) };
  let j = 0;
  for (let b = 0; b < bins; b++) {
    if (cnt[b] === 0) continue;
    out.meanPredicted[j] = sumP[b]! / cnt[b]!;
    out.fractionPositive[j] = sumY[b]! / cnt[b]!;
    out.counts[j] = cnt[b]!;
    j++;
  }
  return out;
}

/** Keeps at most `max` points of a curve (evenly spaced, first and last kept), to bound the SVG size. */
export function thinCurve(c: Curve, max = 400): Curve {
  const n = c.x.length;
  if (n <= max) return c;
  const x = new Float64Array(max);
  const y = new Float64Array(max);
  for (let j = 0; j < max; j++) {
    const i = Math.round((j * (n - 1)) / (max - 1));
    x[j] = c.x[i]!;
    y[j] = c.y[i]!;
  }
  return { x, y };
}
