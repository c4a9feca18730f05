import { InvalidArgumentError } from '../../core/errors.js';
import type { IdMap } from '../../core/ids.js';

/**
 * Side features of items (or users) for the two-tower model, aligned by raw id: free text (hashed word unigrams and
 * bigrams), categorical tokens (e.g. genres), numeric columns (standardised).
 */
export interface SideFeatures {
  ids: readonly string[];
  text?: readonly string[];
  categorical?: readonly (readonly string[])[];
  numeric?: { data: ArrayLike<number>; cols: number };
}

/** Hashed sparse features per row (CSR, weights 1/sqrt(row count)) plus a standardised numeric matrix. */
export interface HashedFeatures {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  numeric: Float32Array;
  numericCols: number;
}

/** 32-bit FNV-1a of a string, mod `buckets`. */
export function hashToken(token: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < token.length; k++) {
    h ^= token.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Builds the hashed feature rows for every id of `ids` (the model's id map): text → "w:" unigrams and "b:" bigrams,
 * categorical → "c:" tokens, and "id:" + raw id when `withId(row)` is true. Rows without features are empty. Numeric
 * columns are standardised (mean 0, sd 1; missing ids get 0). O(total tokens).
 */
export function hashFeatures(ids: IdMap, features: SideFeatures | undefined, buckets: number, withId: (row: number) => boolean): HashedFeatures {
  const n = ids.size;
  const rowOf = new Int32Array(features?.ids.length ?? 0).fill(-1);
  if (features !== undefined) {
    const k = features.ids.length;
    if (features.text !== undefined && features.text.length !== k) throw new InvalidArgumentError(`two-tower features: text has ${features.text.length} entries, ids has ${k}`);
    if (features.categorical !== undefined && features.categorical.length !== k) throw new InvalidArgumentError(`two-tower features: categorical has ${features.categorical.length} entries, ids has ${k}`);
    for (let q = 0; q < k; q++) rowOf[q] = ids.indexOf(features.ids[q]!);
  }
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < n; r++) if (withId(r)) lists[r]!.push(hashToken(`id:${ids.idAt(r)}`, buckets));
  if (features !== undefined) {
    for (let q = 0; q < features.ids.length; q++) {
      const r = rowOf[q]!;
      if (r < 0) continue;
      const list = lists[r]!;
      const text = features.text?.[q];
      if (text !== undefined) {
        const words = text.toLowerCase().match(WORD) ?? [];
        for (let w = 0; w < words.length; w++) {
          list.push(hashToken(`w:${words[w]}`, buckets));
          if (w > 0) list.push(hashToken(`b:${words[w - 1]} ${words[w]}`, buckets));
        }
      }
      for (const c of features.categorical?.[q] ?? []) list.push(hashToken(`c:${c}`, buckets));
    }
  }
  const indptr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) indptr[r + 1] = indptr[r]! + lists[r]!.length;
  const indices = new Int32Array(indptr[n]!);
  const values = new Float32Array(indptr[n]!);
  for (let r = 0; r < n; r++) {
    const list = lists[r]!;
    const w = list.length > 0 ? 1 / Math.sqrt(list.length) : 0;
    for (let t = 0; t < list.length; t++) {
      indices[indptr[r]! + t] = list[t]!;
      values[indptr[r]! + t] = w;
    }
  }
  const cols = features?.numeric?.cols ?? 0;
  const numeric = new Float32Array(n * cols);
  if (features?.numeric !== undefined && cols > 0) {
    const src = features.numeric.data;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      let s2 = 0;
      let m = 0;
      for (let q = 0; q < features.ids.length; q++) {
        const v = src[q * cols + c]!;
        if (!Number.isFinite(v)) continue;
        s += v;
        s2 += v * v;
        m++;
      }
      const mean = m > 0 ? s / m : 0;
      const sd = m > 1 ? Math.sqrt(Math.max(1e-12, s2 / m - mean * mean)) : 1;
      for (let q = 0; q < features.ids.length; q++) {
        const r = rowOf[q]!;
        const v = src[q * cols + c]!;
        if (r >= 0 && Number.isFinite(v)) numeric[r * cols + c] = (v - mean) / sd;
      }
    }
  }
  return { indptr, indices, values, numeric, numericCols: cols };
}
