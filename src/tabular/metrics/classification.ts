import { InvalidArgumentError } from '../../core/errors.js';

/**
 * Classification metrics over typed arrays. Binary metrics take labels in {0, 1} (1 = positive) and scores or
 * probabilities for the positive class. All run in O(n) or O(n log n) (one sort) with O(n) scratch.
 */

function checkSame(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new InvalidArgumentError(`${name}: yTrue has ${a.length} entries but the scores have ${b.length}`);
  if (a.length === 0) throw new InvalidArgumentError(`${name}: empty input`);
}

/** Indices 0..n-1 sorted by descending score (stable). */
function orderByScoreDesc(score: ArrayLike<number>): Uint32Array {
  const n = score.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const s = Float64Array.from(score);
  idx.sort((a, b) => s[b] - s[a] || a - b);
  return idx;
}

/**
 * Area under the ROC curve (ties in score count one half, as the Mann-Whitney U statistic). Labels in {0, 1}.
 * Throws when only one class is present (the curve is undefined), naming the class found.
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  checkSame('rocAuc', yTrue, score);
  const idx = orderByScoreDesc(score);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) pos++; else neg++;
  if (pos === 0 || neg === 0) throw new InvalidArgumentError(`rocAuc: only one class present in yTrue (${pos === 0 ? 'no positives' : 'no negatives'}); AUC is undefined`);
  // Walk groups of tied scores: each negative in a group beats the positives seen before it, ties count 1/2.
  let tp = 0;
  let area = 0;
  let i = 0;
  const n = idx.length;
  while (i < n) {
    const s = score[idx[i]];
    let gp = 0;
    let gn = 0;
    let j = i;
    while (j < n && score[idx[j]] === s) {
      if (yTrue[idx[j]] === 1) gp++;
      else gn++;
      j++;
    }
    area += gn * (tp + gp / 2);
    tp += gp;
    i = j;
  }
  return area / (pos * neg);
}

/**
 * Area under the precision-recall curve as average precision: sum over thresholds of (R_k - R_{k-1}) * P_k, tied
 * scores forming one threshold (scikit-learn's `average_precision_score`).
 */
export function prAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  checkSame('prAuc', yTrue, score);
  const idx = orderByScoreDesc(score);
  let pos = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) pos++;
  if (pos === 0) throw new InvalidArgumentError('prAuc: no positives in yTrue; PR AUC is undefined');
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let i = 0;
  const n = idx.length;
  while (i < n) {
    const s = score[idx[i]];
    let gp = 0;
    let j = i;
    while (j < n && score[idx[j]] === s) {
      if (yTrue[idx[j]] === 1) gp++;
      else fp++;
      j++;
    }
    tp += gp;
    if (gp > 0) ap += (gp / pos) * (tp / (tp + fp));
    i = j;
  }
  return ap;
}

const EPS = 1e-15;

/** Mean binary cross-entropy; probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(yTrue: ArrayLike<number>, prob: ArrayLike<number>): number {
  checkSame('logLoss', yTrue, prob);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, prob[i]));
    s -= yTrue[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / yTrue.length;
}

/** Mean multiclass cross-entropy: `yIndex[i]` in [0, k), `proba` row-major n x k. */
export function multiLogLoss(yIndex: ArrayLike<number>, proba: ArrayLike<number>, k: number): number {
  if (proba.length !== yIndex.length * k) throw new InvalidArgumentError(`multiLogLoss: proba has ${proba.length} values, expected ${yIndex.length} x ${k}`);
  let s = 0;
  for (let i = 0; i < yIndex.length; i++) s -= Math.log(Math.min(1 - EPS, Math.max(EPS, proba[i * k + yIndex[i]])));
  return s / yIndex.length;
}

/** Mean squared error of probabilities against {0, 1} labels. */
export function brierScore(yTrue: ArrayLike<number>, prob: ArrayLike<number>): number {
  checkSame('brierScore', yTrue, prob);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = prob[i] - (yTrue[i] === 1 ? 1 : 0);
    s += d * d;
  }
  return s / yTrue.length;
}

/** Fraction of exact matches. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSame('accuracy', yTrue, yPred);
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) c++;
  return c / yTrue.length;
}

/** Precision, recall and F1 of class `positive` (default 1). Undefined ratios (0/0) are 0, as scikit-learn. */
export function precisionRecallF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, positive = 1): { precision: number; recall: number; f1: number } {
  checkSame('precisionRecallF1', yTrue, yPred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Confusion matrix: `counts[i * k + j]` = rows with true label `labels[i]` predicted `labels[j]`. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels?: readonly number[]): { labels: number[]; counts: Int32Array } {
  checkSame('confusionMatrix', yTrue, yPred);
  let ls = labels === undefined ? undefined : [...labels];
  if (ls === undefined) {
    const set = new Set<number>();
    for (let i = 0; i < yTrue.length; i++) {
      set.add(yTrue[i]);
      set.add(yPred[i]);
    }
    ls = [...set].sort((a, b) => a - b);
  }
  const pos = new Map<number, number>();
  ls.forEach((l, i) => pos.set(l, i));
  const k = ls.length;
  const counts = new Int32Array(k * k);
  for (let i = 0; i < yTrue.length; i++) {
    const a = pos.get(yTrue[i]);
    const b = pos.get(yPred[i]);
    if (a !== undefined && b !== undefined) counts[a * k + b]++;
  }
  return { labels: ls, counts };
}
