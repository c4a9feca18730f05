import type { Interactions } from '../../data/interactions.js';

/** Per-user chronological item sequences in CSR form: items of user u are `items[indptr[u]..indptr[u+1])`, oldest first. */
export interface Sequences {
  indptr: Int32Array;
  items: Int32Array;
}

/**
 * Orders every user's interactions by timestamp (ties keep stored order); without timestamps the stored order is
 * used. O(nnz log(row length)).
 */
export function chronological(data: Interactions): Sequences {
  const ts = data.timestamps;
  const items = new Int32Array(data.nnz);
  const order: number[] = [];
  for (let u = 0; u < data.nUsers; u++) {
    const s = data.indptr[u]!;
    const e = data.indptr[u + 1]!;
    order.length = 0;
    for (let p = s; p < e; p++) order.push(p);
    if (ts !== undefined) order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    for (let q = 0; q < order.length; q++) items[s + q] = data.indices[order[q]!]!;
  }
  return { indptr: Int32Array.from(data.indptr), items };
}

/**
 * Holds out each user's last item when the user has at least `minLength` items: returns the shortened sequences and
 * the held-out item per user (-1 when none). Used for early stopping on validation NDCG@10.
 */
export function holdOutLast(seq: Sequences, minLength: number): { train: Sequences; target: Int32Array } {
  const nU = seq.indptr.length - 1;
  const target = new Int32Array(nU).fill(-1);
  const indptr = new Int32Array(nU + 1);
  const out: number[] = [];
  for (let u = 0; u < nU; u++) {
    const s = seq.indptr[u]!;
    let e = seq.indptr[u + 1]!;
    if (e - s >= minLength) {
      target[u] = seq.items[e - 1]!;
      e--;
    }
    for (let p = s; p < e; p++) out.push(seq.items[p]!);
    indptr[u + 1] = out.length;
  }
  return { train: { indptr, items: Int32Array.from(out) }, target };
}

/** Training windows over sequences: window w covers `items[start[w] .. end[w])` of one user (end - start >= 2). */
export interface Windows {
  user: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

/**
 * Cuts each sequence, from its end backwards, into windows of at most `maxLen + 1` items that overlap by one item, so
 * every next-item transition appears exactly once as (input, target). O(nnz / maxLen) windows.
 */
export function windowsOf(seq: Sequences, maxLen: number): Windows {
  const user: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const nU = seq.indptr.length - 1;
  for (let u = 0; u < nU; u++) {
    const s = seq.indptr[u]!;
    let e = seq.indptr[u + 1]!;
    while (e - s >= 2) {
      const a = Math.max(s, e - maxLen - 1);
      user.push(u);
      start.push(a);
      end.push(e);
      e = a + 1;
    }
  }
  return { user: Int32Array.from(user), start: Int32Array.from(start), end: Int32Array.from(end) };
}
