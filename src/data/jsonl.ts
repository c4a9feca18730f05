import { SchemaError } from '../core/errors.js';
import { type ProgressFn, throttleProgress } from '../core/progress.js';
import { NOT_A_NUMBER, parseNumberText } from './csv/bytes.js';
import { emptyFileError } from './csv/columns.js';
import { readBytes } from './csv/records.js';
import type { ColumnType } from './csv.js';
import { Frame, categoricalColumn, numericColumn, type Column } from './frame.js';
import { BadLineSink, type BadLineOptions } from './report.js';

/** Options of {@link readJsonl}. */
export interface JsonlOptions extends BadLineOptions {
  /** Explicit column types (others inferred: numeric when every present value is a number, else categorical). */
  types?: Readonly<Record<string, ColumnType>>;
  /** Columns that must be present in the file. */
  columns?: readonly string[];
  /** Numeric columns where a non-finite value (or a numeric string like "NaN") is an error. */
  requireFinite?: readonly string[];
  /** Text encoding; default 'utf8'. */
  encoding?: 'utf8' | 'latin1';
  /** `read` events in characters parsed of the whole text (at most every 100 ms, and at the end). */
  onProgress?: ProgressFn;
}

type Cell = string | number | boolean | null | undefined | object;

/**
 * Reads JSON Lines (one object per line) into a Frame. Columns are the union of keys in first-seen order; a missing
 * key or `null` is missing; numbers are numeric, booleans numeric 0/1, strings categorical, nested values are kept as
 * their JSON text. A line that is not valid JSON or not an object is a bad row (file:line). O(bytes).
 */
export async function readJsonl(path: string, opts: JsonlOptions = {}): Promise<Frame> {
  const buf = await readBytes(path);
  const sink = new BadLineSink(path, opts);
  const text = buf.toString(opts.encoding ?? 'utf8');
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const names: string[] = [];
  const values = new Map<string, Cell[]>();
  const rowLines: number[] = [];
  const progress = throttleProgress(opts.onProgress);
  let n = 0;
  let line = 0;
  let pos = start;
  while (pos <= text.length) {
    if (progress !== undefined && (line & 4095) === 0) progress({ step: 'read', done: pos, total: text.length });
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    line++;
    const raw = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      sink.bad({ file: path, line, text: raw }, `invalid JSON (${(e as Error).message})`);
      continue;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      sink.bad({ file: path, line, text: raw }, 'expected a JSON object');
      continue;
    }
    for (const [k, v] of Object.entries(obj as Record<string, Cell>)) {
      let col = values.get(k);
      if (col === undefined) {
        col = new Array<Cell>(n);
        values.set(k, col);
        names.push(k);
      }
      col[n] = v;
    }
    rowLines.push(line);
    n++;
    for (const k of names) {
      const col = values.get(k)!;
      if (col.length < n) col.length = n;
    }
  }
  opts.onProgress?.({ step: 'read', done: text.length, total: text.length });
  if (n === 0 && sink.report.badLines === 0) throw emptyFileError(path, false);
  for (const c of opts.columns ?? []) {
    if (!values.has(c)) throw new SchemaError(`${path}: no column "${c}"; the objects have: ${names.join(', ')}`, { file: path, column: c });
  }
  const finite = new Set(opts.requireFinite ?? []);
  const cols: Column[] = [];
  let drop: Uint8Array | null = null;
  const bad = (r: number, name: string, v: Cell, problem: string): void => {
    sink.bad({ file: path, line: rowLines[r]!, text: JSON.stringify(v) }, `key "${name}" ${problem}`);
    drop ??= new Uint8Array(n);
    drop[r] = 1;
  };
  for (const name of names) {
    const raw = values.get(name)!;
    let type = opts.types?.[name];
    if (type === undefined) {
      type = 'numeric';
      for (let r = 0; r < n; r++) {
        const v = raw[r];
        if (v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean') {
          type = 'categorical';
          break;
        }
      }
    }
    if (type === 'numeric') {
      const out = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = raw[r];
        if (v === null || v === undefined) out[r] = NaN;
        else if (typeof v === 'number') out[r] = v;
        else if (typeof v === 'boolean') out[r] = v ? 1 : 0;
        else if (typeof v === 'string' && v.trim() !== '' && parseNumberText(v) !== NOT_A_NUMBER) out[r] = parseNumberText(v) as number;
        else {
          bad(r, name, v, 'is numeric but the value is not a number');
          out[r] = NaN;
          continue;
        }
        if (finite.has(name) && !Number.isFinite(out[r]!) && v !== null && v !== undefined) bad(r, name, v, 'must be a finite number');
      }
      cols.push(numericColumn(name, out));
    } else {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        const v = raw[r];
        if (v === null || v === undefined) {
          codes[r] = -1;
          continue;
        }
        const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
        let c = index.get(s);
        if (c === undefined) {
          c = dict.length;
          dict.push(s);
          index.set(s, c);
        }
        codes[r] = c;
      }
      cols.push(categoricalColumn(name, codes, dict));
    }
  }
  let frame = new Frame(cols);
  const dropped: Uint8Array | null = drop;
  if (dropped !== null) {
    const keep = new Uint8Array(n);
    for (let r = 0; r < n; r++) keep[r] = dropped[r] ? 0 : 1;
    frame = frame.filter(keep);
  }
  sink.report.rows = frame.nRows;
  sink.finish(opts);
  return frame;
}
