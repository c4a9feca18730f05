import { InvalidArgumentError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { Interactions } from './interactions.js';

/**
 * Filters over an {@link Interactions} matrix. Those that remove users or items (`kCore`, `minCountFilter`) return
 * COMPACTED id maps: the surviving ids keep their relative order and get dense indices 0..n-1, so indices do NOT line
 * up with the input's. `filterByValue` removes entries only and keeps the input's id maps.
 */

/** Keeps the users/items whose flag is set and renumbers them densely (order preserved). O(nnz + users + items). */
export function compact(x: Interactions, keepUser: Uint8Array, keepItem: Uint8Array): Interactions {
  const nU = x.nUsers;
  const nI = x.nItems;
  const itemMap = new Int32Array(nI);
  const items = new IdMap();
  for (let i = 0; i < nI; i++) itemMap[i] = keepItem[i] ? items.add(x.items.idAt(i)) : -1;
  const users = new IdMap();
  let nnz = 0;
  let keptUsers = 0;
  for (let u = 0; u < nU; u++) {
    if (!keepUser[u]) continue;
    keptUsers++;
    for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) if (itemMap[x.indices[k]!]! >= 0) nnz++;
  }
  const indptr = new Int32Array(keptUsers + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const ts = x.timestamps === undefined ? undefined : new Float64Array(nnz);
  let w = 0;
  let r = 0;
  for (let u = 0; u < nU; u++) {
    if (!keepUser[u]) continue;
    users.add(x.users.idAt(u));
    for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) {
      const j = itemMap[x.indices[k]!]!;
      if (j < 0) continue;
      indices[w] = j;
      values[w] = x.values[k]!;
      if (ts !== undefined) ts[w] = x.timestamps![k]!;
      w++;
    }
    indptr[++r] = w;
  }
  return new Interactions(users, items, indptr, indices, values, ts);
}

function checkCount(name: string, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${k}`, { [name]: k });
}

/**
 * One-pass minimum-count filter: drops users with fewer than `minUser` stored pairs and items with fewer than
 * `minItem`, both counted on the INPUT (not iterated; use {@link kCore} for the fixed point). Compacts the id maps.
 */
export function minCountFilter(x: Interactions, minUser: number, minItem: number): Interactions {
  checkCount('minUser', minUser);
  checkCount('minItem', minItem);
  const keepUser = new Uint8Array(x.nUsers);
  for (let u = 0; u < x.nUsers; u++) keepUser[u] = x.rowLength(u) >= minUser && x.rowLength(u) > 0 ? 1 : 0;
  const counts = x.itemCounts();
  const keepItem = new Uint8Array(x.nItems);
  for (let i = 0; i < x.nItems; i++) keepItem[i] = counts[i]! >= minItem && counts[i]! > 0 ? 1 : 0;
  return compact(x, keepUser, keepItem);
}

/**
 * Iterative k-core with separate thresholds: repeatedly removes users with fewer than `userK` remaining items and
 * items with fewer than `itemK` remaining users until none is left to remove (the unique maximal sub-matrix where
 * every user has >= userK and every item >= itemK entries). Queue-based peeling, O(nnz + users + items).
 * Users/items left with no entries are dropped too. Compacts the id maps.
 */
export function kCoreFilter(x: Interactions, userK: number, itemK: number): Interactions {
  checkCount('userK', userK);
  checkCount('itemK', itemK);
  const nU = x.nUsers;
  const nI = x.nItems;
  const csc = x.csc();
  const uDeg = new Int32Array(nU);
  const iDeg = new Int32Array(nI);
  const aliveU = new Uint8Array(nU);
  const aliveI = new Uint8Array(nI);
  // queue holds users as u and items as nU + i; each node is enqueued at most once (when it dies)
  const queue = new Int32Array(nU + nI);
  let qTail = 0;
  const uMin = Math.max(userK, 1);
  const iMin = Math.max(itemK, 1);
  for (let u = 0; u < nU; u++) {
    uDeg[u] = x.rowLength(u);
    if (uDeg[u]! >= uMin) aliveU[u] = 1;
    else queue[qTail++] = u;
  }
  for (let i = 0; i < nI; i++) {
    iDeg[i] = csc.indptr[i + 1]! - csc.indptr[i]!;
    if (iDeg[i]! >= iMin) aliveI[i] = 1;
    else queue[qTail++] = nU + i;
  }
  for (let qHead = 0; qHead < qTail; qHead++) {
    const node = queue[qHead]!;
    if (node < nU) {
      for (let k = x.indptr[node]!; k < x.indptr[node + 1]!; k++) {
        const i = x.indices[k]!;
        if (!aliveI[i]) continue;
        if (--iDeg[i]! < iMin) {
          aliveI[i] = 0;
          queue[qTail++] = nU + i;
        }
      }
    } else {
      const i = node - nU;
      for (let k = csc.indptr[i]!; k < csc.indptr[i + 1]!; k++) {
        const u = csc.indices[k]!;
        if (!aliveU[u]) continue;
        if (--uDeg[u]! < uMin) {
          aliveU[u] = 0;
          queue[qTail++] = u;
        }
      }
    }
  }
  return compact(x, aliveU, aliveI);
}

/**
 * Iterative k-core: every remaining user and item has at least `k` interactions (see {@link kCoreFilter}).
 * Returns COMPACTED id maps (surviving ids in their original order, re-indexed densely).
 */
export function kCore(x: Interactions, k: number): Interactions {
  return kCoreFilter(x, k, k);
}

/**
 * Keeps the entries with `min <= value <= max` (either bound optional). Removes entries only: the id maps are the
 * input's (users/items may be left with empty rows/columns), so indices line up with the input.
 */
export function filterByValue(x: Interactions, pred: { min?: number; max?: number }): Interactions {
  const lo = pred.min ?? -Infinity;
  const hi = pred.max ?? Infinity;
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new InvalidArgumentError(`filterByValue: expected min <= max, got min ${pred.min} and max ${pred.max}`, { ...pred });
  }
  const mask = new Uint8Array(x.nnz);
  for (let k = 0; k < x.nnz; k++) {
    const v = x.values[k]!;
    mask[k] = v >= lo && v <= hi ? 1 : 0;
  }
  return x.selectEntries(mask);
}
