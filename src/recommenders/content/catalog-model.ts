import type { Artifact } from '../../core/artifact.js';
import { requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError, SchemaError, UnknownIdError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import type { Interactions } from '../../data/interactions.js';
import { type TopKBatch, topK } from '../../core/topk.js';
import type { CsrMatrix } from '../../text/csr.js';
import { ItemProfiler, type ItemCatalog, type ProfileOptions } from '../../text/profiles.js';

/**
 * State shared by the models that learn from item metadata (content, hybrid, lightfm): the item catalog's profiles
 * aligned with the model's item index, and the training interactions re-indexed onto it.
 *
 * The model's items are the catalog's ids in catalog order, then any item seen in training but absent from the
 * catalog (with an empty profile). So an item with metadata but no interaction is known to the model and can be
 * recommended (cold start).
 */
export interface CatalogState {
  items: IdMap;
  titles: string[];
  profiler: ItemProfiler;
  /** Item profiles, items x features, unit rows (float32). */
  X: CsrMatrix & { values: Float32Array };
  users: IdMap;
  /** Training interactions on the model's item index: CSR users x items (ascending), values and timestamps. */
  hist: { indptr: Int32Array; indices: Int32Array; values: Float32Array; timestamps: Float64Array | undefined };
  /** Training interactions per item. */
  itemCounts: Int32Array;
  /** Model item -> index in the training data's item map (-1 for catalog items absent from it), and back. */
  toData: Int32Array;
  fromData: Int32Array;
}

/** Something that needs the item catalog before `fit`. The CLI calls `setItemFeatures` when `needsItemFeatures`. */
export interface ItemFeatureAware {
  readonly needsItemFeatures: true;
  setItemFeatures(catalog: ItemCatalog): this;
}

/** True when `m` accepts an item catalog. */
export function isItemFeatureAware(m: unknown): m is ItemFeatureAware {
  return typeof m === 'object' && m !== null && (m as { needsItemFeatures?: unknown }).needsItemFeatures === true;
}

/** Profile options from the shared content params. */
export function profileOptions(p: {
  textWeight: number;
  categoricalWeight: number;
  numericWeight: number;
  encoding: 'onehot' | 'hashed';
  hashBuckets: number;
  minDf: number;
  maxDf: number;
  ngramMax: number;
  sublinearTf: boolean;
}): ProfileOptions {
  return {
    textWeight: p.textWeight,
    categoricalWeight: p.categoricalWeight,
    numericWeight: p.numericWeight,
    encoding: p.encoding,
    hashBuckets: p.hashBuckets,
    tfidf: { stopWords: 'english', minDf: p.minDf, maxDf: p.maxDf, ngramRange: [1, p.ngramMax], sublinearTf: p.sublinearTf },
  };
}

/** Builds the catalog state: profiles, the item index, and the interactions re-indexed onto it. */
export function buildCatalogState(catalog: ItemCatalog | undefined, data: Interactions, opts: ProfileOptions, owner: string): CatalogState {
  if (catalog === undefined) {
    throw new SchemaError(`${owner}: no item features; call setItemFeatures(catalog) before fit (CLI: --items FILE --item-text-column C ...)`);
  }
  const items = new IdMap();
  for (const id of catalog.ids) {
    if (items.has(id)) throw new SchemaError(`${owner}: item id "${id}" appears twice in the catalog`, { id });
    items.add(id);
  }
  const titles = catalog.ids.map((id, i) => catalog.titles?.[i] ?? id);
  const profiler = new ItemProfiler(opts);
  const P = profiler.fit(catalog);
  const remap = new Int32Array(data.nItems);
  for (let j = 0; j < data.nItems; j++) {
    const id = data.items.idAt(j);
    const before = items.size;
    remap[j] = items.add(id);
    if (items.size > before) titles.push(id);
  }
  const nI = items.size;
  const toData = new Int32Array(nI).fill(-1);
  for (let j = 0; j < data.nItems; j++) toData[remap[j]!] = j;
  const indptr = new Int32Array(nI + 1);
  indptr.set(P.indptr);
  indptr.fill(P.indptr[P.rows]!, P.rows + 1);
  const X = { rows: nI, cols: P.cols, indptr, indices: P.indices, values: Float32Array.from(P.values) };
  return { items, titles, profiler, X, users: data.users, hist: remapHistory(data, remap), itemCounts: counts(data, remap, nI), toData, fromData: remap };
}

function counts(data: Interactions, remap: Int32Array, nI: number): Int32Array {
  const c = new Int32Array(nI);
  for (let k = 0; k < data.indices.length; k++) c[remap[data.indices[k]!]!]++;
  return c;
}

/** Re-indexes rows onto the model's items, keeping each row ascending. */
function remapHistory(data: Interactions, remap: Int32Array): CatalogState['hist'] {
  const indices = new Int32Array(data.indices.length);
  const values = new Float32Array(data.values.length);
  const ts = data.timestamps === undefined ? undefined : new Float64Array(data.indices.length);
  const order: number[] = [];
  for (let u = 0; u < data.nUsers; u++) {
    const a = data.indptr[u]!;
    const b = data.indptr[u + 1]!;
    order.length = 0;
    for (let k = a; k < b; k++) order.push(k);
    order.sort((x, y) => remap[data.indices[x]!]! - remap[data.indices[y]!]!);
    for (let m = 0; m < order.length; m++) {
      const k = order[m]!;
      indices[a + m] = remap[data.indices[k]!]!;
      values[a + m] = data.values[k]!;
      if (ts !== undefined) ts[a + m] = data.timestamps![k]!;
    }
  }
  return { indptr: data.indptr.slice(), indices, values, timestamps: ts };
}

/** Tensors and JSON state of a catalog state, for artifacts. */
export function catalogToArtifactParts(s: CatalogState): { tensors: Artifact['tensors']; state: Record<string, unknown> } {
  const tensors: Artifact['tensors'] = {
    x_indptr: tensor(s.X.indptr),
    x_indices: tensor(s.X.indices),
    x_values: tensor(s.X.values),
    h_indptr: tensor(s.hist.indptr),
    h_indices: tensor(s.hist.indices),
    h_values: tensor(s.hist.values),
    item_counts: tensor(s.itemCounts),
    from_data: tensor(s.fromData),
  };
  if (s.hist.timestamps !== undefined) tensors['h_timestamps'] = tensor(s.hist.timestamps);
  return { tensors, state: { items: s.items.toJSON(), users: s.users.toJSON(), titles: s.titles, profiler: s.profiler.toJSON(), dims: s.X.cols } };
}

/** Inverse of {@link catalogToArtifactParts}. */
export function catalogFromArtifact(a: Artifact): CatalogState {
  const st = a.meta.state ?? {};
  const itemIds = st['items'];
  const userIds = st['users'];
  const titles = st['titles'];
  if (!Array.isArray(itemIds) || !Array.isArray(userIds) || !Array.isArray(titles) || typeof st['dims'] !== 'number') {
    throw new ArtifactError(`${a.meta.algorithm} artifact`, 'state lacks items, users, titles or dims');
  }
  const items = IdMap.fromIds(itemIds as string[]);
  const users = IdMap.fromIds(userIds as string[]);
  const nI = items.size;
  const xIndptr = requireTensor(a, 'x_indptr', Int32Array, [nI + 1]);
  const xIndices = requireTensor(a, 'x_indices', Int32Array);
  const xValues = requireTensor(a, 'x_values', Float32Array, [xIndices.length]);
  const hIndptr = requireTensor(a, 'h_indptr', Int32Array, [users.size + 1]);
  const hIndices = requireTensor(a, 'h_indices', Int32Array);
  const hValues = requireTensor(a, 'h_values', Float32Array, [hIndices.length]);
  const ts = a.tensors['h_timestamps'] === undefined ? undefined : requireTensor(a, 'h_timestamps', Float64Array, [hIndices.length]);
  const itemCounts = requireTensor(a, 'item_counts', Int32Array, [nI]);
  const fromData = requireTensor(a, 'from_data', Int32Array);
  const toData = new Int32Array(nI).fill(-1);
  for (let j = 0; j < fromData.length; j++) {
    const m = fromData[j]!;
    if (m < 0 || m >= nI) throw new ArtifactError(`${a.meta.algorithm} artifact`, `from_data[${j}] = ${m} is out of range`);
    toData[m] = j;
  }
  if (xIndptr[nI] !== xIndices.length || hIndptr[users.size] !== hIndices.length) throw new ArtifactError(`${a.meta.algorithm} artifact`, 'CSR sizes do not match');
  return {
    items,
    titles: titles as string[],
    profiler: ItemProfiler.fromJSON(st['profiler'] as Record<string, unknown>),
    X: { rows: nI, cols: st['dims'], indptr: xIndptr, indices: xIndices, values: xValues },
    users,
    hist: { indptr: hIndptr, indices: hIndices, values: hValues, timestamps: ts },
    itemCounts,
    toData,
    fromData,
  };
}

/** Index of a known item, or an {@link UnknownIdError} ("unknown item id ..."). */
export function requireItem(s: CatalogState, id: string): number {
  const i = s.items.indexOf(id);
  if (i < 0) throw new UnknownIdError('item', id);
  return i;
}

/**
 * Batch top-k in the training data's item index (the contract of eval/ranking-eval.ts): for each user index of the
 * training data (-1: unknown), `score(u)` over the model's items (undefined: fall back to popularity), training
 * items left out when `exclude`, items absent from the training data's item map skipped.
 */
export function recommendIndicesVia(
  s: CatalogState,
  score: (u: number) => Float64Array | undefined,
  users: Int32Array,
  k: number,
  exclude: boolean,
): TopKBatch {
  const nD = s.fromData.length;
  const indices = new Int32Array(users.length * k).fill(-1);
  const scores = new Float32Array(users.length * k);
  const buf = new Float64Array(nD);
  for (let r = 0; r < users.length; r++) {
    const u = users[r]!;
    const sc = u >= 0 && u < s.users.size ? score(u) : undefined;
    for (let j = 0; j < nD; j++) buf[j] = sc === undefined ? s.itemCounts[s.fromData[j]!]! : sc[s.fromData[j]!]!;
    if (exclude && u >= 0 && u < s.users.size) {
      for (let p = s.hist.indptr[u]!; p < s.hist.indptr[u + 1]!; p++) {
        const d = s.toData[s.hist.indices[p]!]!;
        if (d >= 0) buf[d] = -Infinity;
      }
    }
    const top = topK(buf, k);
    for (let m = 0; m < top.indices.length; m++) {
      indices[r * k + m] = top.indices[m]!;
      scores[r * k + m] = top.scores[m]!;
    }
  }
  return { k, indices, scores };
}

/** Full scores of user u in the training data's item index (for AUC), popularity when `score` has none. */
export function scoreIntoVia(s: CatalogState, score: (u: number) => Float64Array | undefined, u: number, out: Float32Array): void {
  const sc = u >= 0 && u < s.users.size ? score(u) : undefined;
  for (let j = 0; j < s.fromData.length; j++) out[j] = sc === undefined ? s.itemCounts[s.fromData[j]!]! : sc[s.fromData[j]!]!;
}
