import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { NOT_A_NUMBER, decodeField, parseNumberBytes, type TextEncoding } from './bytes.js';
import { FAST_FAIL, fastLayout, fastRecord } from './fastrow.js';
import { IdKeyer, type KeyList } from './idkeys.js';
import { INCOMPLETE, RecordCells, makeDialect, scanRecord } from './record.js';
import { ByteWindow } from './source.js';

/**
 * The ratings reader's parse loop over one byte range of a file (the whole data part, or one of the ranges parsed
 * by worker threads). Plain records go through the fused fast path, everything else through the general scanner.
 * Produces triples with range-local dense ids plus the id lists; everything here is cloneable for a worker reply.
 */

/** What {@link parseRatingsRange} needs (plain data, so it can cross to a worker). */
export interface RangeConfig {
  path: string;
  /** Byte range [start, end) of the file; `start` is at a record start. */
  start: number;
  end: number;
  /** Line number of the first record of the range (0 when unknown: lines are then relative, from 1). */
  firstLine: number;
  delimiter: string;
  quote: string | null;
  encoding: TextEncoding;
  nFields: number;
  uCol: number;
  iCol: number;
  vCol: number;
  tCol: number;
  fastPath: boolean;
  windowBytes: number;
  /** Initial capacity of the triples. */
  capacity: number;
  /** Stop at the first bad row (its report is all the caller needs). */
  stopAtFirstBad: boolean;
  /** Keep at most this many bad-row reports (all are counted). */
  maxBad: number;
  /** Allocate the triples in shared memory (a worker's reply then shares them instead of copying). */
  shared?: boolean;
}

/** One bad row of a range. */
export interface RangeBad {
  line: number;
  column?: number;
  problem: string;
  text?: string;
}

/** The outcome of one range. */
export interface RangeResult {
  n: number;
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  times: Float64Array | undefined;
  userKeys: KeyList;
  itemKeys: KeyList;
  bad: RangeBad[];
  badCount: number;
  /** Lines consumed (so the next range knows its first line). */
  lines: number;
  /** A quote character appeared in the range (a split inside a quoted field is then possible). */
  sawQuote: boolean;
}

/**
 * Parses the records of `cfg`'s byte range. `onBad` receives each bad row as it is found (sequential reads use it
 * to apply the policy at once); otherwise bad rows are collected up to `maxBad`. `between` is checked between
 * windows (abort, progress in bytes).
 */
export async function parseRatingsRange(
  cfg: RangeConfig,
  onBad?: (b: RangeBad) => void,
  between?: { signal?: AbortSignal; onProgress?: ProgressFn },
): Promise<RangeResult> {
  const dialect = makeDialect(cfg.delimiter, cfg.quote);
  const { encoding, nFields, uCol, iCol, vCol, tCol } = cfg;
  const q = dialect.quote;
  const layout = dialect.delimiter.length === 1 && cfg.fastPath ? fastLayout(nFields, uCol, iCol, vCol, tCol, dialect.delimiter[0]!, q) : null;
  const row = new Float64Array(4);
  const rec = new RecordCells();
  const users = new IdKeyer(1 << 14);
  const items = new IdKeyer(1 << 14);
  let cap = Math.max(cfg.capacity, 1024);
  const shared = cfg.shared === true;
  let U = new Int32Array(alloc(cap * 4, shared));
  let I = new Int32Array(alloc(cap * 4, shared));
  let V = new Float32Array(alloc(cap * 4, shared));
  let T = tCol >= 0 ? new Float64Array(alloc(cap * 8, shared)) : undefined;
  let n = 0;
  const bad: RangeBad[] = [];
  let badCount = 0;
  let sawQuote = false;
  let stop = false;
  const lineBase = cfg.firstLine > 0 ? cfg.firstLine : 1;
  let line = lineBase;
  const report = (b: RangeBad): void => {
    badCount++;
    if (onBad !== undefined) onBad(b);
    else if (bad.length < cfg.maxBad) bad.push(b);
    if (cfg.stopAtFirstBad) stop = true;
  };
  const grow = (): void => {
    cap *= 2;
    const u = new Int32Array(alloc(cap * 4, shared));
    u.set(U);
    U = u;
    const i = new Int32Array(alloc(cap * 4, shared));
    i.set(I);
    I = i;
    const v = new Float32Array(alloc(cap * 4, shared));
    v.set(V);
    V = v;
    if (T !== undefined) {
      const t = new Float64Array(alloc(cap * 8, shared));
      t.set(T);
      T = t;
    }
  };
  const win = await ByteWindow.open(cfg.path, cfg.windowBytes, cfg.start, cfg.end);
  try {
    await win.fill(0);
    while (!stop) {
      const buf = win.buf;
      let pos = win.start;
      const end = win.end;
      const atEof = win.eof;
      while (!stop) {
        if (layout !== null && pos < end && buf[pos] !== 10 && buf[pos] !== 13) {
          const fast = fastRecord(buf, pos, end, layout, row);
          if (fast !== FAST_FAIL) {
            if (n === cap) grow();
            U[n] = users.keyInt(row[0]!);
            I[n] = items.keyInt(row[1]!);
            V[n] = row[2]!;
            if (T !== undefined) T[n] = row[3]!;
            n++;
            line++;
            pos = fast;
            continue;
          }
        }
        const next = scanRecord(buf, pos, end, atEof, dialect, rec);
        if (next === INCOMPLETE || next === pos) break;
        const recLine = line;
        line += 1 + rec.innerNewlines;
        if (q >= 0 && !sawQuote && buf.subarray(pos, next).includes(q)) sawQuote = true;
        pos = next;
        if (rec.count === 0) continue;
        if (rec.error !== null) {
          report({ line: recLine, problem: rec.error, text: buf.toString(encoding, rec.starts[0]!, Math.min(end, rec.starts[0]! + 200)) });
          continue;
        }
        if (rec.count !== nFields) {
          report({ line: recLine, problem: `expected ${nFields} fields, got ${rec.count}`, text: buf.toString(encoding, rec.starts[0]!, Math.min(rec.ends[rec.count - 1]!, rec.starts[0]! + 200)) });
          continue;
        }
        let value = 1;
        if (vCol >= 0) {
          const v = parseNumberBytes(buf, rec.starts[vCol]!, rec.ends[vCol]!);
          if (v === NOT_A_NUMBER || !Number.isFinite(v)) {
            report(badValue(recLine, vCol, buf, rec, encoding, 'value', v, cfg.quote));
            continue;
          }
          value = v;
        }
        let time = 0;
        if (tCol >= 0) {
          const v = parseNumberBytes(buf, rec.starts[tCol]!, rec.ends[tCol]!);
          if (v === NOT_A_NUMBER || !Number.isFinite(v)) {
            report(badValue(recLine, tCol, buf, rec, encoding, 'timestamp', v, cfg.quote));
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
          report({ line: recLine, column: col + 1, problem: `empty ${col === uCol ? 'user' : 'item'} id` });
          continue;
        }
        if (n === cap) grow();
        U[n] = users.keyBytes(buf, us, ue, encoding, rec.escaped[uCol] === 1);
        I[n] = items.keyBytes(buf, is, ie, encoding, rec.escaped[iCol] === 1);
        V[n] = value;
        if (T !== undefined) T[n] = time;
        n++;
      }
      win.start = pos;
      if (win.eof || stop) break;
      if (between !== undefined) {
        throwIfAborted(between.signal, `reading ${cfg.path}`);
        between.onProgress?.({ step: 'read', done: win.base + pos, total: cfg.end });
      }
      await win.fill();
    }
  } finally {
    await win.close();
  }
  return {
    n,
    users: U.subarray(0, n),
    items: I.subarray(0, n),
    values: V.subarray(0, n),
    times: T?.subarray(0, n),
    userKeys: users.exportKeys(),
    itemKeys: items.exportKeys(),
    bad,
    badCount,
    lines: line - lineBase,
    sawQuote,
  };
}

function alloc(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

function badValue(line: number, col: number, buf: Buffer, rec: RecordCells, encoding: TextEncoding, role: string, parsed: number | typeof NOT_A_NUMBER, quote: string | null): RangeBad {
  const text = decodeField(buf, rec.starts[col]!, rec.ends[col]!, encoding, rec.escaped[col] === 1, quote ?? '"');
  const problem = parsed === NOT_A_NUMBER ? `${role} is not a number` : text.trim() === '' ? `${role} is missing` : `${role} must be a finite number`;
  return { line, column: col + 1, problem, text };
}
