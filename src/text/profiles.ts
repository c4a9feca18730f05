import { InvalidArgumentError, SchemaError } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import { type CsrMatrix, hstackCsr, normalizeRowsL2 } from './csr.js';
import { TfidfVectorizer, type TfidfOptions } from './tfidf.js';

/**
 * Item profiles from several fields at once: every text field becomes a TF-IDF block (L2 rows), every categorical
 * field a one-hot block (or hashed buckets) with rows scaled to unit norm, every numeric field one min-max scaled
 * column in [0, 1]; each block is multiplied by its field weight, the blocks are stacked side by side and each row
 * is L2-normalised, so the dot product of two profiles is their cosine. O(total tokens + nnz) time and memory.
 */

/** One catalog: item ids plus any number of named fields, all aligned with `ids`. */
export interface ItemCatalog {
  ids: readonly string[];
  /** Display names for explanations (default: the ids). */
  titles?: readonly (string | null)[];
  text?: Readonly<Record<string, readonly (string | null)[]>>;
  /** A list of values per item (genres), or one string split on `separator` (default `|` or `,`). */
  categorical?: Readonly<Record<string, readonly (string | readonly string[] | null)[]>>;
  numeric?: Readonly<Record<string, ArrayLike<number>>>;
}

/** How profiles are built. Field weights default to the per-kind weights. */
export interface ProfileOptions {
  textWeight?: number;
  categoricalWeight?: number;
  numericWeight?: number;
  /** Per-field weights, overriding the per-kind ones (keys are field names). */
  fieldWeights?: Readonly<Record<string, number>>;
  /** TF-IDF options for text fields (default: scikit-learn's defaults plus English stop words). */
  tfidf?: TfidfOptions;
  /** Categorical encoding: a column per value, or `hashBuckets` hashed columns (unbounded vocabularies). */
  encoding?: 'onehot' | 'hashed';
  hashBuckets?: number;
  /** Splits a single categorical string into values (default /[|,]/). */
  separator?: RegExp;
}

type FieldKind = 'text' | 'categorical' | 'numeric';

/** Fitted state of one field. */
interface FieldState {
  name: string;
  kind: FieldKind;
  weight: number;
  vectorizer?: TfidfVectorizer;
  values?: string[];
  min?: number;
  max?: number;
}

/** 32-bit FNV-1a of a string (its UTF-16 code units): the hashing trick's bucket function. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitValues(v: string | readonly string[] | null, sep: RegExp): string[] {
  if (v === null || v === undefined) return [];
  const list = typeof v === 'string' ? v.split(sep) : v;
  const out: string[] = [];
  for (const x of list) {
    const t = x.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Builds and re-applies item profiles; see the module comment. */
export class ItemProfiler {
  readonly options: Required<Omit<ProfileOptions, 'fieldWeights' | 'tfidf' | 'separator'>> & { fieldWeights: Record<string, number>; tfidf: TfidfOptions; separator: RegExp };
  private fields: FieldState[] = [];
  /** Column offset of each field in the stacked profile. */
  private offsets: number[] = [];
  private labels: string[] = [];
  private fieldOfCol: Int32Array = new Int32Array(0);

  constructor(opts: ProfileOptions = {}) {
    this.options = {
      textWeight: opts.textWeight ?? 1,
      categoricalWeight: opts.categoricalWeight ?? 1,
      numericWeight: opts.numericWeight ?? 0.5,
      fieldWeights: { ...(opts.fieldWeights ?? {}) },
      tfidf: opts.tfidf ?? { stopWords: 'english' },
      encoding: opts.encoding ?? 'onehot',
      hashBuckets: opts.hashBuckets ?? 1024,
      separator: opts.separator ?? /[|,]/,
    };
    for (const [k, w] of Object.entries({ textWeight: this.options.textWeight, categoricalWeight: this.options.categoricalWeight, numericWeight: this.options.numericWeight, ...this.options.fieldWeights })) {
      if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidArgumentError(`ItemProfiler: weight "${k}" must be a finite number >= 0, got ${w}`);
    }
    if (!Number.isInteger(this.options.hashBuckets) || this.options.hashBuckets < 1) {
      throw new InvalidArgumentError(`ItemProfiler: hashBuckets must be a positive integer, got ${this.options.hashBuckets}`);
    }
  }

  private weightOf(name: string, kind: FieldKind): number {
    const w = this.options.fieldWeights[name];
    if (w !== undefined) return w;
    return kind === 'text' ? this.options.textWeight : kind === 'categorical' ? this.options.categoricalWeight : this.options.numericWeight;
  }

  /**
   * Learns every field's encoding from `catalog` and returns its profiles (items x features, unit rows).
   * `opts.onProgress` gets one `profile` event per field fitted (text fields, the slow ones, are fitted first).
   */
  fit(catalog: ItemCatalog, opts: { onProgress?: ProgressFn } = {}): CsrMatrix {
    const n = catalog.ids.length;
    const nFields = Object.keys(catalog.text ?? {}).length + Object.keys(catalog.categorical ?? {}).length + Object.keys(catalog.numeric ?? {}).length;
    const tick = (): void => opts.onProgress?.({ step: 'profile', done: fields.length, total: nFields });
    const fields: FieldState[] = [];
    const blocks: CsrMatrix[] = [];
    for (const [name, docs] of Object.entries(catalog.text ?? {})) {
      checkLength(name, docs.length, n);
      const vectorizer = new TfidfVectorizer(this.options.tfidf);
      let X: CsrMatrix;
      try {
        X = vectorizer.fitTransform(docs);
      } catch (e) {
        throw new SchemaError(`text field "${name}": ${(e as Error).message}`, { field: name });
      }
      fields.push({ name, kind: 'text', weight: this.weightOf(name, 'text'), vectorizer });
      tick();
      blocks.push(X);
    }
    for (const [name, col] of Object.entries(catalog.categorical ?? {})) {
      checkLength(name, col.length, n);
      const values: string[] = [];
      if (this.options.encoding === 'onehot') {
        const seen = new Set<string>();
        for (const v of col) {
          for (const x of splitValues(v, this.options.separator)) {
            if (seen.has(x)) continue;
            seen.add(x);
            values.push(x);
          }
        }
        values.sort();
      }
      fields.push({ name, kind: 'categorical', weight: this.weightOf(name, 'categorical'), values });
      tick();
    }
    for (const [name, col] of Object.entries(catalog.numeric ?? {})) {
      checkLength(name, col.length, n);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < col.length; i++) {
        const x = col[i]!;
        if (Number.isNaN(x)) continue;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      fields.push({ name, kind: 'numeric', weight: this.weightOf(name, 'numeric'), min, max });
      tick();
    }
    if (fields.length === 0) throw new SchemaError('ItemProfiler: the catalog has no text, categorical or numeric field');
    this.fields = fields;
    this.layout();
    return this.transformWith(catalog, blocks);
  }

  private layout(): void {
    this.offsets = [];
    this.labels = [];
    const fieldOf: number[] = [];
    let off = 0;
    for (let f = 0; f < this.fields.length; f++) {
      const s = this.fields[f]!;
      this.offsets.push(off);
      let names: readonly string[];
      if (s.kind === 'text') names = s.vectorizer!.featureNames;
      else if (s.kind === 'numeric') names = [s.name];
      else if (this.options.encoding === 'onehot') names = s.values!.map((v) => `${s.name}: ${v}`);
      else names = Array.from({ length: this.options.hashBuckets }, (_, b) => `${s.name}#${b}`);
      for (const l of names) {
        this.labels.push(l);
        fieldOf.push(f);
      }
      off += names.length;
    }
    this.fieldOfCol = Int32Array.from(fieldOf);
  }

  /** Profiles of (possibly new) items with the fitted encodings; unknown terms and categories are ignored. */
  transform(catalog: ItemCatalog): CsrMatrix {
    if (this.fields.length === 0) throw new InvalidArgumentError('ItemProfiler: call fit() first');
    return this.transformWith(catalog, undefined);
  }

  private transformWith(catalog: ItemCatalog, fittedText: CsrMatrix[] | undefined): CsrMatrix {
    const n = catalog.ids.length;
    const blocks: CsrMatrix[] = [];
    const weights: number[] = [];
    let t = 0;
    for (const s of this.fields) {
      weights.push(s.weight);
      if (s.kind === 'text') {
        const docs = catalog.text?.[s.name];
        if (docs === undefined) throw new SchemaError(`ItemProfiler: the catalog lacks text field "${s.name}"`, { field: s.name });
        checkLength(s.name, docs.length, n);
        blocks.push(fittedText !== undefined ? fittedText[t++]! : s.vectorizer!.transform(docs));
      } else if (s.kind === 'categorical') {
        const col = catalog.categorical?.[s.name];
        if (col === undefined) throw new SchemaError(`ItemProfiler: the catalog lacks categorical field "${s.name}"`, { field: s.name });
        checkLength(s.name, col.length, n);
        blocks.push(this.encodeCategorical(s, col));
      } else {
        const col = catalog.numeric?.[s.name];
        if (col === undefined) throw new SchemaError(`ItemProfiler: the catalog lacks numeric field "${s.name}"`, { field: s.name });
        checkLength(s.name, col.length, n);
        blocks.push(encodeNumeric(s, col));
      }
    }
    return normalizeRowsL2(hstackCsr(blocks, weights));
  }

  private encodeCategorical(s: FieldState, col: readonly (string | readonly string[] | null)[]): CsrMatrix {
    const onehot = this.options.encoding === 'onehot';
    const index = onehot ? new Map(s.values!.map((v, i) => [v, i])) : undefined;
    const cols = onehot ? s.values!.length : this.options.hashBuckets;
    const indptr = new Int32Array(col.length + 1);
    const idx: number[] = [];
    const row: number[] = [];
    for (let i = 0; i < col.length; i++) {
      row.length = 0;
      for (const v of splitValues(col[i]!, this.options.separator)) {
        const j = onehot ? (index!.get(v) ?? -1) : fnv1a(`${s.name}=${v}`) % cols;
        if (j >= 0 && !row.includes(j)) row.push(j);
      }
      row.sort((a, b) => a - b);
      for (const j of row) idx.push(j);
      indptr[i + 1] = idx.length;
    }
    const values = new Float64Array(idx.length);
    for (let i = 0; i < col.length; i++) {
      const a = indptr[i]!;
      const b = indptr[i + 1]!;
      for (let k = a; k < b; k++) values[k] = 1 / Math.sqrt(b - a);
    }
    return { rows: col.length, cols, indptr, indices: Int32Array.from(idx), values };
  }

  /** Display label of every profile column ("cyberpunk", "genres: Drama", "year"). */
  get featureLabels(): readonly string[] {
    return this.labels;
  }

  /** Field kind of a profile column. */
  kindOf(col: number): FieldKind {
    return this.fields[this.fieldOfCol[col]!]!.kind;
  }

  get dims(): number {
    return this.labels.length;
  }

  /** JSON state (text fields' vectorizers as artifacts' meta + idf arrays) for saving with a model. */
  toJSON(): Record<string, unknown> {
    const { separator, ...rest } = this.options;
    return {
      options: { ...rest, separator: { source: separator.source, flags: separator.flags } },
      fields: this.fields.map((s) => {
        if (s.kind !== 'text') return { ...s };
        const a = s.vectorizer!.toArtifact();
        return { name: s.name, kind: s.kind, weight: s.weight, tfidf: { params: a.meta.params, terms: a.meta.state!['terms'], idf: Array.from(s.vectorizer!.idf) } };
      }),
    };
  }

  /** Rebuilds a fitted profiler from {@link toJSON}'s output. */
  static fromJSON(j: Record<string, unknown>): ItemProfiler {
    const o = j['options'] as ProfileOptions & { separator: { source: string; flags: string } };
    const p = new ItemProfiler({ ...o, separator: new RegExp(o.separator.source, o.separator.flags) });
    const fields = j['fields'] as (FieldState & { tfidf?: { params: Record<string, unknown>; terms: string[]; idf: number[] } })[];
    p.fields = fields.map((f) => {
      if (f.kind !== 'text') return { name: f.name, kind: f.kind, weight: f.weight, ...(f.values ? { values: f.values } : {}), ...(f.min !== undefined ? { min: f.min, max: f.max! } : {}) };
      const tf = f.tfidf!;
      const vectorizer = TfidfVectorizer.fromArtifact({
        meta: { algorithm: 'tfidf', params: tf.params, state: { terms: tf.terms } },
        tensors: { idf: { dtype: 'F64', shape: [tf.idf.length], data: Float64Array.from(tf.idf) } },
      });
      return { name: f.name, kind: f.kind, weight: f.weight, vectorizer };
    });
    p.layout();
    return p;
  }
}

function encodeNumeric(s: FieldState, col: ArrayLike<number>): CsrMatrix {
  const n = col.length;
  const range = s.max! - s.min!;
  const indptr = new Int32Array(n + 1);
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = col[i]!;
    const v = Number.isNaN(x) ? 0 : range > 0 ? Math.min(1, Math.max(0, (x - s.min!) / range)) : 1;
    if (v !== 0) vals.push(v);
    indptr[i + 1] = vals.length;
  }
  return { rows: n, cols: 1, indptr, indices: new Int32Array(vals.length), values: Float64Array.from(vals) };
}

function checkLength(field: string, got: number, n: number): void {
  if (got !== n) throw new SchemaError(`ItemProfiler: field "${field}" has ${got} values, expected one per item (${n})`, { field });
}
