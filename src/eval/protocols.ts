import { InvalidArgumentError } from '../core/errors.js';
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

export type ProtocolName = 'msr-stratified-75' | 'msr-random-75' | 'recbole-811' | 'leave-last-1';
export const PROTOCOLS: readonly ProtocolName[] = ['msr-stratified-75', 'msr-random-75', 'recbole-811', 'leave-last-1'];

/**
 * Splits `data` (ratings or confidences, with timestamps for leave-last-1) by a named protocol, so results compare
 * with published tables:
 * - `msr-stratified-75`: the Microsoft Recommenders benchmark: every rating is a positive; per user, a seeded random
 *   ceil(75%) of their interactions go to train (as python_stratified_split), the rest to test; k = 10, full ranking of unseen items.
 * - `msr-random-75`: the split of the Microsoft Recommenders deep-dive notebooks behind its published BPR and
 *   BiVAE rows (`python_random_split(data, 0.75)`): a seeded random 75% of all interactions to train, regardless of
 *   user; users with no training interaction are ranked by popularity; k = 10.
 * - `recbole-811`: RecBole's general-recommendation setting: keep values >= 3, iterative 10-core filter (users and
 *   items with >= 10 interactions), per-user random 8:1:1 train/valid/test; k = 10, full ranking.
 * - `leave-last-1`: chronological leave-one-out: each user's latest interaction (ties: the later stored) is the test
 *   item; users with fewer than 2 interactions are left out of test (kept in train); k = 10.
 */
export function splitByProtocol(name: string, data: Interactions, seed = 42): ProtocolSplit {
  switch (name) {
    case 'msr-stratified-75':
      return msrStratified(data, seed);
    case 'msr-random-75':
      return msrRandom(data, seed);
    case 'recbole-811':
      return recbole811(data, seed);
    case 'leave-last-1':
      return leaveLast1(data);
    default:
      throw new InvalidArgumentError(`unknown protocol "${name}"; expected one of: ${PROTOCOLS.join(', ')}`, { name });
  }
}

function msrStratified(data: Interactions, seed: number): ProtocolSplit {
  const rng = new Rng(seed);
  const trainMask = new Uint8Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) {
    const s = data.indptr[u]!;
    const n = data.indptr[u + 1]! - s;
    if (n === 0) continue;
    const perm = rng.permutation(n);
    // python_stratified_split keeps rows whose within-user rank / count < 0.75, i.e. ceil(0.75 n) of them
    const nTrain = Math.ceil(0.75 * n);
    for (let t = 0; t < nTrain; t++) trainMask[s + perm[t]!] = 1;
  }
  return {
    protocol: 'msr-stratified-75',
    train: data.selectEntries(trainMask),
    test: data.selectEntries(invert(trainMask)),
    k: 10,
    description: 'per-user stratified random 75/25 split of all interactions (seeded), k=10, full ranking of unseen items',
  };
}

function msrRandom(data: Interactions, seed: number): ProtocolSplit {
  const rng = new Rng(seed);
  const perm = rng.permutation(data.nnz);
  const trainMask = new Uint8Array(data.nnz);
  const nTrain = Math.round(0.75 * data.nnz);
  for (let t = 0; t < nTrain; t++) trainMask[perm[t]!] = 1;
  return {
    protocol: 'msr-random-75',
    train: data.selectEntries(trainMask),
    test: data.selectEntries(invert(trainMask)),
    k: 10,
    description: 'random 75/25 split of all interactions (seeded), k=10, full ranking of unseen items',
  };
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
