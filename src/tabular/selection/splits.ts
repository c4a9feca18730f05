import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';

/** Row indices of one train/test split. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

function fromFolds(fold: Int32Array, k: number): Split[] {
  const out: Split[] = [];
  for (let f = 0; f < k; f++) {
    let nt = 0;
    for (let i = 0; i < fold.length; i++) if (fold[i] === f) nt++;
    const test = new Int32Array(nt);
    const train = new Int32Array(fold.length - nt);
    let a = 0;
    let b = 0;
    for (let i = 0; i < fold.length; i++) {
      if (fold[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    out.push({ train, test });
  }
  return out;
}

function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new InvalidArgumentError(`cross-validation: folds must be an integer in [2, ${n}], got ${k}`);
}

/** Fold id per row for K-fold: rows shuffled (seeded) unless `shuffle` is false, then dealt into k near-equal folds. */
export function kFoldAssignment(n: number, k: number, opts: { shuffle?: boolean; seed?: number } = {}): Int32Array {
  checkK(k, n);
  const order = opts.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : new Rng(opts.seed ?? 0).permutation(n);
  const fold = new Int32Array(n);
  // Contiguous blocks of the (shuffled) order, sizes differing by at most one.
  for (let p = 0; p < n; p++) fold[order[p]] = Math.floor((p * k) / n);
  return fold;
}

/** Fold id per row, stratified: each class's rows (shuffled, seeded) are dealt round-robin so folds keep class rates. */
export function stratifiedFoldAssignment(y: ArrayLike<number>, k: number, seed = 0): Int32Array {
  const n = y.length;
  checkK(k, n);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = byClass.get(y[i]);
    if (l === undefined) byClass.set(y[i], [i]);
    else l.push(i);
  }
  const fold = new Int32Array(n);
  let offset = 0;
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = Int32Array.from(byClass.get(key) as number[]);
    rng.shuffle<number, Int32Array>(rows);
    for (let p = 0; p < rows.length; p++) fold[rows[p]] = (p + offset) % k;
    offset += rows.length;
  }
  return fold;
}

/** K-fold splits. */
export function kFold(n: number, k: number, opts: { shuffle?: boolean; seed?: number } = {}): Split[] {
  return fromFolds(kFoldAssignment(n, k, opts), k);
}

/** Stratified K-fold splits (class proportions kept in every fold). */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed = 0): Split[] {
  return fromFolds(stratifiedFoldAssignment(y, k, seed), k);
}

/** Splits from an explicit fold id per row (e.g. a fold file shared with a peer). */
export function splitsFromAssignment(fold: Int32Array): Split[] {
  let k = 0;
  for (let i = 0; i < fold.length; i++) k = Math.max(k, fold[i] + 1);
  return fromFolds(fold, k);
}

/**
 * Time-series splits (scikit-learn's TimeSeriesSplit): rows in time order; split s trains on everything before its
 * test block and tests on the next block of size `testSize` (default n / (k + 1)); `gap` rows are skipped between.
 */
export function timeSeriesSplit(n: number, k: number, opts: { testSize?: number; gap?: number } = {}): Split[] {
  const testSize = opts.testSize ?? Math.floor(n / (k + 1));
  const gap = opts.gap ?? 0;
  if (testSize < 1 || n - k * testSize - gap < 1) throw new InvalidArgumentError(`timeSeriesSplit: ${n} rows cannot hold ${k} test blocks of ${testSize} with gap ${gap}`);
  const out: Split[] = [];
  for (let s = 0; s < k; s++) {
    const testStart = n - (k - s) * testSize;
    const trainEnd = testStart - gap;
    out.push({ train: Int32Array.from({ length: trainEnd }, (_, i) => i), test: Int32Array.from({ length: testSize }, (_, i) => testStart + i) });
  }
  return out;
}

/** One shuffled (seeded) train/test split, stratified by `stratify` labels when given. */
export function trainTestSplit(n: number, opts: { testSize?: number; seed?: number; stratify?: ArrayLike<number> } = {}): Split {
  const frac = opts.testSize ?? 0.25;
  if (!(frac > 0 && frac < 1)) throw new InvalidArgumentError(`trainTestSplit: testSize must be in (0, 1), got ${frac}`);
  const rng = new Rng(opts.seed ?? 0);
  const isTest = new Uint8Array(n);
  if (opts.stratify !== undefined) {
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const l = byClass.get(opts.stratify[i]);
      if (l === undefined) byClass.set(opts.stratify[i], [i]);
      else l.push(i);
    }
    for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
      const rows = Int32Array.from(byClass.get(key) as number[]);
      rng.shuffle<number, Int32Array>(rows);
      const nt = Math.round(frac * rows.length);
      for (let p = 0; p < nt; p++) isTest[rows[p]] = 1;
    }
  } else {
    const order = rng.permutation(n);
    const nt = Math.round(frac * n);
    for (let p = 0; p < nt; p++) isTest[order[p]] = 1;
  }
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = isTest[i] ? 0 : 1;
  return fromFolds(fold, 2)[0];
}
