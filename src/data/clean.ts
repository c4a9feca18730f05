import { InvalidArgumentError, SchemaError } from '../core/errors.js';
import { NOT_A_NUMBER, parseNumberText } from './csv/bytes.js';
import type { ColumnType } from './csv.js';
import type { Frame} from './frame.js';
import { categoricalColumn, numericColumn, type CategoricalColumn, type Column } from './frame.js';
import { KeyIndexer } from './keys.js';

/**
 * Cleaning operations on Frames. Each returns a new Frame (buffers of untouched columns are shared) and runs in
 * O(rows) per column touched (O(rows log rows) for median). Missing is NaN (numeric) or code -1 (categorical).
 */

function isMissing(c: Column, r: number): boolean {
  return c.kind === 'numeric' ? Number.isNaN(c.values[r]!) : c.codes[r]! < 0;
}

/** Rows without missing values in `columns` (default: all); `how: 'all'` drops only rows missing in every one. */
export function dropMissing(frame: Frame, opts: { columns?: readonly string[]; how?: 'any' | 'all' } = {}): Frame {
  const cols = (opts.columns ?? frame.names).map((n) => frame.column(n));
  const all = opts.how === 'all';
  const keep = new Uint8Array(frame.nRows);
  for (let r = 0; r < frame.nRows; r++) {
    let nMissing = 0;
    for (const c of cols) if (isMissing(c, r)) nMissing++;
    keep[r] = all ? (nMissing < cols.length ? 1 : 0) : nMissing === 0 ? 1 : 0;
  }
  return frame.filter(keep);
}

/** How to fill a column's missing values: a statistic of the column, the previous value, or a constant. */
export type FillMethod = 'mean' | 'median' | 'mode' | 'ffill' | { value: number | string };

/**
 * Fills missing values per column. `mean`/`median` need numeric columns; `mode` takes the most frequent value (ties:
 * the smallest number / the first-seen string); `ffill` carries the last non-missing value forward (leading missing
 * values stay missing); `{ value }` is a constant (a new dictionary entry for a categorical column when needed).
 */
export function fillMissing(frame: Frame, spec: Readonly<Record<string, FillMethod>>): Frame {
  let out = frame;
  for (const [name, method] of Object.entries(spec)) {
    const c = frame.column(name);
    out = out.withColumn(c.kind === 'numeric' ? fillNumeric(c.name, c.values, method) : fillCategorical(c, method));
  }
  return out;
}

function fillNumeric(name: string, v: Float64Array, method: FillMethod): Column {
  const out = v.slice();
  const n = v.length;
  if (method === 'ffill') {
    let last = NaN;
    for (let r = 0; r < n; r++) {
      if (Number.isNaN(out[r]!)) out[r] = last;
      else last = out[r]!;
    }
    return numericColumn(name, out);
  }
  let fill: number;
  if (typeof method === 'object') {
    if (typeof method.value !== 'number') throw new SchemaError(`fillMissing: column "${name}" is numeric; the fill value must be a number, got ${JSON.stringify(method.value)}`);
    fill = method.value;
  } else {
    const present: number[] = [];
    for (let r = 0; r < n; r++) if (!Number.isNaN(v[r]!)) present.push(v[r]!);
    if (present.length === 0) return numericColumn(name, out);
    if (method === 'mean') {
      let s = 0;
      for (const x of present) s += x;
      fill = s / present.length;
    } else if (method === 'median') {
      const sorted = Float64Array.from(present).sort();
      const m = sorted.length >> 1;
      fill = sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
    } else if (method === 'mode') {
      const counts = new Map<number, number>();
      for (const x of present) counts.set(x, (counts.get(x) ?? 0) + 1);
      let best = NaN;
      let bestCount = 0;
      for (const [x, k] of counts) if (k > bestCount || (k === bestCount && x < best)) [best, bestCount] = [x, k];
      fill = best;
    } else throw new InvalidArgumentError(`fillMissing: unknown method ${JSON.stringify(method)}; expected mean, median, mode, ffill or { value }`);
  }
  for (let r = 0; r < n; r++) if (Number.isNaN(out[r]!)) out[r] = fill;
  return numericColumn(name, out);
}

function fillCategorical(c: CategoricalColumn, method: FillMethod): Column {
  const codes = c.codes.slice();
  const n = codes.length;
  if (method === 'mean' || method === 'median') throw new SchemaError(`fillMissing: column "${c.name}" is categorical; ${method} needs a numeric column`, { column: c.name });
  if (method === 'ffill') {
    let last = -1;
    for (let r = 0; r < n; r++) {
      if (codes[r]! < 0) codes[r] = last;
      else last = codes[r]!;
    }
    return categoricalColumn(c.name, codes, c.dictionary);
  }
  let dict = c.dictionary;
  let fill: number;
  if (method === 'mode') {
    const counts = new Int32Array(dict.length);
    for (let r = 0; r < n; r++) if (codes[r]! >= 0) counts[codes[r]!]++;
    fill = -1;
    let best = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k]! > best) [fill, best] = [k, counts[k]!];
  } else if (typeof method === 'object') {
    const s = String(method.value);
    fill = dict.indexOf(s);
    if (fill < 0) {
      dict = [...dict, s];
      fill = dict.length - 1;
    }
  } else throw new InvalidArgumentError(`fillMissing: unknown method ${JSON.stringify(method)}`);
  for (let r = 0; r < n; r++) if (codes[r]! < 0) codes[r] = fill;
  return categoricalColumn(c.name, codes, dict);
}

/** A value that failed to convert: 0-based row, column and the text. */
export interface CoercionFailure {
  row: number;
  column: string;
  text: string;
}

/** What {@link coerceTypes} changed and what failed (failures become missing). */
export interface CoercionReport {
  converted: string[];
  failures: number;
  /** The first `maxSamples` failures. */
  samples: CoercionFailure[];
}

/**
 * Converts columns to the given types. Categorical -> numeric parses each distinct string once (decimal syntax,
 * NaN/Infinity spellings); text that is not a number becomes missing and is reported with its row. Numeric ->
 * categorical formats numbers with `String`. Returns the frame and a report of every failure (count + samples).
 */
export function coerceTypes(frame: Frame, types: Readonly<Record<string, ColumnType>>, maxSamples = 100): { frame: Frame; report: CoercionReport } {
  const report: CoercionReport = { converted: [], failures: 0, samples: [] };
  let out = frame;
  for (const [name, type] of Object.entries(types)) {
    const c = frame.column(name);
    if (c.kind === type) continue;
    report.converted.push(name);
    if (c.kind === 'categorical') {
      const parsed = c.dictionary.map((s) => parseNumberText(s));
      const v = new Float64Array(frame.nRows);
      for (let r = 0; r < frame.nRows; r++) {
        const code = c.codes[r]!;
        if (code < 0) {
          v[r] = NaN;
          continue;
        }
        const x = parsed[code]!;
        if (x === NOT_A_NUMBER) {
          v[r] = NaN;
          report.failures++;
          if (report.samples.length < maxSamples) report.samples.push({ row: r, column: name, text: c.dictionary[code]! });
        } else v[r] = x;
      }
      out = out.withColumn(numericColumn(name, v));
    } else {
      const strs = new Array<string | null>(frame.nRows);
      for (let r = 0; r < frame.nRows; r++) strs[r] = Number.isNaN(c.values[r]!) ? null : String(c.values[r]);
      out = out.withColumn(encodeColumn(name, strs));
    }
  }
  return { frame: out, report };
}

function encodeColumn(name: string, values: readonly (string | null)[]): CategoricalColumn {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const s = values[r];
    if (s === null || s === undefined) {
      codes[r] = -1;
      continue;
    }
    let k = index.get(s);
    if (k === undefined) {
      k = dict.length;
      dict.push(s);
      index.set(s, k);
    }
    codes[r] = k;
  }
  return categoricalColumn(name, codes, dict);
}

/**
 * Removes duplicate rows by `keys` (default: all columns). `keep: 'first' | 'last'` picks which row of each key
 * survives: by input order, or by `orderBy` (a numeric column, e.g. a timestamp: 'first' = smallest, 'last' =
 * largest, ties by input order). Kept rows stay in input order. Rows with a missing key are kept as they are.
 */
export function dedupe(frame: Frame, opts: { keys?: readonly string[]; keep?: 'first' | 'last'; orderBy?: string } = {}): Frame {
  const keys = opts.keys ?? frame.names;
  const keep = opts.keep ?? 'first';
  if (keep !== 'first' && keep !== 'last') throw new InvalidArgumentError(`dedupe: keep must be "first" or "last", got ${JSON.stringify(keep)}`);
  const ids = new KeyIndexer(keys.length).ids(frame, keys);
  const nRows = frame.nRows;
  let nGroups = 0;
  for (let r = 0; r < nRows; r++) if (ids[r]! + 1 > nGroups) nGroups = ids[r]! + 1;
  const chosen = new Int32Array(nGroups).fill(-1);
  const order = opts.orderBy === undefined ? undefined : frame.numeric(opts.orderBy).values;
  for (let r = 0; r < nRows; r++) {
    const g = ids[r]!;
    if (g < 0) continue;
    const cur = chosen[g]!;
    if (cur < 0) {
      chosen[g] = r;
      continue;
    }
    if (order === undefined) {
      if (keep === 'last') chosen[g] = r;
    } else {
      const a = order[r]!;
      const b = order[cur]!;
      if (keep === 'last' ? a >= b || Number.isNaN(b) : a < b || (Number.isNaN(b) && !Number.isNaN(a))) chosen[g] = r;
    }
  }
  const mask = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) if (ids[r]! < 0) mask[r] = 1;
  for (let g = 0; g < nGroups; g++) if (chosen[g]! >= 0) mask[chosen[g]!] = 1;
  return frame.filter(mask);
}

/** Clips a numeric column to [min, max] (either bound optional); missing stays missing. */
export function clip(frame: Frame, column: string, bounds: { min?: number; max?: number }): Frame {
  const lo = bounds.min ?? -Infinity;
  const hi = bounds.max ?? Infinity;
  if (lo > hi) throw new InvalidArgumentError(`clip: min ${lo} > max ${hi}`);
  const v = frame.numeric(column).values.slice();
  for (let r = 0; r < v.length; r++) {
    const x = v[r]!;
    if (x < lo) v[r] = lo;
    else if (x > hi) v[r] = hi;
  }
  return frame.withColumn(numericColumn(column, v));
}

/** String normalisation steps, applied in this order: NFC, trim, collapse spaces, case. */
export interface NormalizeOptions {
  /** Unicode NFC; default true. */
  nfc?: boolean;
  /** Trim white space at both ends; default true. */
  trim?: boolean;
  /** Collapse runs of white space to one space; default true. */
  collapseSpaces?: boolean;
  /** Case folding; default 'none'. */
  case?: 'lower' | 'upper' | 'none';
  /** An empty string after normalising becomes missing; default true. */
  emptyAsMissing?: boolean;
}

/**
 * Normalises the strings of categorical columns. Works on dictionary entries (O(distinct strings)), then merges
 * entries that became equal ("Paris " and "paris" -> "paris") by remapping codes (O(rows)).
 */
export function normalizeStrings(frame: Frame, columns: readonly string[], opts: NormalizeOptions = {}): Frame {
  let out = frame;
  for (const name of columns) {
    const c = frame.categorical(name);
    const dict: string[] = [];
    const index = new Map<string, number>();
    const remap = new Int32Array(c.dictionary.length);
    for (let k = 0; k < c.dictionary.length; k++) {
      let s = c.dictionary[k]!;
      if (opts.nfc ?? true) s = s.normalize('NFC');
      if (opts.trim ?? true) s = s.trim();
      if (opts.collapseSpaces ?? true) s = s.replace(/\s+/g, ' ');
      if (opts.case === 'lower') s = s.toLowerCase();
      else if (opts.case === 'upper') s = s.toUpperCase();
      if (s === '' && (opts.emptyAsMissing ?? true)) {
        remap[k] = -1;
        continue;
      }
      let id = index.get(s);
      if (id === undefined) {
        id = dict.length;
        dict.push(s);
        index.set(s, id);
      }
      remap[k] = id;
    }
    const codes = new Int32Array(c.codes.length);
    for (let r = 0; r < codes.length; r++) codes[r] = c.codes[r]! < 0 ? -1 : remap[c.codes[r]!]!;
    out = out.withColumn(categoricalColumn(name, codes, dict));
  }
  return out;
}
