import { stat } from 'node:fs/promises';
import { InvalidArgumentError, throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import { COMBINE_CHOICES, type Combine, type Interactions } from './interactions.js';
import { buildCsr } from './csr-build.js';
import { NOT_A_NUMBER, decodeField, parseNumberBytes, type TextEncoding } from './csv/bytes.js';
import { checkHeader, emptyFileError, resolveColumn, type ColumnRef } from './csv/columns.js';
import { IdKeyer } from './csv/idkeys.js';
import { INCOMPLETE, RecordCells, makeDialect, scanRecord } from './csv/record.js';
import { ByteWindow } from './csv/source.js';
import { BadLineSink, type BadLineOptions } from './report.js';

/** Options of {@link readInteractionsCsv}. */
export interface ReadInteractionsOptions extends BadLineOptions {
  /** Field separator, one or more characters; default ",". */
  delimiter?: string;
  /** Quote character, or null for none (MovieLens files); default '"'. */
  quote?: string | null;
  /** First line holds column names; default true. */
  header?: boolean;
  /** User column (name or 0-based position); default: a header named userId/user_id/user/uid, or position 0. */
  userColumn?: ColumnRef;
  /** Item column; default: itemId/item_id/item/movieId/productId, or position 1. */
  itemColumn?: ColumnRef;
  /** Value column, or null for implicit data (every row counts 1); default: rating/value/score, or position 2 when present. */
  valueColumn?: ColumnRef | null;
  /** Timestamp column (numeric, e.g. epoch seconds); default: a header named timestamp/time/ts, else none. */
  timestampColumn?: ColumnRef | null;
  /** How duplicate (user, item) rows combine; default 'last' (by timestamp when there is one). */
  combine?: Combine;
  /** Text encoding of ids; default 'utf8'. */
  encoding?: TextEncoding;
  /** Bytes read per window (memory stays near this); default 16 MiB. */
  windowBytes?: number;
  signal?: AbortSignal;
  /** Progress in bytes read. */
  onProgress?: ProgressFn;
}

const USER_NAMES = ['userId', 'user_id', 'user', 'uid', 'customer_id', 'customerId'];
const ITEM_NAMES = ['itemId', 'item_id', 'item', 'movieId', 'movie_id', 'productId', 'product_id', 'iid'];
const VALUE_NAMES = ['rating', 'value', 'score', 'weight'];
const TIME_NAMES = ['timestamp', 'time', 'ts'];

/** Growable columns of triples (doubling). */
class TripleBuffer {
  n = 0;
  users = new Int32Array(1 << 16);
  items = new Int32Array(1 << 16);
  values = new Float32Array(1 << 16);
  times: Float64Array | undefined;
  constructor(withTimes: boolean) {
    if (withTimes) this.times = new Float64Array(1 << 16);
  }
  grow(): void {
    const cap = this.users.length * 2;
    const u = new Int32Array(cap);
    u.set(this.users);
    this.users = u;
    const i = new Int32Array(cap);
    i.set(this.items);
    this.items = i;
    const v = new Float32Array(cap);
    v.set(this.values);
    this.values = v;
    if (this.times !== undefined) {
      const t = new Float64Array(cap);
      t.set(this.times);
      this.times = t;
    }
  }
}

/**
 * Reads a delimited ratings (or implicit events) file straight into {@link Interactions} (CSR), without a Frame and
 * without a string per field: numbers are parsed from bytes, integer ids are keyed through a typed-array hash and
 * turned into strings once per distinct id. Streams the file through a fixed window, so memory is the triples plus
 * the window. O(bytes + nnz + users + items).
 *
 * Bad rows (ragged, empty id, non-numeric or non-finite value/timestamp) follow `onBadLines` and are reported with
 * file:line:column and the text.
 */
export async function readInteractionsCsv(path: string, opts: ReadInteractionsOptions = {}): Promise<Interactions> {
  const combine = opts.combine ?? 'last';
  if (!COMBINE_CHOICES.includes(combine)) throw new InvalidArgumentError(`combine must be one of ${COMBINE_CHOICES.join(', ')}, got ${JSON.stringify(combine)}`);
  const delimiter = opts.delimiter ?? ',';
  const dialect = makeDialect(delimiter, opts.quote === undefined ? '"' : opts.quote);
  const encoding = opts.encoding ?? 'utf8';
  const hasHeader = opts.header ?? true;
  const sink = new BadLineSink(path, opts);
  const total = opts.onProgress === undefined ? 0 : (await stat(path)).size;
  const win = await ByteWindow.open(path, opts.windowBytes);
  const rec = new RecordCells();
  const users = new IdKeyer(1 << 14);
  const items = new IdKeyer(1 << 14);
  let triples: TripleBuffer | undefined;
  let header: string[] | null = null;
  let nFields = -1;
  let uCol = -1;
  let iCol = -1;
  let vCol = -1;
  let tCol = -1;
  let line = 1;
  try {
    await win.fill(0);
    for (;;) {
      const buf = win.buf;
      let pos = win.start;
      const end = win.end;
      const atEof = win.eof;
      for (;;) {
        const next = scanRecord(buf, pos, end, atEof, dialect, rec);
        if (next === INCOMPLETE) break;
        if (next === pos) break; // end of data
        const recLine = line;
        line += 1 + rec.innerNewlines;
        pos = next;
        if (rec.count === 0) continue; // blank line
        if (nFields < 0) {
          // first record: header or first data row fixes the layout
          nFields = rec.count;
          if (hasHeader) {
            const names: string[] = [];
            for (let f = 0; f < rec.count; f++) names.push(decodeField(buf, rec.starts[f]!, rec.ends[f]!, encoding, rec.escaped[f] === 1));
            header = checkHeader(path, names);
          }
          uCol = resolveColumn(path, 'user', opts.userColumn, header, nFields, delimiter, USER_NAMES);
          iCol = resolveColumn(path, 'item', opts.itemColumn, header, nFields, delimiter, ITEM_NAMES);
          if (uCol < 0) uCol = resolveColumn(path, 'user', 0, header, nFields, delimiter);
          if (iCol < 0) iCol = resolveColumn(path, 'item', 1, header, nFields, delimiter);
          if (opts.valueColumn !== null) {
            vCol = resolveColumn(path, 'value', opts.valueColumn, header, nFields, delimiter, VALUE_NAMES);
            if (vCol < 0 && header === null && nFields > 2) vCol = 2;
          }
          if (opts.timestampColumn !== null) tCol = resolveColumn(path, 'timestamp', opts.timestampColumn, header, nFields, delimiter, TIME_NAMES);
          triples = new TripleBuffer(tCol >= 0);
          if (hasHeader) continue;
        }
        if (rec.error !== null) {
          sink.bad({ file: path, line: recLine, text: firstBytes(buf, rec.starts[0]!, end, encoding) }, rec.error);
          continue;
        }
        if (rec.count !== nFields) {
          sink.bad({ file: path, line: recLine, text: firstBytes(buf, rec.starts[0]!, rec.ends[rec.count - 1]!, encoding) }, `expected ${nFields} fields, got ${rec.count}`);
          continue;
        }
        const t = triples!;
        let value = 1;
        if (vCol >= 0) {
          const v = parseNumberBytes(buf, rec.starts[vCol]!, rec.ends[vCol]!);
          if (v === NOT_A_NUMBER || !Number.isFinite(v)) {
            badValue(sink, path, recLine, vCol, buf, rec, encoding, 'value', v);
            continue;
          }
          value = v;
        }
        let time = 0;
        if (tCol >= 0) {
          const v = parseNumberBytes(buf, rec.starts[tCol]!, rec.ends[tCol]!);
          if (v === NOT_A_NUMBER || !Number.isFinite(v)) {
            badValue(sink, path, recLine, tCol, buf, rec, encoding, 'timestamp', v);
            continue;
          }
          time = v;
        }
        const us = rec.starts[uCol]!;
        const ue = rec.ends[uCol]!;
        const is = rec.starts[iCol]!;
        const ie = rec.ends[iCol]!;
        if (us === ue || is === ie) {
          const col = us === ue ? uCol : iCol;
          sink.bad({ file: path, line: recLine, column: col + 1 }, `empty ${col === uCol ? 'user' : 'item'} id`);
          continue;
        }
        if (t.n === t.users.length) t.grow();
        const k = t.n++;
        t.users[k] = users.keyBytes(buf, us, ue, encoding, rec.escaped[uCol] === 1);
        t.items[k] = items.keyBytes(buf, is, ie, encoding, rec.escaped[iCol] === 1);
        t.values[k] = value;
        if (t.times !== undefined) t.times[k] = time;
      }
      win.start = pos;
      if (win.eof) break;
      throwIfAborted(opts.signal, `reading ${path}`);
      opts.onProgress?.({ step: 'read', done: win.base + pos, total });
      await win.fill();
    }
  } finally {
    await win.close();
  }
  const t = triples;
  if (t === undefined || t.n === 0) {
    if (t !== undefined && sink.report.badLines > 0) sink.finish(opts);
    throw emptyFileError(path, header !== null);
  }
  sink.report.rows = t.n;
  sink.finish(opts);
  const n = t.n;
  const trip = { users: t.users.subarray(0, n), items: t.items.subarray(0, n), values: t.values.subarray(0, n) };
  const withTimes = t.times === undefined ? trip : { ...trip, timestamps: t.times.subarray(0, n) };
  return buildCsr(withTimes, users.toIdMap(), items.toIdMap(), combine);
}

function badValue(
  sink: BadLineSink,
  file: string,
  line: number,
  col: number,
  buf: Buffer,
  rec: RecordCells,
  encoding: TextEncoding,
  role: string,
  parsed: number | typeof NOT_A_NUMBER,
): void {
  const text = decodeField(buf, rec.starts[col]!, rec.ends[col]!, encoding, rec.escaped[col] === 1);
  const problem = parsed === NOT_A_NUMBER ? `${role} is not a number` : text.trim() === '' ? `${role} is missing` : `${role} must be a finite number`;
  sink.bad({ file, line, column: col + 1, text }, problem);
}

function firstBytes(buf: Buffer, s: number, e: number, encoding: TextEncoding): string {
  return buf.toString(encoding, s, Math.min(e, s + 200));
}
