import { stat } from 'node:fs/promises';
import { InvalidArgumentError, SchemaError, throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import { NOT_A_NUMBER, decodeField, parseNumberBytes, type TextEncoding } from './csv/bytes.js';
import { checkHeader, delimiterHint, emptyFileError } from './csv/columns.js';
import { INCOMPLETE, RecordCells, makeDialect, scanRecord, type Dialect } from './csv/record.js';
import { ByteWindow } from './csv/source.js';
import { Frame, categoricalColumn, numericColumn, type Column } from './frame.js';
import { BadLineSink, type BadLineOptions } from './report.js';

/** Column type of a Frame column. */
export type ColumnType = 'numeric' | 'categorical';

/** Options of {@link readCsv} and {@link readCsvChunks}. */
export interface CsvOptions extends BadLineOptions {
  /** Field separator, one or more characters; default ",". */
  delimiter?: string;
  /** Quote character, or null for none; default '"'. */
  quote?: string | null;
  /** First line holds column names; default true. */
  header?: boolean;
  /** Column names when there is no header; default col1..colN. */
  names?: readonly string[];
  /** Text encoding; default 'utf8'. */
  encoding?: TextEncoding;
  /** Explicit column types (others are inferred: numeric when every non-empty value parses, else categorical). */
  types?: Readonly<Record<string, ColumnType>>;
  /** Columns that must be present (a clear error, with a delimiter hint, when one is not). */
  columns?: readonly string[];
  /** Numeric columns where NaN/Infinity spellings are an error instead of a value. */
  requireFinite?: readonly string[];
  /** Bytes per read window for streaming; default 16 MiB. */
  windowBytes?: number;
  signal?: AbortSignal;
  /** Progress in bytes read. */
  onProgress?: ProgressFn;
}

/** Cell offsets of the rows of one chunk (relative to the chunk's first byte). */
class ChunkCells {
  nCols = 0;
  rows = 0;
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  escaped = new Uint8Array(0);
  lines = new Int32Array(0);
  reset(nCols: number): void {
    this.nCols = nCols;
    this.rows = 0;
    if (this.lines.length === 0) this.ensure(1024);
  }
  ensure(rows: number): void {
    if (rows <= this.lines.length) return;
    const cap = Math.max(rows, this.lines.length * 2);
    const n = cap * this.nCols;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(n);
    e.set(this.ends);
    this.ends = e;
    const x = new Uint8Array(n);
    x.set(this.escaped);
    this.escaped = x;
    const l = new Int32Array(cap);
    l.set(this.lines);
    this.lines = l;
  }
}

/** Per-column state that outlives a chunk: its type (fixed by the first chunk) and its growing dictionary. */
interface ColumnState {
  name: string;
  type: ColumnType | undefined;
  finite: boolean;
  dict: string[];
  index: Map<string, number>;
}

/**
 * Streams a delimited file as Frames of `chunkRows` rows (the last may be shorter), in bounded memory: the window
 * holds one chunk's bytes. Column types are inferred from the first chunk (or given in `types`) and then fixed; a
 * later value that does not fit its column is a bad row (file:line:column and the text). Categorical columns share
 * one growing dictionary across chunks, so codes are comparable between chunks.
 */
export async function* readCsvChunks(path: string, opts: CsvOptions & { chunkRows?: number } = {}): AsyncGenerator<Frame> {
  const chunkRows = opts.chunkRows ?? 100_000;
  if (!(chunkRows >= 1)) throw new InvalidArgumentError(`chunkRows must be >= 1, got ${chunkRows}`);
  const delimiter = opts.delimiter ?? ',';
  const dialect = makeDialect(delimiter, opts.quote === undefined ? '"' : opts.quote);
  const encoding = opts.encoding ?? 'utf8';
  const quoteChar = opts.quote ?? '"';
  const hasHeader = opts.header ?? true;
  const sink = new BadLineSink(path, opts);
  const total = opts.onProgress === undefined ? 0 : (await stat(path)).size;
  const win = await ByteWindow.open(path, opts.windowBytes);
  const rec = new RecordCells();
  const cells = new ChunkCells();
  let cols: ColumnState[] | null = null;
  let line = 1;
  let emitted = 0;
  try {
    await win.fill(0);
    let chunkStart = win.start;
    let pos = win.start;
    for (;;) {
      const next = scanRecord(win.buf, pos, win.end, win.eof, dialect, rec);
      if (next === INCOMPLETE) {
        throwIfAborted(opts.signal, `reading ${path}`);
        opts.onProgress?.({ step: 'read', done: win.base + pos, total });
        const shift = await win.fill(chunkStart);
        pos -= shift;
        chunkStart -= shift;
        continue;
      }
      if (next === pos) break; // end of data
      const recLine = line;
      line += 1 + rec.innerNewlines;
      pos = next;
      if (rec.count === 0) continue;
      if (cols === null) {
        cols = setupColumns(path, win.buf, rec, hasHeader, opts, encoding, quoteChar, delimiter);
        cells.reset(cols.length);
        if (hasHeader) {
          chunkStart = pos;
          continue;
        }
      }
      if (rec.error !== null) {
        sink.bad({ file: path, line: recLine, text: win.buf.toString(encoding, rec.starts[0]!, Math.min(win.end, rec.starts[0]! + 200)) }, rec.error);
        continue;
      }
      if (rec.count !== cols.length) {
        const text = win.buf.toString(encoding, rec.starts[0]!, rec.ends[rec.count - 1]!);
        sink.bad({ file: path, line: recLine, text }, `expected ${cols.length} fields, got ${rec.count}`);
        continue;
      }
      const r = cells.rows;
      cells.ensure(r + 1);
      const base = r * cols.length;
      for (let f = 0; f < rec.count; f++) {
        cells.starts[base + f] = rec.starts[f]! - chunkStart;
        cells.ends[base + f] = rec.ends[f]! - chunkStart;
        cells.escaped[base + f] = rec.escaped[f]!;
      }
      cells.lines[r] = recLine;
      cells.rows = r + 1;
      if (cells.rows === chunkRows) {
        const frame = buildChunk(path, win.buf, chunkStart, cells, cols, encoding, quoteChar, sink);
        emitted += frame.nRows;
        cells.rows = 0;
        chunkStart = pos;
        yield frame;
      }
    }
    if (cols === null) throw emptyFileError(path, false);
    if (cells.rows > 0) {
      const frame = buildChunk(path, win.buf, chunkStart, cells, cols, encoding, quoteChar, sink);
      emitted += frame.nRows;
      cells.rows = 0;
      yield frame;
    }
    if (emitted === 0 && sink.report.badLines === 0) throw emptyFileError(path, hasHeader);
    sink.report.rows = emitted;
    sink.finish(opts);
    opts.onProgress?.({ step: 'read', done: total, total });
  } finally {
    await win.close();
  }
}

/**
 * Reads a whole delimited file into one Frame (RFC 4180 quoting, header or not, BOM, CRLF, utf8/latin1; types
 * inferred over all rows). O(bytes); memory: the file's bytes plus two int32 offsets per cell while parsing.
 */
export async function readCsv(path: string, opts: CsvOptions = {}): Promise<Frame> {
  const size = (await stat(path)).size;
  const frames: Frame[] = [];
  for await (const f of readCsvChunks(path, { ...opts, chunkRows: Number.MAX_SAFE_INTEGER, windowBytes: Math.max(opts.windowBytes ?? 0, size + 1) })) frames.push(f);
  if (frames.length === 1) return frames[0]!;
  return concatFrames(frames);
}

/** Rows of several Frames with the same columns, one after another (dictionaries must be shared or equal). */
export function concatFrames(frames: readonly Frame[]): Frame {
  if (frames.length === 0) return new Frame([]);
  const first = frames[0]!;
  let n = 0;
  for (const f of frames) n += f.nRows;
  const cols: Column[] = first.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(n);
      let at = 0;
      for (const f of frames) {
        v.set(f.numeric(c.name).values, at);
        at += f.nRows;
      }
      return numericColumn(c.name, v);
    }
    const codes = new Int32Array(n);
    let at = 0;
    let dict = c.dictionary;
    for (const f of frames) {
      const fc = f.categorical(c.name);
      if (fc.dictionary.length > dict.length) dict = fc.dictionary;
      codes.set(fc.codes, at);
      at += f.nRows;
    }
    return categoricalColumn(c.name, codes, dict.slice());
  });
  return new Frame(cols);
}

function setupColumns(
  path: string,
  buf: Buffer,
  rec: RecordCells,
  hasHeader: boolean,
  opts: CsvOptions,
  encoding: TextEncoding,
  quoteChar: string,
  delimiter: string,
): ColumnState[] {
  let names: string[];
  if (hasHeader) {
    const raw: string[] = [];
    for (let f = 0; f < rec.count; f++) raw.push(decodeField(buf, rec.starts[f]!, rec.ends[f]!, encoding, rec.escaped[f] === 1, quoteChar));
    names = checkHeader(path, raw);
  } else if (opts.names !== undefined) {
    if (opts.names.length !== rec.count) throw new SchemaError(`${path}: ${opts.names.length} names given but rows have ${rec.count} fields${delimiterHint(path, delimiter, rec.count === 1 ? [buf.toString(encoding, rec.starts[0]!, rec.ends[0]!)] : [])}`);
    names = checkHeader(path, [...opts.names]);
  } else {
    names = Array.from({ length: rec.count }, (_, j) => `col${j + 1}`);
  }
  for (const c of opts.columns ?? []) {
    if (!names.includes(c)) throw new SchemaError(`${path}: no column "${c}"; the header has: ${names.join(', ')}${delimiterHint(path, delimiter, names)}`, { file: path, column: c, columns: names });
  }
  for (const c of Object.keys(opts.types ?? {})) {
    if (!names.includes(c)) throw new SchemaError(`${path}: types names column "${c}", which is not in the file; columns: ${names.join(', ')}${delimiterHint(path, delimiter, names)}`, { file: path, column: c });
  }
  const finite = new Set(opts.requireFinite ?? []);
  return names.map((name) => ({ name, type: opts.types?.[name], finite: finite.has(name), dict: [], index: new Map() }));
}

function buildChunk(
  path: string,
  buf: Buffer,
  off: number,
  cells: ChunkCells,
  cols: ColumnState[],
  encoding: TextEncoding,
  quoteChar: string,
  sink: BadLineSink,
): Frame {
  const n = cells.rows;
  const nCols = cols.length;
  const { starts, ends, escaped, lines } = cells;
  let drop: Uint8Array | null = null;
  const out: Column[] = [];
  for (let j = 0; j < nCols; j++) {
    const st = cols[j]!;
    if (st.type === undefined) {
      let numeric = true;
      for (let r = 0; r < n && numeric; r++) {
        const c = r * nCols + j;
        if (parseNumberBytes(buf, off + starts[c]!, off + ends[c]!) === NOT_A_NUMBER) numeric = false;
      }
      st.type = numeric ? 'numeric' : 'categorical';
    }
    if (st.type === 'numeric') {
      const v = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const c = r * nCols + j;
        const x = parseNumberBytes(buf, off + starts[c]!, off + ends[c]!);
        if (x === NOT_A_NUMBER || (st.finite && !Number.isFinite(x) && !isBlank(buf, off + starts[c]!, off + ends[c]!))) {
          const text = decodeField(buf, off + starts[c]!, off + ends[c]!, encoding, escaped[c] === 1, quoteChar);
          sink.bad({ file: path, line: lines[r]!, column: j + 1, text }, x === NOT_A_NUMBER ? `column "${st.name}" is numeric but the value is not a number` : `column "${st.name}" must be a finite number`);
          drop ??= new Uint8Array(n);
          drop[r] = 1;
          v[r] = NaN;
        } else v[r] = x;
      }
      out.push(numericColumn(st.name, v));
    } else {
      const codes = new Int32Array(n);
      const { dict, index } = st;
      for (let r = 0; r < n; r++) {
        const c = r * nCols + j;
        const s = off + starts[c]!;
        const e = off + ends[c]!;
        if (s === e) {
          codes[r] = -1;
          continue;
        }
        const text = decodeField(buf, s, e, encoding, escaped[c] === 1, quoteChar);
        let code = index.get(text);
        if (code === undefined) {
          code = dict.length;
          dict.push(text);
          index.set(text, code);
        }
        codes[r] = code;
      }
      out.push(categoricalColumn(st.name, codes, dict));
    }
  }
  const frame = new Frame(out);
  if (drop === null) return frame;
  const keep = new Uint8Array(n);
  for (let r = 0; r < n; r++) keep[r] = drop[r] ? 0 : 1;
  return frame.filter(keep);
}

function isBlank(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 32 && b[i] !== 9) return false;
  return true;
}

/** The dialect for a delimiter (re-exported for other readers). */
export function csvDialect(delimiter = ',', quote: string | null = '"'): Dialect {
  return makeDialect(delimiter, quote);
}
