import { NotFittedError, SchemaError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { type Column, type Frame, numericColumn } from '../../data/frame.js';
import type { Transformer, TransformerState } from './transformer.js';

interface Encoding {
  cats: Map<string, number>;
  prior: number;
}

function encode(codes: Int32Array, dict: readonly string[], y: Float64Array, rows: Int32Array | null, smoothing: number): Encoding {
  const sum = new Float64Array(dict.length);
  const cnt = new Float64Array(dict.length);
  let total = 0;
  let n = 0;
  const len = rows === null ? codes.length : rows.length;
  for (let k = 0; k < len; k++) {
    const i = rows === null ? k : rows[k];
    total += y[i];
    n++;
    const c = codes[i];
    if (c < 0) continue;
    sum[c] += y[i];
    cnt[c] += 1;
  }
  const prior = n > 0 ? total / n : 0;
  const cats = new Map<string, number>();
  // Shrink each category's mean towards the prior: (sum + m * prior) / (count + m).
  for (let c = 0; c < dict.length; c++) if (cnt[c] > 0) cats.set(dict[c], (sum[c] + smoothing * prior) / (cnt[c] + smoothing));
  return { cats, prior };
}

function apply(codes: Int32Array, dict: readonly string[], e: Encoding, rows: Int32Array | null, out: Float64Array): void {
  const map = new Float64Array(dict.length);
  for (let c = 0; c < dict.length; c++) map[c] = e.cats.get(dict[c]) ?? e.prior;
  const len = rows === null ? codes.length : rows.length;
  for (let k = 0; k < len; k++) {
    const i = rows === null ? k : rows[k];
    out[i] = codes[i] < 0 ? e.prior : map[codes[i]];
  }
}

/**
 * Target (mean) encoding of categorical columns, smoothed towards the global mean by `smoothing` pseudo-rows
 * (Micci-Barreca 2001). `fitTransform` encodes each training row with a model fitted on the other folds (K-fold,
 * seeded), so a row's own target never leaks into its feature; `transform` uses the encoding fitted on all rows.
 * For a binary target encode the 0/1 labels; unseen and missing categories get the prior.
 */
export class TargetEncoder implements Transformer {
  readonly type = 'TargetEncoder';
  private enc = new Map<string, Encoding>();
  private fitted = false;
  constructor(readonly opts: { columns?: string[]; smoothing?: number; folds?: number; seed?: number } = {}) {}

  private columns(frame: Frame): string[] {
    return this.opts.columns ?? frame.columns.filter((c) => c.kind === 'categorical').map((c) => c.name);
  }

  fit(frame: Frame, y?: Float64Array): this {
    if (y === undefined || y.length !== frame.nRows) throw new SchemaError(`TargetEncoder: needs the target (one value per row, ${frame.nRows} rows)`);
    this.enc.clear();
    for (const name of this.columns(frame)) {
      const c = frame.categorical(name);
      this.enc.set(name, encode(c.codes, c.dictionary, y, null, this.opts.smoothing ?? 10));
    }
    this.fitted = true;
    return this;
  }

  transform(frame: Frame): Frame {
    if (!this.fitted) throw new NotFittedError(this.type);
    let out = frame;
    for (const [name, e] of this.enc) {
      const c = frame.categorical(name);
      const v = new Float64Array(frame.nRows);
      apply(c.codes, c.dictionary, e, null, v);
      out = out.withColumn(numericColumn(name, v));
    }
    return out;
  }

  fitTransform(frame: Frame, y?: Float64Array): Frame {
    this.fit(frame, y);
    const yy = y as Float64Array;
    const k = this.opts.folds ?? 5;
    const n = frame.nRows;
    const perm = new Rng(this.opts.seed ?? 0).permutation(n);
    const fold = new Int32Array(n);
    for (let p = 0; p < n; p++) fold[perm[p]] = p % k;
    const cols: Column[] = [];
    for (const name of this.enc.keys()) {
      const c = frame.categorical(name);
      const v = new Float64Array(n);
      for (let f = 0; f < k; f++) {
        let nt = 0;
        for (let i = 0; i < n; i++) if (fold[i] !== f) nt++;
        const tr = new Int32Array(nt);
        const te = new Int32Array(n - nt);
        let a = 0;
        let b = 0;
        for (let i = 0; i < n; i++) {
          if (fold[i] !== f) tr[a++] = i;
          else te[b++] = i;
        }
        apply(c.codes, c.dictionary, encode(c.codes, c.dictionary, yy, tr, this.opts.smoothing ?? 10), te, v);
      }
      cols.push(numericColumn(name, v));
    }
    let out = frame;
    for (const col of cols) out = out.withColumn(col);
    return out;
  }

  toJSON(): TransformerState {
    return { type: this.type, opts: this.opts, enc: [...this.enc.entries()].map(([k, e]) => [k, [...e.cats.entries()], e.prior]) };
  }

  static fromJSON(s: TransformerState): TargetEncoder {
    const t = new TargetEncoder(s['opts'] as TargetEncoder['opts']);
    for (const [k, cats, prior] of s['enc'] as [string, [string, number][], number][]) t.enc.set(k, { cats: new Map(cats), prior });
    t.fitted = true;
    return t;
  }
}
