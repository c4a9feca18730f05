import { IdMap } from '../../core/ids.js';
import type { Scored } from '../../core/model.js';
import type { TopK } from '../../core/topk.js';

/**
 * What the server needs from a model, as small capability interfaces checked at run time, so any model that has
 * them plugs in (ALS, ItemKNN/SAR, popularity, content models, or a test double). Item indices are the model's dense
 * int32 item indices; ids are the raw strings.
 */

/** A ranked list as models return it: scored ids, or dense indices with scores. */
export type RankedOutput = readonly Scored[] | TopK;

/** Maps between raw item ids and the model's dense item indices. */
export interface ItemSpace {
  itemIndex(id: string): number;
  itemId(index: number): string;
  readonly nItems: number;
}

/** Factor models: the closed-form ALS user solve against fixed item factors, then scoring of any user vector. */
export interface FoldInCapable {
  foldInUser(items: Int32Array, values: Float32Array): Float32Array;
  recommendForVector(vec: Float32Array, k: number, excludeSorted?: Int32Array): RankedOutput;
}

/** Neighbourhood models (ItemKNN, SAR): rank from a history of raw item ids given directly (history excluded). */
export interface HistoryCapable {
  recommendFromHistory(items: readonly string[], values: ArrayLike<number> | undefined, k: number): RankedOutput;
}

/** Any recommender that knows its training users. */
export interface KnownUserCapable {
  recommend(user: string, k: number, opts?: { excludeSeen?: boolean }): Scored[];
}

export interface SimilarCapable {
  similarItems(item: string, k: number): Scored[];
}

export interface BoughtTogetherCapable {
  boughtTogether(item: string, k: number): Scored[];
}

/** Optional: an item's embedding, used to explain a factor-model result by its nearest history item. */
export interface ItemVectorCapable {
  itemVector(index: number): Float32Array;
}

type Obj = Record<string, unknown>;
const isObj = (m: unknown): m is Obj => typeof m === 'object' && m !== null;
const hasFn = (m: unknown, name: string): boolean => isObj(m) && typeof m[name] === 'function';

export const canFoldIn = (m: unknown): m is FoldInCapable => hasFn(m, 'foldInUser') && hasFn(m, 'recommendForVector');
export const canRankHistory = (m: unknown): m is HistoryCapable => hasFn(m, 'recommendFromHistory');
export const canRecommendKnown = (m: unknown): m is KnownUserCapable => hasFn(m, 'recommend');
export const canSimilar = (m: unknown): m is SimilarCapable => hasFn(m, 'similarItems');
export const canBoughtTogether = (m: unknown): m is BoughtTogetherCapable => hasFn(m, 'boughtTogether');
export const hasItemVectors = (m: unknown): m is ItemVectorCapable => hasFn(m, 'itemVector');

/**
 * A function returning item i's embedding: the model's `itemVector`, or a view into its row-major `itemFactors`
 * (items x `factorCount`) as factor models (ALS, BPR) expose them. Undefined when the model has neither.
 */
export function itemVectorsOf(m: unknown): ((i: number) => Float32Array) | undefined {
  if (hasItemVectors(m)) return (i) => m.itemVector(i);
  if (!isObj(m)) return undefined;
  const f = m['factorCount'];
  let y: unknown;
  try {
    y = m['itemFactors'];
  } catch {
    return undefined;
  }
  if (typeof f !== 'number' || f <= 0 || !(y instanceof Float32Array)) return undefined;
  return (i) => y.subarray(i * f, (i + 1) * f);
}

/**
 * The item id space of a model: its own `itemIndex`/`itemId` methods, or an IdMap under one of the usual property
 * names (`itemMap`, `items`, `itemIds`). Undefined when the model exposes none (it then cannot take histories).
 */
export function itemSpaceOf(m: unknown): ItemSpace | undefined {
  if (!isObj(m)) return undefined;
  if (typeof m['itemIndex'] === 'function' && typeof m['itemId'] === 'function') {
    const o = m as unknown as ItemSpace & { nItems?: number };
    return { itemIndex: (id) => o.itemIndex(id), itemId: (i) => o.itemId(i), nItems: typeof o.nItems === 'number' ? o.nItems : 0 };
  }
  for (const key of ['itemMap', 'items', 'itemIds']) {
    const v = m[key];
    if (v instanceof IdMap) return { itemIndex: (id) => v.indexOf(id), itemId: (i) => v.idAt(i), nItems: v.size };
  }
  return undefined;
}

/** A factor model's raw item matrix: row-major items x f Float32 factors and optional item biases. */
export interface FactorMatrix {
  y: Float32Array;
  f: number;
  bias: Float32Array | undefined;
}

/** The item factor matrix of a factor model exposing `itemFactors` + `factorCount` (+ `itemBiases`), else undefined. */
export function factorMatrixOf(m: unknown): FactorMatrix | undefined {
  if (!isObj(m)) return undefined;
  let y: unknown;
  let b: unknown;
  try {
    y = m['itemFactors'];
    b = m['itemBiases'];
  } catch {
    return undefined;
  }
  const f = m['factorCount'];
  if (typeof f !== 'number' || f <= 0 || !(y instanceof Float32Array) || y.length % f !== 0) return undefined;
  return { y, f, bias: b instanceof Float32Array && b.length === y.length / f ? b : undefined };
}

/** Normalizes a model's ranked output to scored ids. */
export function rankedToScored(out: RankedOutput, space: ItemSpace | undefined): Scored[] {
  if (Array.isArray(out)) return out as Scored[];
  const t = out as TopK;
  const res: Scored[] = new Array<Scored>(t.indices.length);
  for (let k = 0; k < t.indices.length; k++) res[k] = { id: space === undefined ? String(t.indices[k]) : space.itemId(t.indices[k]!), score: t.scores[k]! };
  return res;
}
