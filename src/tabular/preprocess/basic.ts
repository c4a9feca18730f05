import { InvalidArgumentError, NotFittedError, SchemaError } from '../../core/errors.js';
import { type Column, type Frame, categoricalColumn, numericColumn } from '../../data/frame.js';
import type { Transformer, TransformerState } from './transformer.js';

/** Columns a step applies to: the given names, or every column of `kind` in the frame. */
function pick(frame: Frame, columns: readonly string[] | undefined, kind: 'numeric' | 'categorical' | 'any'): string[] {
  if (columns !== undefined) {
    for (const c of columns) frame.column(c);
    return [...columns];
  }
  return frame.columns.filter((c) => kind === 'any' || c.kind === kind).map((c) => c.name);
}

function replace(frame: Frame, cols: Column[]): Frame {
  let out = frame;
  for (const c of cols) out = out.withColumn(c);
  return out;
}

abstract class Base implements Transformer {
  abstract readonly type: string;
  protected fitted = false;
  abstract fit(frame: Frame, y?: Float64Array): this;
  abstract transform(frame: Frame): Frame;
  abstract toJSON(): TransformerState;
  fitTransform(frame: Frame, y?: Float64Array): Frame {
    return this.fit(frame, y).transform(frame);
  }
  protected check(): void {
    if (!this.fitted) throw new NotFittedError(this.type);
  }
}

/**
 * Fills missing values: numeric columns with the mean, median or a constant; categorical columns with the most
 * frequent category or a constant string. O(n) per column (median: O(n log n)).
 */
export class SimpleImputer extends Base {
  readonly type = 'SimpleImputer';
  private fill = new Map<string, number | string>();
  constructor(readonly opts: { strategy?: 'mean' | 'median' | 'most_frequent' | 'constant'; fillValue?: number | string; columns?: string[] } = {}) {
    super();
  }
  fit(frame: Frame): this {
    const strategy = this.opts.strategy ?? 'mean';
    this.fill.clear();
    for (const name of pick(frame, this.opts.columns, 'any')) {
      const c = frame.column(name);
      if (strategy === 'constant') {
        const v = this.opts.fillValue ?? (c.kind === 'numeric' ? 0 : 'missing');
        this.fill.set(name, v);
        continue;
      }
      if (c.kind === 'categorical') {
        if (strategy !== 'most_frequent') continue; // mean/median leave categorical columns alone
        const cnt = new Int32Array(c.dictionary.length);
        for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) cnt[c.codes[i]]++;
        let best = 0;
        for (let j = 1; j < cnt.length; j++) if (cnt[j] > cnt[best] || (cnt[j] === cnt[best] && c.dictionary[j] < c.dictionary[best])) best = j;
        if (cnt.length > 0) this.fill.set(name, c.dictionary[best]);
        continue;
      }
      const vals: number[] = [];
      for (let i = 0; i < c.values.length; i++) if (c.values[i] === c.values[i]) vals.push(c.values[i]);
      if (vals.length === 0) throw new SchemaError(`SimpleImputer: column "${name}" is missing in every row; nothing to learn a ${strategy} from`, { column: name });
      let v: number;
      if (strategy === 'mean') v = vals.reduce((a, b) => a + b, 0) / vals.length;
      else if (strategy === 'median') {
        vals.sort((a, b) => a - b);
        const h = vals.length >> 1;
        v = vals.length % 2 ? vals[h] : (vals[h - 1] + vals[h]) / 2;
      } else {
        const cnt = new Map<number, number>();
        for (const x of vals) cnt.set(x, (cnt.get(x) ?? 0) + 1);
        v = [...cnt.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
      }
      this.fill.set(name, v);
    }
    this.fitted = true;
    return this;
  }
  transform(frame: Frame): Frame {
    this.check();
    const cols: Column[] = [];
    for (const [name, v] of this.fill) {
      const c = frame.column(name);
      if (c.kind === 'numeric') {
        const out = Float64Array.from(c.values);
        const fv = typeof v === 'number' ? v : Number(v);
        for (let i = 0; i < out.length; i++) if (out[i] !== out[i]) out[i] = fv;
        cols.push(numericColumn(name, out));
      } else {
        const sv = String(v);
        let code = c.dictionary.indexOf(sv);
        const dict = code < 0 ? [...c.dictionary, sv] : c.dictionary;
        if (code < 0) code = dict.length - 1;
        const codes = Int32Array.from(c.codes);
        for (let i = 0; i < codes.length; i++) if (codes[i] < 0) codes[i] = code;
        cols.push(categoricalColumn(name, codes, dict));
      }
    }
    return replace(frame, cols);
  }
  toJSON(): TransformerState {
    return { type: this.type, opts: this.opts, fill: [...this.fill.entries()] };
  }
  static fromJSON(s: TransformerState): SimpleImputer {
    const t = new SimpleImputer(s['opts'] as SimpleImputer['opts']);
    t.fill = new Map(s['fill'] as [string, number | string][]);
    t.fitted = true;
    return t;
  }
}

/** Per-column affine map x -> (x - shift) / scale over numeric columns (StandardScaler and MinMaxScaler share it). */
abstract class Affine extends Base {
  protected shift = new Map<string, number>();
  protected scale = new Map<string, number>();
  constructor(readonly opts: { columns?: string[] } = {}) {
    super();
  }
  protected abstract stats(v: Float64Array): [number, number];
  fit(frame: Frame): this {
    this.shift.clear();
    this.scale.clear();
    for (const name of pick(frame, this.opts.columns, 'numeric')) {
      const [a, b] = this.stats(frame.numeric(name).values);
      this.shift.set(name, a);
      this.scale.set(name, b === 0 || !Number.isFinite(b) ? 1 : b);
    }
    this.fitted = true;
    return this;
  }
  transform(frame: Frame): Frame {
    this.check();
    const cols: Column[] = [];
    for (const [name, a] of this.shift) {
      const v = frame.numeric(name).values;
      const s = this.scale.get(name) as number;
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = (v[i] - a) / s;
      cols.push(numericColumn(name, out));
    }
    return replace(frame, cols);
  }
  toJSON(): TransformerState {
    return { type: this.type, opts: this.opts, shift: [...this.shift.entries()], scale: [...this.scale.entries()] };
  }
  protected load(s: TransformerState): this {
    this.shift = new Map(s['shift'] as [string, number][]);
    this.scale = new Map(s['scale'] as [string, number][]);
    this.fitted = true;
    return this;
  }
}

/** Zero mean, unit (population) variance per numeric column; NaN ignored in the statistics and kept. */
export class StandardScaler extends Affine {
  readonly type = 'StandardScaler';
  protected stats(v: Float64Array): [number, number] {
    let n = 0;
    let s = 0;
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) {
      s += v[i];
      n++;
    }
    const mean = n > 0 ? s / n : 0;
    let q = 0;
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) q += (v[i] - mean) ** 2;
    return [mean, Math.sqrt(q / Math.max(n, 1))];
  }
  static fromJSON(s: TransformerState): StandardScaler {
    return new StandardScaler(s['opts'] as { columns?: string[] }).load(s);
  }
}

/** Maps each numeric column's training [min, max] to [0, 1]. */
export class MinMaxScaler extends Affine {
  readonly type = 'MinMaxScaler';
  protected stats(v: Float64Array): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) {
      lo = Math.min(lo, v[i]);
      hi = Math.max(hi, v[i]);
    }
    return lo === Infinity ? [0, 1] : [lo, hi - lo];
  }
  static fromJSON(s: TransformerState): MinMaxScaler {
    return new MinMaxScaler(s['opts'] as { columns?: string[] }).load(s);
  }
}

/**
 * One numeric 0/1 column per category (`name=value`, categories sorted) for each categorical column. A category
 * not seen at fit gives all zeros (`handleUnknown: "ignore"`, the default) or an error naming column and value
 * (`"error"`). Missing values give all zeros. `drop: "first"` drops each column's first category (for OLS).
 */
export class OneHotEncoder extends Base {
  readonly type = 'OneHotEncoder';
  private cats = new Map<string, string[]>();
  constructor(readonly opts: { columns?: string[]; handleUnknown?: 'ignore' | 'error'; drop?: 'none' | 'first' } = {}) {
    super();
  }
  fit(frame: Frame): this {
    this.cats.clear();
    for (const name of pick(frame, this.opts.columns, 'categorical')) {
      const c = frame.categorical(name);
      const seen = new Uint8Array(c.dictionary.length);
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) seen[c.codes[i]] = 1;
      const cats = c.dictionary.filter((_, j) => seen[j] === 1).sort();
      this.cats.set(name, this.opts.drop === 'first' ? cats.slice(1) : cats);
    }
    this.fitted = true;
    return this;
  }
  transform(frame: Frame): Frame {
    this.check();
    let out = frame;
    for (const [name, cats] of this.cats) {
      const c = frame.categorical(name);
      const pos = new Map<string, number>();
      cats.forEach((v, j) => pos.set(v, j));
      const map = new Int32Array(c.dictionary.length).fill(-1);
      for (let j = 0; j < c.dictionary.length; j++) map[j] = pos.get(c.dictionary[j]) ?? -1;
      const cols = cats.map(() => new Float64Array(c.codes.length));
      for (let i = 0; i < c.codes.length; i++) {
        const code = c.codes[i];
        if (code < 0) continue;
        const j = map[code];
        if (j >= 0) cols[j][i] = 1;
        else if (this.opts.handleUnknown === 'error') {
          const v = c.dictionary[code];
          if (!(this.opts.drop === 'first' && v < (cats[0] ?? ''))) {
            throw new SchemaError(`OneHotEncoder: column "${name}" has category ${JSON.stringify(v)} at row ${i + 1} that was not seen at fit`, { column: name, value: v });
          }
        }
      }
      out = out.drop([name]);
      for (let j = 0; j < cats.length; j++) out = out.withColumn(numericColumn(`${name}=${cats[j]}`, cols[j]));
    }
    return out;
  }
  toJSON(): TransformerState {
    return { type: this.type, opts: this.opts, cats: [...this.cats.entries()] };
  }
  static fromJSON(s: TransformerState): OneHotEncoder {
    const t = new OneHotEncoder(s['opts'] as OneHotEncoder['opts']);
    t.cats = new Map(s['cats'] as [string, string[]][]);
    t.fitted = true;
    return t;
  }
}

/** Categorical columns -> numeric codes (categories sorted; unseen and missing -> NaN, so trees route them). */
export class OrdinalEncoder extends Base {
  readonly type = 'OrdinalEncoder';
  private cats = new Map<string, string[]>();
  constructor(readonly opts: { columns?: string[] } = {}) {
    super();
  }
  fit(frame: Frame): this {
    this.cats.clear();
    for (const name of pick(frame, this.opts.columns, 'categorical')) this.cats.set(name, [...frame.categorical(name).dictionary].sort());
    this.fitted = true;
    return this;
  }
  transform(frame: Frame): Frame {
    this.check();
    const cols: Column[] = [];
    for (const [name, cats] of this.cats) {
      const c = frame.categorical(name);
      const pos = new Map<string, number>();
      cats.forEach((v, j) => pos.set(v, j));
      const map = new Float64Array(c.dictionary.length);
      for (let j = 0; j < c.dictionary.length; j++) map[j] = pos.get(c.dictionary[j]) ?? NaN;
      const out = new Float64Array(c.codes.length);
      for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : map[c.codes[i]];
      cols.push(numericColumn(name, out));
    }
    return replace(frame, cols);
  }
  toJSON(): TransformerState {
    return { type: this.type, opts: this.opts, cats: [...this.cats.entries()] };
  }
  static fromJSON(s: TransformerState): OrdinalEncoder {
    const t = new OrdinalEncoder(s['opts'] as OrdinalEncoder['opts']);
    t.cats = new Map(s['cats'] as [string, string[]][]);
    t.fitted = true;
    return t;
  }
}

export function checkFraction(name: string, v: number): void {
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`${name} must be in (0, 1), got ${v}`);
}
