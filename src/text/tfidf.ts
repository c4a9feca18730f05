import type { Artifact } from '../core/artifact.js';
import { requireTensor, tensor } from '../core/artifact.js';
import { ArtifactError, EmptyInputError, InvalidArgumentError, NotFittedError } from '../core/errors.js';
import type { CsrMatrix } from './csr.js';
import { type AnalyzerOptions, type StripAccents, WordAnalyzer, compareCodePoints } from './tokenizer.js';

/**
 * `TfidfVectorizer` with scikit-learn 1.2's semantics and defaults (CountVectorizer + TfidfTransformer):
 *
 * - vocabulary = every term of the training documents, sorted by code point, then pruned to terms whose document
 *   frequency is in [minDf, maxDf], then (maxFeatures) to the most frequent terms over the corpus (ties: the earlier
 *   term in vocabulary order), keeping vocabulary order;
 * - tf = raw count (1 when `binary`; `1 + ln(tf)` when `sublinearTf`);
 * - idf = ln((1 + n) / (1 + df)) + 1 with `smoothIdf` (default), ln(n / df) + 1 without; 1 when `useIdf` is false;
 * - each row multiplied by idf, then normalised (L2 default, L1, or none); all-zero rows stay zero.
 *
 * Document frequency bounds follow scikit-learn's int/float rule, which JavaScript numbers cannot carry, so:
 * a plain number `minDf < 1` is a proportion and `>= 1` a count; `maxDf <= 1` is a proportion and `> 1` a count;
 * `{ count }` or `{ proportion }` states it explicitly (e.g. `maxDf: { count: 1 }`).
 *
 * Cost: fit O(total tokens + V log V), transform O(total tokens); output CSR with float64 values.
 */

/** A document-frequency bound: a plain number (see above), an absolute count or a proportion of documents. */
export type DfBound = number | { count: number } | { proportion: number };

/** All options; every one defaults to scikit-learn's default. */
export interface TfidfOptions extends AnalyzerOptions {
  minDf?: DfBound;
  maxDf?: DfBound;
  /** Keep only the most frequent terms (by total count over the corpus); null = all. */
  maxFeatures?: number | null;
  /** A fixed vocabulary (term list; index = position); disables minDf/maxDf/maxFeatures as in scikit-learn. */
  vocabulary?: readonly string[] | null;
  binary?: boolean;
  norm?: 'l1' | 'l2' | null;
  useIdf?: boolean;
  smoothIdf?: boolean;
  sublinearTf?: boolean;
}

interface ResolvedOptions {
  lowercase: boolean;
  stripAccents: StripAccents;
  tokenPattern: { source: string; flags: string } | null;
  stopWords: 'english' | string[] | null;
  ngramRange: [number, number];
  minDf: { count: number } | { proportion: number };
  maxDf: { count: number } | { proportion: number };
  maxFeatures: number | null;
  vocabulary: string[] | null;
  binary: boolean;
  norm: 'l1' | 'l2' | null;
  useIdf: boolean;
  smoothIdf: boolean;
  sublinearTf: boolean;
}

function resolveBound(name: string, b: DfBound, isMax: boolean): { count: number } | { proportion: number } {
  if (typeof b === 'number') {
    if (!Number.isFinite(b) || b < 0) throw new InvalidArgumentError(`TfidfVectorizer: ${name} must be a non-negative number, got ${b}`);
    const proportion = isMax ? b <= 1 : b < 1;
    if (proportion) return { proportion: b };
    if (!Number.isInteger(b)) throw new InvalidArgumentError(`TfidfVectorizer: ${name} above 1 is a document count and must be an integer, got ${b}`);
    return { count: b };
  }
  if ('count' in b) {
    if (!Number.isInteger(b.count) || b.count < 0) throw new InvalidArgumentError(`TfidfVectorizer: ${name}.count must be a non-negative integer, got ${b.count}`);
    return { count: b.count };
  }
  if (!(b.proportion >= 0 && b.proportion <= 1)) throw new InvalidArgumentError(`TfidfVectorizer: ${name}.proportion must be in [0, 1], got ${b.proportion}`);
  return { proportion: b.proportion };
}

function resolveOptions(o: TfidfOptions): ResolvedOptions {
  const norm = o.norm === undefined ? 'l2' : o.norm;
  if (norm !== null && norm !== 'l1' && norm !== 'l2') throw new InvalidArgumentError(`TfidfVectorizer: norm must be 'l1', 'l2' or null, got ${JSON.stringify(norm)}`);
  const mf = o.maxFeatures ?? null;
  if (mf !== null && (!Number.isInteger(mf) || mf < 1)) throw new InvalidArgumentError(`TfidfVectorizer: maxFeatures must be a positive integer or null, got ${mf}`);
  const sw = o.stopWords ?? null;
  return {
    lowercase: o.lowercase ?? true,
    stripAccents: o.stripAccents ?? null,
    tokenPattern: o.tokenPattern ? { source: o.tokenPattern.source, flags: o.tokenPattern.flags } : null,
    stopWords: sw === null || sw === 'english' ? sw : [...sw],
    ngramRange: [o.ngramRange?.[0] ?? 1, o.ngramRange?.[1] ?? 1],
    minDf: resolveBound('minDf', o.minDf ?? 1, false),
    maxDf: resolveBound('maxDf', o.maxDf ?? 1, true),
    maxFeatures: mf,
    vocabulary: o.vocabulary ? [...o.vocabulary] : null,
    binary: o.binary ?? false,
    norm,
    useIdf: o.useIdf ?? true,
    smoothIdf: o.smoothIdf ?? true,
    sublinearTf: o.sublinearTf ?? false,
  };
}

function analyzerOf(o: ResolvedOptions): WordAnalyzer {
  return new WordAnalyzer({
    lowercase: o.lowercase,
    stripAccents: o.stripAccents,
    tokenPattern: o.tokenPattern === null ? null : new RegExp(o.tokenPattern.source, o.tokenPattern.flags),
    stopWords: o.stopWords,
    ngramRange: o.ngramRange,
  });
}

/** Term counts of documents: CSR with float64 counts, rows in document order, columns unsorted until `sortRows`. */
interface Counts {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** A growable Int32 buffer (doubling). */
class IntBuf {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Counts terms per document against `vocab` (term -> column). With `grow`, unseen terms are added (fit);
 * otherwise they are ignored (transform). Rows come out with ascending columns only when `vocab` was not grown.
 */
function countDocs(analyzer: WordAnalyzer, docs: readonly (string | null | undefined)[], vocab: Map<string, number>, grow: boolean): Counts {
  const ids = new IntBuf();
  const docEnd = new Int32Array(docs.length);
  const terms: string[] = [];
  for (let d = 0; d < docs.length; d++) {
    terms.length = 0;
    analyzer.analyze(docs[d], terms);
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      let id = vocab.get(term);
      if (id === undefined) {
        if (!grow) continue;
        id = vocab.size;
        vocab.set(term, id);
      }
      ids.push(id);
    }
    docEnd[d] = ids.length;
  }
  const nV = vocab.size;
  const count = new Float64Array(nV);
  const indptr = new Int32Array(docs.length + 1);
  const outIdx = new IntBuf();
  const outVal: number[] = [];
  let start = 0;
  for (let d = 0; d < docs.length; d++) {
    const end = docEnd[d]!;
    for (let k = start; k < end; k++) {
      const id = ids.data[k]!;
      if (count[id] === 0) outIdx.push(id);
      count[id]!++;
    }
    for (let k = indptr[d]!; k < outIdx.length; k++) {
      const id = outIdx.data[k]!;
      outVal.push(count[id]!);
      count[id] = 0;
    }
    indptr[d + 1] = outIdx.length;
    start = end;
  }
  return { indptr, indices: outIdx.data.slice(0, outIdx.length), values: Float64Array.from(outVal) };
}

/** Sorts the columns of every row ascending (values follow). Insertion sort: rows are short. */
function sortRows(c: Counts): void {
  const { indptr, indices, values } = c;
  for (let r = 0; r + 1 < indptr.length; r++) {
    const a = indptr[r]!;
    const b = indptr[r + 1]!;
    for (let i = a + 1; i < b; i++) {
      const ki = indices[i]!;
      const vi = values[i]!;
      let j = i - 1;
      while (j >= a && indices[j]! > ki) {
        indices[j + 1] = indices[j]!;
        values[j + 1] = values[j]!;
        j--;
      }
      indices[j + 1] = ki;
      values[j + 1] = vi;
    }
  }
}

/** Term -> TF-IDF vectorizer; see the module comment for the exact semantics. */
export class TfidfVectorizer {
  private readonly opts: ResolvedOptions;
  private vocab: Map<string, number> | undefined;
  private terms: string[] | undefined;
  private idfVec: Float64Array | undefined;
  private readonly analyzer: WordAnalyzer;

  constructor(options: TfidfOptions = {}) {
    this.opts = resolveOptions(options);
    this.analyzer = analyzerOf(this.opts);
  }

  /** The word analyzer (preprocess + tokenize + stop words + n-grams) this vectorizer uses. */
  get wordAnalyzer(): WordAnalyzer {
    return this.analyzer;
  }

  /** Learns vocabulary and idf from `docs`. */
  fit(docs: readonly (string | null | undefined)[]): this {
    this.fitTransform(docs);
    return this;
  }

  /** Learns vocabulary and idf, and returns the TF-IDF matrix of `docs` (documents x terms). */
  fitTransform(docs: readonly (string | null | undefined)[]): CsrMatrix {
    const o = this.opts;
    const fixed = o.vocabulary !== null;
    const vocab = new Map<string, number>();
    if (fixed) {
      for (const t of o.vocabulary!) {
        if (vocab.has(t)) throw new InvalidArgumentError(`TfidfVectorizer: vocabulary has the term "${t}" twice`);
        vocab.set(t, vocab.size);
      }
      if (vocab.size === 0) throw new InvalidArgumentError('TfidfVectorizer: the fixed vocabulary is empty');
    }
    const counts = countDocs(this.analyzer, docs, vocab, !fixed);
    if (vocab.size === 0) throw new EmptyInputError('TfidfVectorizer: empty vocabulary; perhaps the documents only contain stop words');
    if (o.binary) counts.values.fill(1);
    let terms: string[];
    if (fixed) {
      terms = o.vocabulary!.slice();
    } else {
      const order = [...vocab.keys()];
      order.sort(compareCodePoints);
      // old id -> kept new id (or -1)
      const remap = new Int32Array(order.length);
      for (let i = 0; i < order.length; i++) remap[vocab.get(order[i]!)!] = i;
      for (let k = 0; k < counts.indices.length; k++) counts.indices[k] = remap[counts.indices[k]!]!;
      const keep = this.limitFeatures(counts, order.length, docs.length);
      terms = [];
      const newId = new Int32Array(order.length).fill(-1);
      for (let i = 0; i < order.length; i++) if (keep[i]) newId[i] = terms.push(order[i]!) - 1;
      if (terms.length === 0) throw new EmptyInputError('TfidfVectorizer: after pruning, no terms remain; try a lower minDf or a higher maxDf');
      filterColumns(counts, newId);
    }
    sortRows(counts);
    this.terms = terms;
    this.vocab = new Map(terms.map((t, i) => [t, i]));
    const nV = terms.length;
    const df = new Float64Array(nV);
    for (let k = 0; k < counts.indices.length; k++) df[counts.indices[k]!]!++;
    const idf = new Float64Array(nV);
    const n = docs.length + (o.smoothIdf ? 1 : 0);
    for (let j = 0; j < nV; j++) idf[j] = o.useIdf ? Math.log(n / (df[j]! + (o.smoothIdf ? 1 : 0))) + 1 : 1;
    this.idfVec = idf;
    return this.weight(counts, nV);
  }

  /** Mask of kept columns after the df bounds and maxFeatures (scikit-learn's `_limit_features`). */
  private limitFeatures(c: Counts, nV: number, nDoc: number): Uint8Array {
    const o = this.opts;
    const high = 'count' in o.maxDf ? o.maxDf.count : o.maxDf.proportion * nDoc;
    const low = 'count' in o.minDf ? o.minDf.count : o.minDf.proportion * nDoc;
    if (high < low) throw new InvalidArgumentError(`TfidfVectorizer: maxDf corresponds to fewer documents (${high}) than minDf (${low})`);
    const df = new Float64Array(nV);
    const tf = new Float64Array(nV);
    for (let k = 0; k < c.indices.length; k++) {
      df[c.indices[k]!]!++;
      tf[c.indices[k]!]! += c.values[k]!;
    }
    const keep = new Uint8Array(nV);
    let kept = 0;
    for (let j = 0; j < nV; j++) {
      if (df[j]! <= high && df[j]! >= low) {
        keep[j] = 1;
        kept++;
      }
    }
    if (o.maxFeatures !== null && kept > o.maxFeatures) {
      const cand: number[] = [];
      for (let j = 0; j < nV; j++) if (keep[j]) cand.push(j);
      cand.sort((a, b) => tf[b]! - tf[a]! || a - b);
      keep.fill(0);
      for (let i = 0; i < o.maxFeatures; i++) keep[cand[i]!] = 1;
    }
    return keep;
  }

  /** The TF-IDF matrix of `docs` with the fitted vocabulary and idf (unknown terms are ignored). */
  transform(docs: readonly (string | null | undefined)[]): CsrMatrix {
    if (this.vocab === undefined || this.idfVec === undefined) throw new NotFittedError('TfidfVectorizer');
    const counts = countDocs(this.analyzer, docs, this.vocab, false);
    if (this.opts.binary) counts.values.fill(1);
    sortRows(counts);
    return this.weight(counts, this.vocab.size);
  }

  private weight(c: Counts, nV: number): CsrMatrix {
    const o = this.opts;
    const idf = this.idfVec!;
    const v = c.values;
    if (o.sublinearTf) for (let k = 0; k < v.length; k++) v[k] = Math.log(v[k]!) + 1;
    for (let k = 0; k < v.length; k++) v[k] = v[k]! * idf[c.indices[k]!]!;
    if (o.norm !== null) {
      const l2 = o.norm === 'l2';
      for (let r = 0; r + 1 < c.indptr.length; r++) {
        const a = c.indptr[r]!;
        const b = c.indptr[r + 1]!;
        let s = 0;
        for (let k = a; k < b; k++) s += l2 ? v[k]! * v[k]! : Math.abs(v[k]!);
        if (s === 0) continue;
        const inv = 1 / (l2 ? Math.sqrt(s) : s);
        for (let k = a; k < b; k++) v[k] = v[k]! * inv;
      }
    }
    return { rows: c.indptr.length - 1, cols: nV, indptr: c.indptr, indices: c.indices, values: v };
  }

  /** Fitted terms in column order (scikit-learn's `get_feature_names_out()`). */
  get featureNames(): readonly string[] {
    if (this.terms === undefined) throw new NotFittedError('TfidfVectorizer');
    return this.terms;
  }

  /** Column of `term`, or -1. */
  indexOf(term: string): number {
    if (this.vocab === undefined) throw new NotFittedError('TfidfVectorizer');
    return this.vocab.get(term) ?? -1;
  }

  /** The fitted idf vector (one entry per column). */
  get idf(): Float64Array {
    if (this.idfVec === undefined) throw new NotFittedError('TfidfVectorizer');
    return this.idfVec;
  }

  get isFitted(): boolean {
    return this.idfVec !== undefined;
  }

  /** Artifact form: options and terms in the JSON state, idf as a float64 tensor. */
  toArtifact(): Artifact {
    if (this.terms === undefined || this.idfVec === undefined) throw new NotFittedError('TfidfVectorizer');
    return {
      meta: { algorithm: 'tfidf', params: { ...this.opts }, state: { terms: this.terms } },
      tensors: { idf: tensor(this.idfVec, [this.idfVec.length]) },
    };
  }

  /** Rebuilds a fitted vectorizer from {@link toArtifact}'s output. */
  static fromArtifact(a: Artifact): TfidfVectorizer {
    const p = a.meta.params as unknown as ResolvedOptions;
    const terms = a.meta.state?.['terms'];
    if (!Array.isArray(terms) || terms.some((t) => typeof t !== 'string')) throw new ArtifactError('tfidf artifact', 'state.terms must be a list of strings');
    const v = new TfidfVectorizer({
      lowercase: p.lowercase,
      stripAccents: p.stripAccents,
      tokenPattern: p.tokenPattern === null ? null : new RegExp(p.tokenPattern.source, p.tokenPattern.flags),
      stopWords: p.stopWords,
      ngramRange: p.ngramRange,
      minDf: p.minDf,
      maxDf: p.maxDf,
      maxFeatures: p.maxFeatures,
      vocabulary: p.vocabulary,
      binary: p.binary,
      norm: p.norm,
      useIdf: p.useIdf,
      smoothIdf: p.smoothIdf,
      sublinearTf: p.sublinearTf,
    });
    v.terms = terms as string[];
    v.vocab = new Map(v.terms.map((t, i) => [t, i]));
    v.idfVec = requireTensor(a, 'idf', Float64Array, [v.terms.length]);
    return v;
  }
}

/** Renumbers columns by `newId` (-1 drops the entry), compacting the CSR in place. */
function filterColumns(c: Counts, newId: Int32Array): void {
  let w = 0;
  let start = 0;
  for (let r = 0; r + 1 < c.indptr.length; r++) {
    const end = c.indptr[r + 1]!;
    for (let k = start; k < end; k++) {
      const j = newId[c.indices[k]!]!;
      if (j < 0) continue;
      c.indices[w] = j;
      c.values[w++] = c.values[k]!;
    }
    start = end;
    c.indptr[r + 1] = w;
  }
  if (w < c.indices.length) {
    c.indices = c.indices.slice(0, w);
    c.values = c.values.slice(0, w);
  }
}
