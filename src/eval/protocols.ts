import { InvalidArgumentError } from '../core/errors.js';
import { NumpyRandomState, roundHalfEven } from '../core/numpy-random.js';
import { Rng } from '../core/rng.js';
import type { Interactions } from '../data/interactions.js';

/** A named evaluation protocol's output: train/test (and validation) over the same id maps, and its cut-off. */
export interface ProtocolSplit {
  protocol: ProtocolName;
  train: Interactions;
  test: Interactions;
  /** Validation part (recbole-811); its items are excluded from test rankings like training items. */
  valid?: Interactions;
  /** The cut-off the published tables use. */
  k: number;
  description: string;
}

export type ProtocolName = 'msr-stratified-75' | 'msr-stratified-75-v2' | 'msr-random-75' | 'recbole-811' | 'leave-last-1';
export const PROTOCOLS: readonly ProtocolName[] = ['msr-stratified-75', 'msr-stratified-75-v2', 'msr-random-75', 'recbole-811', 'leave-last-1'];

/** Options of {@link splitByProtocol}. */
export interface ProtocolOptions {
  /**
   * For every stored entry of the data, its row position in the source table (any increasing numbering works, e.g.
   * the 0-based line of the file; see data/movielens.ts `ratingsRowOrder`). The `msr-*` protocols hold out exactly
   * the rows Microsoft's splitters hold out of a DataFrame in that row order. Default: the storage order (users by
   * first appearance, then items), which is a valid split but not the one of the file.
   */
  rowOrder?: ArrayLike<number>;
}

/**
 * Splits `data` (ratings or confidences, with timestamps for leave-last-1) by a named protocol, so results compare
 * with published tables:
 * - `msr-stratified-75`: the Microsoft Recommenders benchmark split, `python_stratified_split(data, 0.75, seed)` as in
 *   reco_utils (the version behind the published SAR row, whose notebook prints 74,992 / 25,008 ratings on ml-100k):
 *   per user, the user's rows in source order are shuffled by a fresh numpy `RandomState(seed).permutation(n)` and
 *   the first round(0.75 n) (Python round, halves to even) go to train. Every rating is a positive; k = 10, full
 *   ranking of unseen items. Row for row equal to pandas/numpy given `opts.rowOrder` (bench/peers/msr_split.py).
 * - `msr-stratified-75-v2`: the later rewrite of the same function (recommenders >= 1.0): `np.random.seed(seed)`, one
 *   `np.random.rand()` per row in source order, each user's rows sorted by it, train = rows with rank / n <= 0.75,
 *   i.e. floor(0.75 n).
 * - `msr-random-75`: `python_random_split(data, 0.75, seed)` = scikit-learn `train_test_split(train_size=0.75,
 *   random_state=seed)`, the split of the deep-dive notebooks behind the published BPR and BiVAE rows: test = the
 *   first n - floor(0.75 n) positions of numpy `RandomState(seed).permutation(n)` over rows in source order;
 *   users with no training interaction are ranked by popularity; k = 10.
 * - `recbole-811`: RecBole's general-recommendation setting: keep values >= 3, iterative 10-core filter (users and
 *   items with >= 10 interactions), per-user random 8:1:1 train/valid/test; k = 10, full ranking.
 * - `leave-last-1`: chronological leave-one-out: each user's latest interaction (ties: the later stored) is the test
 *   item; users with fewer than 2 interactions are left out of test (kept in train); k = 10.
 */
export function splitByProtocol(name: string, data: Interactions, seed = 42, opts: ProtocolOptions = {}): ProtocolSplit {
  switch (name) {
    case 'msr-stratified-75':
      return msrStratified(data, seed, opts.rowOrder);
    case 'msr-stratified-75-v2':
      return msrStratifiedV2(data, seed, opts.rowOrder);
    case 'msr-random-75':
      return msrRandom(data, seed, opts.rowOrder);
    case 'recbole-811':
      return recbole811(data, seed);
    case 'leave-last-1':
      return leaveLast1(data);
    default:
      throw new InvalidArgumentError(`unknown protocol "${name}"; expected one of: ${PROTOCOLS.join(', ')}`, { name });
  }
}

/** Every stored entry ordered by its source row (`rowOrder`, or storage order), as positions into the CSR arrays. */
function entriesInSourceOrder(data: Interactions, rowOrder: ArrayLike<number> | undefined): Int32Array {
  const pos = new Int32Array(data.nnz);
  for (let p = 0; p < data.nnz; p++) pos[p] = p;
  if (rowOrder === undefined) return pos;
  checkRowOrder(data, rowOrder);
  return pos.sort((a, b) => rowOrder[a]! - rowOrder[b]!);
}

function checkRowOrder(data: Interactions, rowOrder: ArrayLike<number>): void {
  if (rowOrder.length !== data.nnz) throw new InvalidArgumentError(`rowOrder has ${rowOrder.length} entries, the data ${data.nnz}`);
  for (let p = 0; p < rowOrder.length; p++) {
    const r = rowOrder[p]!;
    if (!Number.isInteger(r) || r < 0) throw new InvalidArgumentError(`rowOrder[${p}] must be a non-negative integer row position, got ${r}`);
  }
}

/** A user's entries in source order (CSR positions). */
function userEntries(data: Interactions, u: number, rowOrder: ArrayLike<number> | undefined): number[] {
  const out: number[] = [];
  for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) out.push(p);
  if (rowOrder !== undefined) out.sort((a, b) => rowOrder[a]! - rowOrder[b]!);
  return out;
}

function numpySeed(name: string, seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InvalidArgumentError(`protocol ${name}: seed must be an integer in [0, 2^32 - 1] (numpy's range), got ${seed}`, { seed });
  return seed;
}

function msrStratified(data: Interactions, seed: number, rowOrder: ArrayLike<number> | undefined): ProtocolSplit {
  numpySeed('msr-stratified-75', seed);
  if (rowOrder !== undefined) checkRowOrder(data, rowOrder);
  const trainMask = new Uint8Array(data.nnz);
  // every group is shuffled by a fresh RandomState(seed), so users with the same count share one permutation
  const perms = new Map<number, Int32Array>();
  for (let u = 0; u < data.nUsers; u++) {
    const n = data.indptr[u + 1]! - data.indptr[u]!;
    if (n === 0) continue;
    const rows = userEntries(data, u, rowOrder);
    let perm = perms.get(n);
    if (perm === undefined) {
      perm = new NumpyRandomState(seed).permutation(n);
      perms.set(n, perm);
    }
    const nTrain = roundHalfEven(0.75 * n);
    for (let t = 0; t < nTrain; t++) trainMask[rows[perm[t]!]!] = 1;
  }
  const description = 'per-user stratified 75/25 split as Microsoft Recommenders python_stratified_split (reco_utils), k=10, full ranking of unseen items';
  return maskSplit(data, trainMask, 'msr-stratified-75', description);
}

function msrStratifiedV2(data: Interactions, seed: number, rowOrder: ArrayLike<number> | undefined): ProtocolSplit {
  numpySeed('msr-stratified-75-v2', seed);
  const order = entriesInSourceOrder(data, rowOrder);
  // one rand() per source row, in source order (rows of other data, e.g. dropped duplicates, keep their draws)
  const rank = new Int32Array(data.nnz); // source rank of each entry
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
  const nRows = rowOrder === undefined ? data.nnz : maxOf(rowOrder) + 1;
  const draws = new NumpyRandomState(seed).randArray(nRows);
  const drawOf = (p: number): number => draws[rowOrder === undefined ? p : rowOrder[p]!]!;
  const trainMask = new Uint8Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) {
    const rows = userEntries(data, u, rowOrder);
    const n = rows.length;
    if (n === 0) continue;
    // sort by the draw; equal draws keep source order (pandas sorts several keys stably)
    rows.sort((a, b) => drawOf(a) - drawOf(b) || rank[a]! - rank[b]!);
    for (let t = 0; t < n; t++) if ((t + 1) / n <= 0.75) trainMask[rows[t]!] = 1;
  }
  const description = 'per-user stratified 75/25 split as Microsoft Recommenders python_stratified_split (recommenders >= 1.0), k=10, full ranking of unseen items';
  return maskSplit(data, trainMask, 'msr-stratified-75-v2', description);
}

function msrRandom(data: Interactions, seed: number, rowOrder: ArrayLike<number> | undefined): ProtocolSplit {
  numpySeed('msr-random-75', seed);
  const order = entriesInSourceOrder(data, rowOrder);
  const n = data.nnz;
  const perm = new NumpyRandomState(seed).permutation(n);
  // scikit-learn: n_train = floor(0.75 n), n_test = n - n_train, test = the first n_test positions of the permutation
  const nTest = n - Math.floor(0.75 * n);
  const trainMask = new Uint8Array(n).fill(1);
  for (let t = 0; t < nTest; t++) trainMask[order[perm[t]!]!] = 0;
  const description = 'random 75/25 split of all interactions as Microsoft Recommenders python_random_split (scikit-learn train_test_split), k=10, full ranking of unseen items';
  return maskSplit(data, trainMask, 'msr-random-75', description);
}

function maxOf(a: ArrayLike<number>): number {
  let m = -1;
  for (let k = 0; k < a.length; k++) if (a[k]! > m) m = a[k]!;
  return m;
}

function recbole811(data: Interactions, seed: number): ProtocolSplit {
  const keep = new Uint8Array(data.nnz);
  for (let p = 0; p < data.nnz; p++) keep[p] = data.values[p]! >= 3 ? 1 : 0;
  kCoreMask(data, keep, 10);
  const rng = new Rng(seed);
  const part = new Uint8Array(data.nnz); // 0 dropped, 1 train, 2 valid, 3 test
  for (let u = 0; u < data.nUsers; u++) {
    const pos: number[] = [];
    for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) if (keep[p]) pos.push(p);
    const n = pos.length;
    if (n === 0) continue;
    const perm = rng.permutation(n);
    const nTrain = Math.floor(0.8 * n);
    const nValid = Math.floor(0.1 * n);
    for (let t = 0; t < n; t++) part[pos[perm[t]!]!] = t < nTrain ? 1 : t < nTrain + nValid ? 2 : 3;
  }
  return {
    protocol: 'recbole-811',
    train: data.selectEntries(eq(part, 1)),
    valid: data.selectEntries(eq(part, 2)),
    test: data.selectEntries(eq(part, 3)),
    k: 10,
    description: 'values >= 3, 10-core, per-user random 8:1:1 (seeded), k=10, full ranking excluding train and valid items',
  };
}

function leaveLast1(data: Interactions): ProtocolSplit {
  const ts = data.timestamps;
  if (ts === undefined) throw new InvalidArgumentError('protocol leave-last-1 needs timestamps; the interactions have none');
  const testMask = new Uint8Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) {
    const s = data.indptr[u]!;
    const e = data.indptr[u + 1]!;
    if (e - s < 2) continue;
    let last = s;
    for (let p = s + 1; p < e; p++) if (ts[p]! >= ts[last]!) last = p;
    testMask[last] = 1;
  }
  return {
    protocol: 'leave-last-1',
    train: data.selectEntries(invert(testMask)),
    test: data.selectEntries(testMask),
    k: 10,
    description: "chronological leave-one-out: each user's latest interaction is the test item, k=10, full ranking",
  };
}

/** Clears `keep` entries until every remaining user and item has at least `k` kept interactions. */
export function kCoreMask(data: Interactions, keep: Uint8Array, k: number): void {
  const userOf = new Int32Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) userOf.fill(u, data.indptr[u]!, data.indptr[u + 1]!);
  for (;;) {
    const uc = new Int32Array(data.nUsers);
    const ic = new Int32Array(data.nItems);
    for (let p = 0; p < data.nnz; p++) {
      if (!keep[p]) continue;
      uc[userOf[p]!]++;
      ic[data.indices[p]!]++;
    }
    let changed = false;
    for (let p = 0; p < data.nnz; p++) {
      if (keep[p] && (uc[userOf[p]!]! < k || ic[data.indices[p]!]! < k)) {
        keep[p] = 0;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

/** A k = 10 split whose train set is the entries marked in `trainMask` and whose test set is the others. */
function maskSplit(data: Interactions, trainMask: Uint8Array, protocol: ProtocolName, description: string): ProtocolSplit {
  return { protocol, train: data.selectEntries(trainMask), test: data.selectEntries(invert(trainMask)), k: 10, description };
}

function invert(m: Uint8Array): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let p = 0; p < m.length; p++) out[p] = m[p] ? 0 : 1;
  return out;
}

function eq(m: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let p = 0; p < m.length; p++) out[p] = m[p] === v ? 1 : 0;
  return out;
}
