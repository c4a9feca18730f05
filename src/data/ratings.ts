import { stat } from 'node:fs/promises';
import { InvalidArgumentError, throwIfAborted, type SourceLocation } from '../core/errors.js';
import { getSharedPool, kernelModuleUrl } from '../core/pool.js';
import { throttleProgress, type ProgressFn } from '../core/progress.js';
import { COMBINE_CHOICES, type Combine, type Interactions, type Triples } from './interactions.js';
import { buildCsr } from './csr-build.js';
import { decodeField, type TextEncoding } from './csv/bytes.js';
import { checkHeader, emptyFileError, resolveColumn, type ColumnRef } from './csv/columns.js';
import { IdKeyer } from './csv/idkeys.js';
import { parseRatingsRange, type RangeBad, type RangeConfig, type RangeResult } from './csv/ratings-range.js';
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
  /** Progress in bytes read (between windows on one thread; at the end with workers). */
  onProgress?: ProgressFn;
  /** Use the fused fast path for plain records (default true; false forces the general scanner, for tests). */
  fastPath?: boolean;
  /**
   * Threads for large files (default 1 = this thread). 2 splits the file at a line end and parses both halves on the
   * shared worker pool: about 1.5x faster on an idle 2-core machine, but ~30% more CPU in all and ~0.5 GB more peak
   * memory on 20M rows, so it loses when the cores are busy with other work.
   */
  workers?: number;
  /** Smallest data size in bytes parsed in parallel (default {@link PARALLEL_MIN_BYTES}). */
  parallelMinBytes?: number;
}

const USER_NAMES = ['userId', 'user_id', 'user', 'uid', 'customer_id', 'customerId'];
const ITEM_NAMES = ['itemId', 'item_id', 'item', 'movieId', 'movie_id', 'productId', 'product_id', 'iid'];
const VALUE_NAMES = ['rating', 'value', 'score', 'weight'];
const TIME_NAMES = ['timestamp', 'time', 'ts'];

/** Files at least this large are parsed by two worker threads (when the delimiter is one byte). */
export const PARALLEL_MIN_BYTES = 64 << 20;

/**
 * Reads a delimited ratings (or implicit events) file straight into {@link Interactions} (CSR), without a Frame and
 * without a string per field: numbers are parsed from bytes, integer ids are keyed through a typed-array hash and
 * turned into strings once per distinct id. Streams the file through a fixed window, so memory is the triples plus
 * the window. With `workers > 1`, files of {@link PARALLEL_MIN_BYTES} or more are split at line ends into `workers`
 * byte ranges parsed on worker threads; if a quote character shows up after the split point (a quoted field might span
 * it), the file is re-read sequentially, so the result never depends on the split. O(bytes + nnz log(row length)).
 *
 * Bad rows (ragged, empty id, non-numeric or non-finite value/timestamp) follow `onBadLines` and are reported with
 * file:line:column and the text.
 */
export async function readInteractionsCsv(path: string, opts: ReadInteractionsOptions = {}): Promise<Interactions> {
  const combine = opts.combine ?? 'last';
  if (!COMBINE_CHOICES.includes(combine)) throw new InvalidArgumentError(`combine must be one of ${COMBINE_CHOICES.join(', ')}, got ${JSON.stringify(combine)}`);
  const delimiter = opts.delimiter ?? ',';
  const quote = opts.quote === undefined ? '"' : opts.quote;
  const dialect = makeDialect(delimiter, quote);
  const encoding = opts.encoding ?? 'utf8';
  const hasHeader = opts.header ?? true;
  const sink = new BadLineSink(path, opts);
  const total = (await stat(path)).size;
  const head = await readLayout(path, dialect, hasHeader, encoding, quote);
  if (head === null) throw emptyFileError(path, false);
  const { header, nFields, dataStart, dataLine, firstRecordBytes } = head;
  let uCol = resolveColumn(path, 'user', opts.userColumn, header, nFields, delimiter, USER_NAMES);
  let iCol = resolveColumn(path, 'item', opts.itemColumn, header, nFields, delimiter, ITEM_NAMES);
  if (uCol < 0) uCol = resolveColumn(path, 'user', 0, header, nFields, delimiter);
  if (iCol < 0) iCol = resolveColumn(path, 'item', 1, header, nFields, delimiter);
  let vCol = -1;
  if (opts.valueColumn !== null) {
    vCol = resolveColumn(path, 'value', opts.valueColumn, header, nFields, delimiter, VALUE_NAMES);
    if (vCol < 0 && header === null && nFields > 2) vCol = 2;
  }
  const tCol = opts.timestampColumn === null ? -1 : resolveColumn(path, 'timestamp', opts.timestampColumn, header, nFields, delimiter, TIME_NAMES);
  const base: RangeConfig = {
    path,
    start: dataStart,
    end: total,
    firstLine: dataLine,
    delimiter,
    quote,
    encoding,
    nFields,
    uCol,
    iCol,
    vCol,
    tCol,
    fastPath: opts.fastPath !== false,
    windowBytes: opts.windowBytes ?? 16 << 20,
    capacity: Math.min(Math.ceil(((total - dataStart) / Math.max(firstRecordBytes, 8)) * 1.2) + 1024, 1 << 28),
    stopAtFirstBad: (opts.onBadLines ?? 'error') === 'error',
    maxBad: 1000,
  };
  throwIfAborted(opts.signal, `reading ${path}`);
  const workers = opts.workers ?? 1;
  let parts: RangeResult[] | null = null;
  if (workers > 1 && dialect.delimiter.length === 1 && total - dataStart >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES)) {
    parts = await parseParallel(base, workers, total);
  }
  if (parts === null) {
    const between: { signal?: AbortSignal; onProgress?: ProgressFn } = {};
    if (opts.signal !== undefined) between.signal = opts.signal;
    const progress = throttleProgress(opts.onProgress);
    if (progress !== undefined) between.onProgress = progress;
    const one = await parseRatingsRange(base, (b) => sink.bad(location(path, b, 0), b.problem), between);
    parts = [one];
  } else {
    // apply the policy to the collected bad rows, in file order, with absolute line numbers: part 0 counts from the
    // data's first line, later parts from 1
    let lineOffset = 0;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      for (const b of p.bad) sink.bad(location(path, b, lineOffset), b.problem);
      if (p.badCount > p.bad.length) {
        sink.report.badLines += p.badCount - p.bad.length;
        (opts.onWarning ?? ((m: string) => void process.stderr.write(`warning: ${m}\n`)))(`${path}: ${p.badCount - p.bad.length} more bad rows skipped (not listed)`);
      }
      lineOffset = (k === 0 ? dataLine - 1 : lineOffset) + p.lines;
    }
  }
  throwIfAborted(opts.signal, `reading ${path}`);
  const users = new IdKeyer(1 << 14);
  const items = new IdKeyer(1 << 14);
  let n = 0;
  for (const p of parts) n += p.n;
  if (n === 0) {
    sink.finish(opts);
    throw emptyFileError(path, header !== null);
  }
  let trip: Triples;
  if (parts.length === 1) {
    const p = parts[0]!;
    // a single range keyed its ids in file order already: its keys are the global ones
    users.absorb(p.userKeys);
    items.absorb(p.itemKeys);
    trip = { users: p.users, items: p.items, values: p.values };
    if (p.times !== undefined) trip.timestamps = p.times;
  } else {
    trip = { users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n) };
    const ts = tCol >= 0 ? new Float64Array(n) : undefined;
    let at = 0;
    for (const p of parts) {
      const um = users.absorb(p.userKeys);
      const im = items.absorb(p.itemKeys);
      for (let k = 0; k < p.n; k++) {
        trip.users[at + k] = um[p.users[k]!]!;
        trip.items[at + k] = im[p.items[k]!]!;
      }
      trip.values.set(p.values, at);
      if (ts !== undefined) ts.set(p.times!, at);
      at += p.n;
    }
    if (ts !== undefined) trip.timestamps = ts;
    parts.length = 0; // let the per-part triples go before the CSR build
  }
  sink.report.rows = n;
  sink.finish(opts);
  opts.onProgress?.({ step: 'read', done: total, total });
  return buildCsr(trip, users.toIdMap(), items.toIdMap(), combine);
}

function location(file: string, b: RangeBad, lineOffset: number): SourceLocation {
  const loc: SourceLocation = { file, line: b.line + lineOffset };
  if (b.column !== undefined) loc.column = b.column;
  if (b.text !== undefined) loc.text = b.text;
  return loc;
}

/** The header (or first record) of the file: names, field count, where data starts (byte and line). */
async function readLayout(
  path: string,
  dialect: ReturnType<typeof makeDialect>,
  hasHeader: boolean,
  encoding: TextEncoding,
  quote: string | null,
): Promise<{ header: string[] | null; nFields: number; dataStart: number; dataLine: number; firstRecordBytes: number } | null> {
  const win = await ByteWindow.open(path, 1 << 16);
  const rec = new RecordCells();
  let line = 1;
  try {
    await win.fill(0);
    let pos = win.start;
    for (;;) {
      const next = scanRecord(win.buf, pos, win.end, win.eof, dialect, rec);
      if (next === INCOMPLETE) {
        const shift = await win.fill(pos);
        pos -= shift;
        continue;
      }
      if (next === pos) return null;
      const recLine = line;
      line += 1 + rec.innerNewlines;
      if (rec.count === 0) {
        pos = next;
        continue;
      }
      const firstRecordBytes = next - pos;
      if (!hasHeader) return { header: null, nFields: rec.count, dataStart: win.base + pos, dataLine: recLine, firstRecordBytes };
      const names: string[] = [];
      for (let f = 0; f < rec.count; f++) names.push(decodeField(win.buf, rec.starts[f]!, rec.ends[f]!, encoding, rec.escaped[f] === 1, quote ?? '"'));
      return { header: checkHeader(path, names), nFields: rec.count, dataStart: win.base + next, dataLine: line, firstRecordBytes };
    }
  } finally {
    await win.close();
  }
}

/** Splits the data part at line ends into `workers` ranges and parses them on the shared pool; null = read sequentially. */
async function parseParallel(base: RangeConfig, workers: number, total: number): Promise<RangeResult[] | null> {
  const cuts: number[] = [base.start];
  for (let k = 1; k < workers; k++) {
    const at = await nextLineStart(base.path, base.start + Math.floor(((total - base.start) * k) / workers), total);
    if (at <= cuts[cuts.length - 1]! || at >= total) return null;
    cuts.push(at);
  }
  cuts.push(total);
  const configs: RangeConfig[] = [];
  for (let k = 0; k < workers; k++) {
    configs.push({ ...base, start: cuts[k]!, end: cuts[k + 1]!, firstLine: k === 0 ? base.firstLine : 0, capacity: Math.ceil(base.capacity / workers) });
  }
  const res = await getSharedPool().run<{ configs: RangeConfig[] }, RangeResult[]>({
    module: kernelModuleUrl(import.meta.url, './csv/ratings-kernel.js'),
    fn: 'parseRanges',
    args: { configs },
    total: workers,
    chunks: workers,
  });
  const parts = res.flat();
  for (let k = 1; k < parts.length; k++) if (parts[k]!.sawQuote) return null;
  return parts;
}

/** The byte offset just after the first line end at or after `from` (or `total`). */
async function nextLineStart(path: string, from: number, total: number): Promise<number> {
  const win = await ByteWindow.open(path, 1 << 16, from, total);
  try {
    for (;;) {
      await win.fill();
      const at = win.buf.subarray(win.start, win.end).indexOf(10);
      if (at >= 0) return win.base + win.start + at + 1;
      if (win.eof) return total;
      win.start = win.end;
    }
  } finally {
    await win.close();
  }
}
