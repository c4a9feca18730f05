import { InvalidArgumentError, SchemaError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Interactions } from './interactions.js';

export { kCore, filterByValue } from './filters.js';

/**
 * Train/test splits of an {@link Interactions} matrix. Every split returns matrices that share the input's id maps
 * (indices line up), are disjoint, and together hold exactly the input's entries; random ones are reproducible from
 * `seed`. Complexity O(nnz) (leaveLastN O(nnz log maxRow)). Definitions are in docs/data-prep.md.
 */
export interface Split {
  train: Interactions;
  test: Interactions;
}

/** Splits by a per-entry mask: 1 = test, 0 = train. */
export function splitByMask(x: Interactions, testMask: Uint8Array): Split {
  const trainMask = new Uint8Array(testMask.length);
  for (let k = 0; k < testMask.length; k++) trainMask[k] = testMask[k] ? 0 : 1;
  return { train: x.selectEntries(trainMask), test: x.selectEntries(testMask) };
}

function checkRatio(name: string, r: number): void {
  if (!(r > 0 && r < 1)) throw new InvalidArgumentError(`${name}: testRatio must be in (0, 1), got ${r}`, { testRatio: r });
}

function checkSeed(name: string, seed: number): void {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError(`${name}: seed must be a finite number, got ${seed}`, { seed });
}

/**
 * Global random split: the stored entries are shuffled with `seed` and the first `round(testRatio * nnz)` go to test.
 */
export function randomSplit(x: Interactions, opts: { testRatio: number; seed: number }): Split {
  checkRatio('randomSplit', opts.testRatio);
  checkSeed('randomSplit', opts.seed);
  const perm = new Rng(opts.seed).permutation(x.nnz);
  const nTest = Math.round(opts.testRatio * x.nnz);
  const mask = new Uint8Array(x.nnz);
  for (let r = 0; r < nTest; r++) mask[perm[r]!] = 1;
  return splitByMask(x, mask);
}

/**
 * K-fold over stored entries (scikit-learn's KFold applied to the entries in CSR order): the entries, shuffled with
 * `seed` when `shuffle` (default true), are cut into `k` contiguous folds, the first `nnz % k` of size
 * `floor(nnz / k) + 1`. Split f tests on fold f and trains on the rest. The fold assignment depends only on the
 * input's shape and the seed, so every algorithm given the same seed sees the same folds.
 */
export function kFold(x: Interactions, k: number, opts: { seed: number; shuffle?: boolean }): Split[] {
  if (!Number.isInteger(k) || k < 2 || k > x.nnz) {
    throw new InvalidArgumentError(`kFold: k must be an integer in [2, nnz = ${x.nnz}], got ${k}`, { k });
  }
  checkSeed('kFold', opts.seed);
  const n = x.nnz;
  let order: Int32Array;
  if (opts.shuffle ?? true) {
    order = new Rng(opts.seed).permutation(n);
  } else {
    order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[r] = r;
  }
  const fold = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let r = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let c = 0; c < size; c++) fold[order[r++]!] = f;
  }
  const out: Split[] = [];
  const mask = new Uint8Array(n);
  for (let f = 0; f < k; f++) {
    for (let e = 0; e < n; e++) mask[e] = fold[e] === f ? 1 : 0;
    out.push(splitByMask(x, mask));
  }
  return out;
}

/**
 * Stratified per-user split (as Microsoft Recommenders' `python_stratified_split`): each user's entries are shuffled
 * (one seeded generator, users in index order) and the first `max(round((1 - testRatio) * n), min(minTrain, n))` go
 * to train, the rest to test. `minTrain` defaults to 1, so every user with an entry keeps one in train.
 */
export function perUserSplit(x: Interactions, opts: { testRatio: number; seed: number; minTrain?: number }): Split {
  checkRatio('perUserSplit', opts.testRatio);
  checkSeed('perUserSplit', opts.seed);
  const minTrain = opts.minTrain ?? 1;
  if (!Number.isInteger(minTrain) || minTrain < 0) throw new InvalidArgumentError(`perUserSplit: minTrain must be a non-negative integer, got ${minTrain}`);
  const rng = new Rng(opts.seed);
  const mask = new Uint8Array(x.nnz);
  let maxRow = 0;
  for (let u = 0; u < x.nUsers; u++) maxRow = Math.max(maxRow, x.rowLength(u));
  const scratch = new Int32Array(maxRow);
  const trainRatio = 1 - opts.testRatio;
  for (let u = 0; u < x.nUsers; u++) {
    const start = x.indptr[u]!;
    const n = x.indptr[u + 1]! - start;
    if (n === 0) continue;
    for (let c = 0; c < n; c++) scratch[c] = start + c;
    for (let c = n - 1; c > 0; c--) {
      const j = rng.int(c + 1);
      const t = scratch[c]!;
      scratch[c] = scratch[j]!;
      scratch[j] = t;
    }
    const nTrain = Math.max(Math.round(trainRatio * n), Math.min(minTrain, n));
    for (let c = nTrain; c < n; c++) mask[scratch[c]!] = 1;
  }
  return splitByMask(x, mask);
}

function requireTimestamps(x: Interactions, name: string): Float64Array {
  if (x.timestamps === undefined) {
    throw new SchemaError(`${name} needs timestamps, but these interactions have none (build them with a timestamp column)`);
  }
  return x.timestamps;
}

/**
 * Per-user leave-last-n by time: each user's entries are ordered by (timestamp, item index) and the last
 * `min(n, max(0, rowLength - minTrain))` go to test (`minTrain` defaults to 1: a user with one entry keeps it in
 * train). Timestamp ties are broken by item index (the larger index counts as later). Needs timestamps.
 */
export function leaveLastN(x: Interactions, opts: { n: number; minTrain?: number }): Split {
  const ts = requireTimestamps(x, 'leaveLastN');
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new InvalidArgumentError(`leaveLastN: n must be a positive integer, got ${opts.n}`, { n: opts.n });
  const minTrain = opts.minTrain ?? 1;
  if (!Number.isInteger(minTrain) || minTrain < 0) throw new InvalidArgumentError(`leaveLastN: minTrain must be a non-negative integer, got ${minTrain}`);
  const mask = new Uint8Array(x.nnz);
  let maxRow = 0;
  for (let u = 0; u < x.nUsers; u++) maxRow = Math.max(maxRow, x.rowLength(u));
  const pos = new Int32Array(maxRow);
  const tmp = new Int32Array(maxRow);
  for (let u = 0; u < x.nUsers; u++) {
    const start = x.indptr[u]!;
    const len = x.indptr[u + 1]! - start;
    const nTest = Math.min(opts.n, Math.max(0, len - minTrain));
    if (nTest === 0) continue;
    for (let c = 0; c < len; c++) pos[c] = start + c;
    // rows are in ascending item order, so a stable sort by time breaks ties by item index
    stableSortByKey(pos, tmp, len, ts);
    for (let c = len - nTest; c < len; c++) mask[pos[c]!] = 1;
  }
  return splitByMask(x, mask);
}

/** Global time cutoff: entries with `timestamp < cutoff` train, `timestamp >= cutoff` test. Needs timestamps. */
export function timeCutoff(x: Interactions, opts: { cutoff: number }): Split {
  const ts = requireTimestamps(x, 'timeCutoff');
  if (Number.isNaN(opts.cutoff)) throw new InvalidArgumentError('timeCutoff: cutoff must be a number, got NaN');
  const mask = new Uint8Array(x.nnz);
  for (let k = 0; k < x.nnz; k++) mask[k] = ts[k]! >= opts.cutoff ? 1 : 0;
  return splitByMask(x, mask);
}

/** Stable bottom-up merge sort of `pos[0..n)` by `key[pos[c]]` ascending; `tmp` has at least n slots. */
function stableSortByKey(pos: Int32Array, tmp: Int32Array, n: number, key: Float64Array): void {
  let src = pos;
  let dst = tmp;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let w = lo;
      while (a < mid && b < hi) {
        if (key[src[b]!]! < key[src[a]!]!) dst[w++] = src[b++]!;
        else dst[w++] = src[a++]!;
      }
      while (a < mid) dst[w++] = src[a++]!;
      while (b < hi) dst[w++] = src[b++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== pos) pos.set(src.subarray(0, n));
}
