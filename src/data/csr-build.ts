import { InvalidArgumentError } from '../core/errors.js';
import type { IdMap } from '../core/ids.js';
import { COMBINE_CHOICES, Interactions, type Combine, type Triples } from './interactions.js';

/**
 * Builds CSR from triples like `Interactions.fromTriples` (same result, same duplicate rules) but cache-friendlier
 * for tens of millions of entries: one stable scatter of (item, value, time) into row order (sequential reads), then
 * each row is sorted by a packed key `item * 2^b + position in row` (Int32 when it fits in 31 bits, else Float64)
 * with the native typed-array sort (so
 * duplicates stay in input order), then duplicates are combined in one pass. O(nnz log(row length)) in all, with
 * every pass but the scatter sequential. Rows longer than 2^22 entries fall back to `Interactions.fromTriples`.
 */
export function buildCsr(t: Triples, users: IdMap, items: IdMap, combine: Combine = 'sum'): Interactions {
  if (!COMBINE_CHOICES.includes(combine)) throw new InvalidArgumentError(`combine must be one of ${COMBINE_CHOICES.join(', ')}, got ${JSON.stringify(combine)}`);
  const n = t.users.length;
  if (t.items.length !== n || t.values.length !== n || (t.timestamps !== undefined && t.timestamps.length !== n)) {
    throw new InvalidArgumentError('buildCsr: users, items, values (and timestamps) must have the same length');
  }
  const nU = users.size;
  const nI = items.size;
  const tu = t.users;
  const ti = t.items;
  const tv = t.values;
  const tt = t.timestamps;
  const indptr = new Int32Array(nU + 1);
  for (let k = 0; k < n; k++) {
    const u = tu[k]!;
    const i = ti[k]!;
    if (u < 0 || u >= nU || i < 0 || i >= nI) throw new InvalidArgumentError(`buildCsr: entry ${k} has (user ${u}, item ${i}) outside [0, ${nU}) x [0, ${nI})`);
    if (!Number.isFinite(tv[k]!)) throw new InvalidArgumentError(`buildCsr: entry ${k} has non-finite value ${tv[k]}`);
    indptr[u + 1]++;
  }
  let maxRow = 0;
  for (let u = 0; u < nU; u++) {
    const len = indptr[u + 1]!;
    if (len > maxRow) maxRow = len;
    indptr[u + 1] = len + indptr[u]!;
  }
  if (maxRow >= 1 << 22) return Interactions.fromTriples(t, users, items, combine);
  // scatter into row order, input order kept within a row
  const next = indptr.slice(0, nU);
  const rowItems = new Int32Array(n);
  const rowVals = new Float32Array(n);
  const rowTimes = tt === undefined ? undefined : new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = next[tu[k]!]!++;
    rowItems[p] = ti[k]!;
    rowVals[p] = tv[k]!;
    if (rowTimes !== undefined) rowTimes[p] = tt![k]!;
  }
  // per row: sort by (item, position), combine duplicates, compact in place
  const SHIFT = 4194304; // 2^22
  // int32 keys (cheaper to sort) when item bits + position bits fit in 31 bits, else float64 keys
  const posBits = Math.max(1, Math.ceil(Math.log2(maxRow + 1)));
  const itemBits = Math.max(1, Math.ceil(Math.log2(nI + 1)));
  const intKeys = posBits + itemBits <= 31 ? new Int32Array(maxRow) : undefined;
  const posMask = (1 << posBits) - 1;
  const keys = intKeys === undefined ? new Float64Array(maxRow) : undefined;
  const vScratch = new Float32Array(maxRow);
  const tScratch = rowTimes === undefined ? undefined : new Float64Array(maxRow);
  const counts = combine === 'mean' ? new Int32Array(maxRow) : undefined;
  const outPtr = new Int32Array(nU + 1);
  let w = 0;
  for (let u = 0; u < nU; u++) {
    const s = indptr[u]!;
    const e = indptr[u + 1]!;
    const len = e - s;
    let sorted = true;
    for (let k = s + 1; k < e; k++) {
      if (rowItems[k]! <= rowItems[k - 1]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      // already strictly ascending: no duplicates, move as is
      for (let k = s; k < e; k++) {
        rowItems[w] = rowItems[k]!;
        rowVals[w] = rowVals[k]!;
        if (rowTimes !== undefined) rowTimes[w] = rowTimes[k]!;
        w++;
      }
      outPtr[u + 1] = w;
      continue;
    }
    for (let k = 0; k < len; k++) {
      if (intKeys !== undefined) intKeys[k] = (rowItems[s + k]! << posBits) | k;
      else keys![k] = rowItems[s + k]! * SHIFT + k;
      vScratch[k] = rowVals[s + k]!;
      if (tScratch !== undefined) tScratch[k] = rowTimes![s + k]!;
    }
    const ik = intKeys === undefined ? undefined : intKeys.subarray(0, len).sort();
    const fk = keys === undefined ? undefined : keys.subarray(0, len).sort();
    let prevI = -1;
    const rowStart = w;
    for (let r = 0; r < len; r++) {
      let i: number;
      let src: number;
      if (ik !== undefined) {
        const key = ik[r]!;
        i = key >>> posBits;
        src = key & posMask;
      } else {
        const key = fk![r]!;
        i = Math.floor(key / SHIFT);
        src = key - i * SHIFT;
      }
      const v = vScratch[src]!;
      const time = tScratch === undefined ? 0 : tScratch[src]!;
      if (i === prevI) {
        const d = w - 1;
        switch (combine) {
          case 'error':
            throw new InvalidArgumentError(`buildCsr: duplicate pair (user "${users.idAt(u)}", item "${items.idAt(i)}")`);
          case 'sum':
            rowVals[d] = rowVals[d]! + v;
            break;
          case 'mean':
            rowVals[d] = rowVals[d]! + v;
            counts![d - rowStart]++;
            break;
          case 'max':
            if (v > rowVals[d]!) rowVals[d] = v;
            break;
          case 'min':
            if (v < rowVals[d]!) rowVals[d] = v;
            break;
          case 'last':
            if (rowTimes === undefined || time >= rowTimes[d]!) rowVals[d] = v;
            break;
          case 'first':
            if (rowTimes !== undefined && time < rowTimes[d]!) rowVals[d] = v;
            break;
        }
        if (rowTimes !== undefined) rowTimes[d] = combine === 'first' ? Math.min(rowTimes[d]!, time) : Math.max(rowTimes[d]!, time);
        continue;
      }
      rowItems[w] = i;
      rowVals[w] = v;
      if (rowTimes !== undefined) rowTimes[w] = time;
      if (counts !== undefined) counts[w - rowStart] = 1;
      w++;
      prevI = i;
    }
    if (counts !== undefined) for (let d = rowStart; d < w; d++) rowVals[d] = rowVals[d]! / counts[d - rowStart]!;
    outPtr[u + 1] = w;
  }
  const nnz = w;
  return new Interactions(
    users,
    items,
    outPtr,
    nnz === n ? rowItems : rowItems.slice(0, nnz),
    nnz === n ? rowVals : rowVals.slice(0, nnz),
    rowTimes === undefined ? undefined : nnz === n ? rowTimes : rowTimes.slice(0, nnz),
  );
}
