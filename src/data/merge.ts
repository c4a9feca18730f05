import { InvalidArgumentError, SchemaError } from '../core/errors.js';
import { duckdbQuery, sqlIdent, sqlString } from './duckdb.js';
import { Frame, categoricalColumn, numericColumn, type Column } from './frame.js';
import { KeyIndexer, groupRows } from './keys.js';

/** Join kinds. */
export type JoinHow = 'inner' | 'left' | 'outer';
export const JOIN_CHOICES: readonly JoinHow[] = ['inner', 'left', 'outer'];

/** Options of {@link joinFrames}. */
export interface JoinOptions {
  /** Key column(s), present in both frames with the same kind. */
  on: string | readonly string[];
  /** Default 'inner'. */
  how?: JoinHow;
  /** Suffixes for non-key columns present in both frames; default ['_x', '_y']. */
  suffixes?: readonly [string, string];
}

/**
 * Hash join of two Frames on one or more key columns: O(left + right + output). Keys compare by content (numbers by
 * value, strings by text), so frames with different dictionaries join correctly; a missing key never matches.
 * Output rows: left order, and for each left row its matches in right order; for 'outer', then the unmatched right
 * rows in right order. Columns: keys (from whichever side has the row), left's others, right's others.
 */
export function joinFrames(left: Frame, right: Frame, opts: JoinOptions): Frame {
  const on = typeof opts.on === 'string' ? [opts.on] : [...opts.on];
  const how = opts.how ?? 'inner';
  if (!JOIN_CHOICES.includes(how)) throw new InvalidArgumentError(`join: how must be one of ${JOIN_CHOICES.join(', ')}, got ${JSON.stringify(how)}`);
  if (on.length === 0) throw new InvalidArgumentError('join: give at least one key column in `on`');
  const [sx, sy] = opts.suffixes ?? ['_x', '_y'];
  for (const k of on) {
    if (!left.has(k)) throw new SchemaError(`join: key "${k}" is not a column of the left frame; it has: ${left.names.join(', ')}`, { column: k });
    if (!right.has(k)) throw new SchemaError(`join: key "${k}" is not a column of the right frame; it has: ${right.names.join(', ')}`, { column: k });
  }
  const kinds = on.map((k) => left.column(k).kind);
  const indexer = new KeyIndexer(on.length);
  const rightIds = indexer.ids(right, on, kinds);
  const nRightKeys = indexer.size;
  const leftIds = indexer.ids(left, on, kinds);
  // right rows by key: head/next chains in right order
  const { start, order } = groupRows(rightIds, nRightKeys);
  const li: number[] = [];
  const ri: number[] = [];
  const rightMatched = how === 'outer' ? new Uint8Array(right.nRows) : undefined;
  for (let r = 0; r < left.nRows; r++) {
    const k = leftIds[r]!;
    const s = k >= 0 && k < nRightKeys ? start[k]! : 0;
    const e = k >= 0 && k < nRightKeys ? start[k + 1]! : 0;
    if (s === e) {
      if (how !== 'inner') {
        li.push(r);
        ri.push(-1);
      }
      continue;
    }
    for (let p = s; p < e; p++) {
      li.push(r);
      ri.push(order[p]!);
      if (rightMatched !== undefined) rightMatched[order[p]!] = 1;
    }
  }
  if (rightMatched !== undefined) {
    for (let r = 0; r < right.nRows; r++) {
      if (!rightMatched[r]) {
        li.push(-1);
        ri.push(r);
      }
    }
  }
  const L = Int32Array.from(li);
  const R = Int32Array.from(ri);
  const keySet = new Set(on);
  const cols: Column[] = on.map((k) => coalesce(k, left.column(k), L, right.column(k), R));
  const rightNames = new Set(right.names);
  const leftNames = new Set(left.names);
  for (const c of left.columns) if (!keySet.has(c.name)) cols.push(gather(rightNames.has(c.name) ? c.name + sx : c.name, c, L));
  for (const c of right.columns) if (!keySet.has(c.name)) cols.push(gather(leftNames.has(c.name) ? c.name + sy : c.name, c, R));
  return new Frame(cols);
}

/** Column values at rows `idx` (-1 = missing). */
function gather(name: string, c: Column, idx: Int32Array): Column {
  const n = idx.length;
  if (c.kind === 'numeric') {
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = idx[k]! < 0 ? NaN : c.values[idx[k]!]!;
    return numericColumn(name, v);
  }
  const codes = new Int32Array(n);
  for (let k = 0; k < n; k++) codes[k] = idx[k]! < 0 ? -1 : c.codes[idx[k]!]!;
  return categoricalColumn(name, codes, c.dictionary);
}

/** Key column of a join: the left value when the left row exists, else the right one (dictionaries merged). */
function coalesce(name: string, lc: Column, L: Int32Array, rc: Column, R: Int32Array): Column {
  const n = L.length;
  if (lc.kind === 'numeric' && rc.kind === 'numeric') {
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = L[k]! >= 0 ? lc.values[L[k]!]! : rc.values[R[k]!]!;
    return numericColumn(name, v);
  }
  if (lc.kind !== 'categorical' || rc.kind !== 'categorical') throw new SchemaError(`join: key "${name}" has different kinds`);
  const dict = lc.dictionary.slice();
  const index = new Map<string, number>();
  for (let k = 0; k < dict.length; k++) if (!index.has(dict[k]!)) index.set(dict[k]!, k);
  const rmap = new Int32Array(rc.dictionary.length);
  for (let k = 0; k < rc.dictionary.length; k++) {
    const s = rc.dictionary[k]!;
    let id = index.get(s);
    if (id === undefined) {
      id = dict.length;
      dict.push(s);
      index.set(s, id);
    }
    rmap[k] = id;
  }
  const codes = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    if (L[k]! >= 0) codes[k] = lc.codes[L[k]!]!;
    else {
      const c = rc.codes[R[k]!]!;
      codes[k] = c < 0 ? -1 : rmap[c]!;
    }
  }
  return categoricalColumn(name, codes, dict);
}

/** Aggregations of {@link groupBy}. `count`, `first`, `last`, `nunique` also work on categorical columns. */
export type AggOp = 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'last' | 'nunique';
export const AGG_CHOICES: readonly AggOp[] = ['count', 'sum', 'mean', 'min', 'max', 'first', 'last', 'nunique'];

/** One output column of a group-by: `op` over `column`, named `as` (default `<column>_<op>`). */
export interface Aggregation {
  column: string;
  op: AggOp;
  as?: string;
}

/**
 * Hash group-by: one output row per distinct key (first-seen order; rows with a missing key are left out), the key
 * columns, then one column per aggregation. Missing values are skipped by every op (`count` counts non-missing
 * values; `first`/`last` are the first/last non-missing). O(rows x aggregations).
 */
export function groupBy(frame: Frame, keys: string | readonly string[], aggs: readonly Aggregation[]): Frame {
  const on = typeof keys === 'string' ? [keys] : [...keys];
  const indexer = new KeyIndexer(on.length);
  const ids = indexer.ids(frame, on);
  const nG = indexer.size;
  const firstRow = new Int32Array(nG).fill(-1);
  for (let r = 0; r < frame.nRows; r++) if (ids[r]! >= 0 && firstRow[ids[r]!]! < 0) firstRow[ids[r]!] = r;
  const cols: Column[] = on.map((k) => gather(k, frame.column(k), firstRow));
  for (const a of aggs) {
    if (!AGG_CHOICES.includes(a.op)) throw new InvalidArgumentError(`groupBy: op must be one of ${AGG_CHOICES.join(', ')}, got ${JSON.stringify(a.op)}`);
    const c = frame.column(a.column);
    const name = a.as ?? `${a.column}_${a.op}`;
    cols.push(aggregate(name, c, a.op, ids, nG));
  }
  return new Frame(cols);
}

function aggregate(name: string, c: Column, op: AggOp, ids: Int32Array, nG: number): Column {
  const n = ids.length;
  if (op === 'count' || op === 'nunique') {
    const out = new Float64Array(nG);
    if (op === 'count') {
      for (let r = 0; r < n; r++) {
        const g = ids[r]!;
        if (g >= 0 && !(c.kind === 'numeric' ? Number.isNaN(c.values[r]!) : c.codes[r]! < 0)) out[g]++;
      }
    } else {
      const seen = new Set<number>();
      const width = c.kind === 'categorical' ? c.dictionary.length + 1 : 0;
      const valueIds = c.kind === 'numeric' ? new KeyIndexer(1).ids(new Frame([c]), [c.name]) : c.codes;
      const m = c.kind === 'numeric' ? n + 1 : width;
      for (let r = 0; r < n; r++) {
        const g = ids[r]!;
        const v = valueIds[r]!;
        if (g < 0 || v < 0) continue;
        const key = g * m + v;
        if (!seen.has(key)) {
          seen.add(key);
          out[g]++;
        }
      }
    }
    return numericColumn(name, out);
  }
  if (op === 'first' || op === 'last') {
    const pick = new Int32Array(nG).fill(-1);
    for (let r = 0; r < n; r++) {
      const g = ids[r]!;
      if (g < 0) continue;
      const missing = c.kind === 'numeric' ? Number.isNaN(c.values[r]!) : c.codes[r]! < 0;
      if (missing) continue;
      if (op === 'last' || pick[g]! < 0) pick[g] = r;
    }
    return gather(name, c, pick);
  }
  if (c.kind !== 'numeric') throw new SchemaError(`groupBy: ${op} needs a numeric column; "${c.name}" is categorical`, { column: c.name });
  const v = c.values;
  const out = new Float64Array(nG).fill(op === 'min' ? Infinity : op === 'max' ? -Infinity : 0);
  const cnt = new Int32Array(nG);
  for (let r = 0; r < n; r++) {
    const g = ids[r]!;
    const x = v[r]!;
    if (g < 0 || Number.isNaN(x)) continue;
    cnt[g]++;
    if (op === 'sum' || op === 'mean') out[g] = out[g]! + x;
    else if (op === 'min') {
      if (x < out[g]!) out[g] = x;
    } else if (x > out[g]!) out[g] = x;
  }
  for (let g = 0; g < nG; g++) {
    if (cnt[g] === 0) out[g] = op === 'sum' ? 0 : NaN;
    else if (op === 'mean') out[g] = out[g]! / cnt[g]!;
  }
  return numericColumn(name, out);
}

function tableFunction(path: string): string {
  const p = path.toLowerCase();
  if (p.endsWith('.parquet') || p.endsWith('.pq')) return `read_parquet(${sqlString(path)})`;
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return `read_json(${sqlString(path)}, format = 'newline_delimited')`;
  return `read_csv(${sqlString(path)})`;
}

/**
 * The same join computed by DuckDB straight from files (CSV, Parquet, JSON Lines by extension), out of core, for
 * inputs too big for Frames; returns the result as a Frame. For big group-bys, call `duckdbQuery` with SQL over
 * `read_csv`/`read_parquet` directly.
 */
export async function joinFilesDuckdb(leftPath: string, rightPath: string, opts: JoinOptions): Promise<Frame> {
  const on = typeof opts.on === 'string' ? [opts.on] : [...opts.on];
  const how = opts.how ?? 'inner';
  if (!JOIN_CHOICES.includes(how)) throw new InvalidArgumentError(`join: how must be one of ${JOIN_CHOICES.join(', ')}, got ${JSON.stringify(how)}`);
  const kind = how === 'inner' ? 'INNER' : how === 'left' ? 'LEFT' : 'FULL OUTER';
  return duckdbQuery(`SELECT * FROM ${tableFunction(leftPath)} l ${kind} JOIN ${tableFunction(rightPath)} r USING (${on.map(sqlIdent).join(', ')})`);
}
