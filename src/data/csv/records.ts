import { readFile } from 'node:fs/promises';
import { ErrorCode, ReckonError } from '../../core/errors.js';
import { type ProgressFn, throttleProgress } from '../../core/progress.js';
import { decodeField, type TextEncoding } from './bytes.js';
import { RecordCells, makeDialect, scanRecord } from './record.js';

/** One record as strings, with its 1-based line number. */
export interface TextRecord {
  line: number;
  fields: string[];
}

/** Reads a whole file's bytes; an IO error names the file. */
export async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new ReckonError(ErrorCode.Io, `cannot read ${path}: ${(e as Error).message}`, { cause: e, details: { path } });
  }
}

/**
 * Every non-blank record of a small delimited file as strings (for metadata files such as movies.csv or u.item;
 * large files go through the streaming readers). Malformed quoting is reported through `onMalformed`.
 * `opts.onProgress` gets `read` events in bytes parsed (at most every 100 ms, and at the end).
 */
export async function readTextRecords(
  path: string,
  opts: { delimiter: string; quote?: string | null; encoding?: TextEncoding; onProgress?: ProgressFn },
  onMalformed: (line: number, problem: string) => void,
): Promise<TextRecord[]> {
  const buf = await readBytes(path);
  const progress = throttleProgress(opts.onProgress);
  let nextReport = 1 << 16;
  const dialect = makeDialect(opts.delimiter, opts.quote === undefined ? '"' : opts.quote);
  const encoding = opts.encoding ?? 'utf8';
  const quoteChar = opts.quote ?? '"';
  const rec = new RecordCells();
  const out: TextRecord[] = [];
  let pos = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (pos < buf.length) {
    const next = scanRecord(buf, pos, buf.length, true, dialect, rec);
    const at = line;
    line += 1 + rec.innerNewlines;
    pos = next;
    if (rec.count === 0) continue;
    if (rec.error !== null) {
      onMalformed(at, rec.error);
      continue;
    }
    const fields = new Array<string>(rec.count);
    for (let f = 0; f < rec.count; f++) fields[f] = decodeField(buf, rec.starts[f]!, rec.ends[f]!, encoding, rec.escaped[f] === 1, quoteChar);
    out.push({ line: at, fields });
    if (progress !== undefined && pos >= nextReport) {
      progress({ step: 'read', done: pos, total: buf.length });
      nextReport = pos + (1 << 16);
    }
  }
  progress?.({ step: 'read', done: buf.length, total: buf.length });
  return out;
}
