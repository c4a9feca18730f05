import { InvalidArgumentError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';

/** How to combine several values for the same (user, item) pair. */
export type Combine = 'sum' | 'max' | 'min' | 'mean' | 'first' | 'last' | 'error';
export const COMBINE_CHOICES: readonly Combine[] = ['sum', 'max', 'min', 'mean', 'first', 'last', 'error'];

/** Interactions in coordinate form (one entry per event), with dense indices. */
export interface Triples {
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  /** Seconds since the epoch (or any monotone clock); optional. */
  timestamps?: Float64Array;
}

/** A column-major (CSC) view: for item j, users indices[indptr[j]..indptr[j+1]) with their values. */
export interface CscView {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  timestamps?: Float64Array;
}

/**
 * A user x item sparse matrix in CSR: row u holds items `indices[indptr[u]..indptr[u+1])` in ascending order with
 * `values` (ratings or confidences) and optional `timestamps` (the latest event of the pair). Built from triples in
 * O(nnz + users + items) by two stable counting sorts; the CSC view is built lazily the same way.
 */
export class Interactions {
  readonly users: IdMap;
  readonly items: IdMap;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  readonly timestamps: Float64Array | undefined;
  private cscView: CscView | undefined;

  constructor(users: IdMap, items: IdMap, indptr: Int32Array, indices: Int32Array, values: Float32Array, timestamps?: Float64Array) {
    if (indptr.length !== users.size + 1) throw new InvalidArgumentError(`Interactions: indptr has ${indptr.length} entries, expected users + 1 = ${users.size + 1}`);
    const nnz = indptr[users.size]!;
    if (indices.length !== nnz || values.length !== nnz || (timestamps !== undefined && timestamps.length !== nnz)) {
      throw new InvalidArgumentError(`Interactions: indices/values/timestamps must have indptr[last] = ${nnz} entries`);
    }
    this.users = users;
    this.items = items;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
    this.timestamps = timestamps;
  }

  get nUsers(): number {
    return this.users.size;
  }

  get nItems(): number {
    return this.items.size;
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** nnz / (users x items). */
  get density(): number {
    return this.nUsers === 0 || this.nItems === 0 ? 0 : this.nnz / (this.nUsers * this.nItems);
  }

  /** Items of user `u` (a view, ascending). */
  rowIndices(u: number): Int32Array {
    return this.indices.subarray(this.indptr[u]!, this.indptr[u + 1]!);
  }

  /** Values of user `u` (a view aligned with rowIndices). */
  rowValues(u: number): Float32Array {
    return this.values.subarray(this.indptr[u]!, this.indptr[u + 1]!);
  }

  rowLength(u: number): number {
    return this.indptr[u + 1]! - this.indptr[u]!;
  }

  /** Value at (u, i), or `missing` (NaN by default) when absent. O(log row length). */
  get(u: number, i: number, missing = NaN): number {
    let lo = this.indptr[u]!;
    let hi = this.indptr[u + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.indices[mid]!;
      if (v === i) return this.values[mid]!;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return missing;
  }

  /** The column-major view (built on first use, then kept). */
  csc(): CscView {
    if (this.cscView === undefined) this.cscView = transpose(this.indptr, this.indices, this.values, this.timestamps, this.nItems);
    return this.cscView;
  }

  /** Number of interactions per item. */
  itemCounts(): Int32Array {
    const c = new Int32Array(this.nItems);
    for (let k = 0; k < this.indices.length; k++) c[this.indices[k]!]++;
    return c;
  }

  /** Sum of values / nnz, or NaN when empty. */
  meanValue(): number {
    let s = 0;
    for (let k = 0; k < this.values.length; k++) s += this.values[k]!;
    return this.values.length === 0 ? NaN : s / this.values.length;
  }

  /** COO form (one entry per stored pair), row-major order. */
  toTriples(): Triples {
    const users = new Int32Array(this.nnz);
    for (let u = 0; u < this.nUsers; u++) users.fill(u, this.indptr[u]!, this.indptr[u + 1]!);
    const t: Triples = { users, items: this.indices.slice(), values: this.values.slice() };
    if (this.timestamps !== undefined) t.timestamps = this.timestamps.slice();
    return t;
  }

  /** The entries selected by `mask` over stored positions (0..nnz), with the same id maps. */
  selectEntries(mask: Uint8Array): Interactions {
    if (mask.length !== this.nnz) throw new InvalidArgumentError(`selectEntries: mask has ${mask.length} entries, expected nnz = ${this.nnz}`);
    const indptr = new Int32Array(this.nUsers + 1);
    let n = 0;
    for (let u = 0; u < this.nUsers; u++) {
      for (let k = this.indptr[u]!; k < this.indptr[u + 1]!; k++) if (mask[k]) n++;
      indptr[u + 1] = n;
    }
    const indices = new Int32Array(n);
    const values = new Float32Array(n);
    const ts = this.timestamps === undefined ? undefined : new Float64Array(n);
    let w = 0;
    for (let k = 0; k < this.nnz; k++) {
      if (!mask[k]) continue;
      indices[w] = this.indices[k]!;
      values[w] = this.values[k]!;
      if (ts !== undefined) ts[w] = this.timestamps![k]!;
      w++;
    }
    return new Interactions(this.users, this.items, indptr, indices, values, ts);
  }

  /**
   * Builds CSR from triples with dense indices below `users.size` / `items.size`. Duplicate pairs are combined by
   * `combine` ('last'/'first' follow timestamps when given, input order otherwise). Non-finite values are an error.
   */
  static fromTriples(t: Triples, users: IdMap, items: IdMap, combine: Combine = 'sum'): Interactions {
    const nnzIn = t.users.length;
    if (t.items.length !== nnzIn || t.values.length !== nnzIn || (t.timestamps !== undefined && t.timestamps.length !== nnzIn)) {
      throw new InvalidArgumentError('Interactions.fromTriples: users, items, values (and timestamps) must have the same length');
    }
    const nU = users.size;
    const nI = items.size;
    for (let k = 0; k < nnzIn; k++) {
      const u = t.users[k]!;
      const i = t.items[k]!;
      if (u < 0 || u >= nU || i < 0 || i >= nI) throw new InvalidArgumentError(`Interactions.fromTriples: entry ${k} has (user ${u}, item ${i}) outside [0, ${nU}) x [0, ${nI})`);
      if (!Number.isFinite(t.values[k]!)) throw new InvalidArgumentError(`Interactions.fromTriples: entry ${k} has non-finite value ${t.values[k]}`);
    }
    // pass 1: stable counting sort by item; pass 2: stable by user => rows ordered by item, duplicates in input order
    const byItem = countingOrder(t.items, nI, undefined);
    const order = countingOrder(t.users, nU, byItem);
    const indptr = new Int32Array(nU + 1);
    const indices = new Int32Array(nnzIn);
    const values = new Float32Array(nnzIn);
    const hasTs = t.timestamps !== undefined;
    const ts = hasTs ? new Float64Array(nnzIn) : undefined;
    const counts = combine === 'mean' ? new Int32Array(nnzIn) : undefined;
    let w = -1;
    let prevU = -1;
    let prevI = -1;
    for (let k = 0; k < nnzIn; k++) {
      const src = order[k]!;
      const u = t.users[src]!;
      const i = t.items[src]!;
      const v = t.values[src]!;
      const time = hasTs ? t.timestamps![src]! : 0;
      if (u === prevU && i === prevI) {
        switch (combine) {
          case 'error':
            throw new InvalidArgumentError(`Interactions.fromTriples: duplicate pair (user "${users.idAt(u)}", item "${items.idAt(i)}")`);
          case 'sum':
            values[w] = values[w]! + v;
            break;
          case 'mean':
            values[w] = values[w]! + v;
            counts![w]++;
            break;
          case 'max':
            if (v > values[w]!) values[w] = v;
            break;
          case 'min':
            if (v < values[w]!) values[w] = v;
            break;
          case 'last':
            if (!hasTs || time >= ts![w]!) values[w] = v;
            break;
          case 'first':
            if (hasTs && time < ts![w]!) values[w] = v;
            break;
        }
        if (hasTs) {
          if (combine === 'first') ts![w] = Math.min(ts![w]!, time);
          else ts![w] = Math.max(ts![w]!, time);
        }
        continue;
      }
      w++;
      indices[w] = i;
      values[w] = v;
      if (counts !== undefined) counts[w] = 1;
      if (hasTs) ts![w] = time;
      indptr[u + 1]++;
      prevU = u;
      prevI = i;
    }
    const nnz = w + 1;
    if (counts !== undefined) for (let k = 0; k < nnz; k++) values[k] = values[k]! / counts[k]!;
    for (let u = 0; u < nU; u++) indptr[u + 1] = indptr[u + 1]! + indptr[u]!;
    return new Interactions(
      users,
      items,
      indptr,
      nnz === nnzIn ? indices : indices.slice(0, nnz),
      nnz === nnzIn ? values : values.slice(0, nnz),
      ts === undefined ? undefined : nnz === nnzIn ? ts : ts.slice(0, nnz),
    );
  }

  /** Builds from raw string ids (ids get indices in order of first appearance). */
  static fromRaw(
    userIds: readonly string[],
    itemIds: readonly string[],
    values: ArrayLike<number>,
    opts: { timestamps?: ArrayLike<number>; combine?: Combine; users?: IdMap; items?: IdMap } = {},
  ): Interactions {
    const n = userIds.length;
    if (itemIds.length !== n || values.length !== n) throw new InvalidArgumentError('Interactions.fromRaw: userIds, itemIds and values must have the same length');
    const users = opts.users ?? new IdMap();
    const items = opts.items ?? new IdMap();
    const t: Triples = { users: new Int32Array(n), items: new Int32Array(n), values: Float32Array.from(values) };
    for (let k = 0; k < n; k++) {
      t.users[k] = users.add(userIds[k]!);
      t.items[k] = items.add(itemIds[k]!);
    }
    if (opts.timestamps !== undefined) t.timestamps = Float64Array.from(opts.timestamps);
    return Interactions.fromTriples(t, users, items, opts.combine ?? 'sum');
  }
}

/** Stable counting sort of positions by `key` (in [0, nKeys)); `within` is a prior order to refine. */
function countingOrder(key: Int32Array, nKeys: number, within: Int32Array | undefined): Int32Array {
  const n = key.length;
  const start = new Int32Array(nKeys + 1);
  for (let k = 0; k < n; k++) start[key[k]! + 1]++;
  for (let j = 0; j < nKeys; j++) start[j + 1] = start[j + 1]! + start[j]!;
  const out = new Int32Array(n);
  if (within === undefined) {
    for (let k = 0; k < n; k++) out[start[key[k]!]!++] = k;
  } else {
    for (let r = 0; r < n; r++) {
      const k = within[r]!;
      out[start[key[k]!]!++] = k;
    }
  }
  return out;
}

function transpose(indptr: Int32Array, indices: Int32Array, values: Float32Array, ts: Float64Array | undefined, nCols: number): CscView {
  const nnz = indices.length;
  const nRows = indptr.length - 1;
  const cptr = new Int32Array(nCols + 1);
  for (let k = 0; k < nnz; k++) cptr[indices[k]! + 1]++;
  for (let j = 0; j < nCols; j++) cptr[j + 1] = cptr[j + 1]! + cptr[j]!;
  const next = cptr.slice(0, nCols);
  const rows = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  const times = ts === undefined ? undefined : new Float64Array(nnz);
  for (let r = 0; r < nRows; r++) {
    for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
      const dst = next[indices[k]!]!++;
      rows[dst] = r;
      vals[dst] = values[k]!;
      if (times !== undefined) times[dst] = ts![k]!;
    }
  }
  const view: CscView = { indptr: cptr, indices: rows, values: vals };
  if (times !== undefined) view.timestamps = times;
  return view;
}
