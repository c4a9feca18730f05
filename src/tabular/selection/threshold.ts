import { InvalidArgumentError } from '../../core/errors.js';

/** A decision threshold and what it gives on the data it was chosen on. */
export interface ThresholdChoice {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Chooses a threshold on scores (predict positive when score >= threshold): the one maximising F1, or the lowest one
 * whose precision reaches `minPrecision` (most recall at that precision: fraud alerts), or the highest one whose
 * recall reaches `minRecall`. One sort, O(n log n). Labels in {0, 1}.
 */
export function chooseThreshold(yTrue: ArrayLike<number>, score: ArrayLike<number>, goal: { objective: 'f1' } | { minPrecision: number } | { minRecall: number } = { objective: 'f1' }): ThresholdChoice {
  const n = yTrue.length;
  if (n !== score.length || n === 0) throw new InvalidArgumentError(`chooseThreshold: ${n} labels and ${score.length} scores`);
  const idx = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) pos++;
  if (pos === 0) throw new InvalidArgumentError('chooseThreshold: no positives');
  let tp = 0;
  let fp = 0;
  let best: ThresholdChoice | undefined;
  for (let a = 0; a < n; a++) {
    if (yTrue[idx[a]] === 1) tp++;
    else fp++;
    if (a + 1 < n && score[idx[a + 1]] === score[idx[a]]) continue;
    const precision = tp / (tp + fp);
    const recall = tp / pos;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const c: ThresholdChoice = { threshold: score[idx[a]], precision, recall, f1 };
    if ('objective' in goal) {
      if (best === undefined || f1 > best.f1) best = c;
    } else if ('minPrecision' in goal) {
      if (precision >= goal.minPrecision && (best === undefined || recall > best.recall)) best = c;
    } else if (recall >= goal.minRecall) {
      best = c;
      break;
    }
  }
  if (best === undefined) {
    const what = 'minPrecision' in goal ? `precision ${goal.minPrecision}` : 'the goal';
    throw new InvalidArgumentError(`chooseThreshold: no threshold reaches ${what} on these scores`);
  }
  return best;
}
