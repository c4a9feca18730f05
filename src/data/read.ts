import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ErrorCode, ReckonError, UnsupportedFormatError } from '../core/errors.js';
import { type ProgressFn, throttleProgress } from '../core/progress.js';
import { readCsv, type CsvOptions } from './csv.js';
import { readParquet, writeParquet } from './duckdb.js';
import { Frame, categoricalColumn, type Column } from './frame.js';
import { readJsonl, type JsonlOptions } from './jsonl.js';

/** Formats {@link readTable} reads. The ml-* formats read a MovieLens ratings file as columns user, item, rating, timestamp. */
export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet' | 'ml-100k' | 'ml-latest' | 'ml-1m';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'tsv', 'jsonl', 'parquet', 'ml-100k', 'ml-latest', 'ml-1m'];

const BY_EXTENSION: Readonly<Record<string, TableFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/** The format of `path` from its extension; UnsupportedFormatError listing the choices when unknown. */
export function detectFormat(path: string): TableFormat {
  const ext = extname(path).toLowerCase();
  const f = BY_EXTENSION[ext];
  if (f === undefined) {
    throw new UnsupportedFormatError(ext === '' ? path : ext, [...Object.keys(BY_EXTENSION), ...TABLE_FORMATS.map((t) => `--format ${t}`)]);
  }
  return f;
}

/** Checks a format name. */
export function checkTableFormat(format: string): TableFormat {
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) throw new UnsupportedFormatError(format, TABLE_FORMATS);
  return format as TableFormat;
}

/** Options of {@link readTable}: the format (detected from the extension when omitted) and the readers' options. */
export type ReadTableOptions = { format?: TableFormat } & CsvOptions & Omit<JsonlOptions, 'encoding'>;

const ML_LAYOUT: Record<'ml-100k' | 'ml-1m', CsvOptions> = {
  'ml-100k': { delimiter: '\t', quote: null, header: false },
  'ml-1m': { delimiter: '::', quote: null, header: false },
};
const ML_NAMES = ['user', 'item', 'rating', 'timestamp'];

/**
 * Reads a table file into a Frame, by `format` or by extension: CSV/TSV (our byte-level reader), JSON Lines, Parquet
 * (through DuckDB), or a MovieLens ratings file (user and item as categorical ids, rating and timestamp numeric and
 * required finite).
 */
export async function readTable(path: string, opts: ReadTableOptions = {}): Promise<Frame> {
  const format = opts.format === undefined ? detectFormat(path) : checkTableFormat(opts.format);
  const { format: _f, ...rest } = opts;
  switch (format) {
    case 'csv':
      return readCsv(path, rest);
    case 'tsv':
      return readCsv(path, { delimiter: '\t', ...rest });
    case 'jsonl': {
      const j: JsonlOptions = {};
      if (rest.types !== undefined) j.types = rest.types;
      if (rest.columns !== undefined) j.columns = rest.columns;
      if (rest.requireFinite !== undefined) j.requireFinite = rest.requireFinite;
      if (rest.onBadLines !== undefined) j.onBadLines = rest.onBadLines;
      if (rest.onReport !== undefined) j.onReport = rest.onReport;
      if (rest.onWarning !== undefined) j.onWarning = rest.onWarning;
      if (rest.encoding !== undefined) j.encoding = rest.encoding;
      if (rest.onProgress !== undefined) j.onProgress = rest.onProgress;
      return readJsonl(path, j);
    }
    case 'parquet': {
      // DuckDB reads the file in one call: the step is reported as one unit (elapsed time, no ETA).
      rest.onProgress?.({ step: 'read', done: 0, total: 1 });
      const f = await readParquet(path);
      rest.onProgress?.({ step: 'read', done: 1, total: 1 });
      return f;
    }
    case 'ml-100k':
    case 'ml-1m': {
      const f = await readCsv(path, {
        ...rest,
        ...ML_LAYOUT[format],
        encoding: 'latin1',
        names: ML_NAMES,
        types: { user: 'categorical', item: 'categorical', rating: 'numeric', timestamp: 'numeric' },
        requireFinite: ['rating', 'timestamp'],
      });
      return f;
    }
    case 'ml-latest': {
      const f = await readCsv(path, {
        ...rest,
        delimiter: ',',
        header: true,
        columns: ['userId', 'movieId', 'rating'],
        types: { userId: 'categorical', movieId: 'categorical', rating: 'numeric' },
        requireFinite: ['rating'],
      });
      return renameColumns(f, { userId: 'user', movieId: 'item' });
    }
  }
}

/** A Frame with some columns renamed (buffers shared). */
export function renameColumns(frame: Frame, names: Readonly<Record<string, string>>): Frame {
  const cols: Column[] = frame.columns.map((c) => {
    const to = names[c.name];
    if (to === undefined) return c;
    return c.kind === 'numeric' ? { ...c, name: to } : categoricalColumn(to, c.codes, c.dictionary);
  });
  return new Frame(cols);
}

/** Formats {@link writeTable} writes. */
export type WriteFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** Writes a Frame as CSV/TSV (RFC 4180 quoting where needed, missing as empty), JSON Lines or Parquet, by extension. */
export async function writeTable(frame: Frame, path: string, format?: WriteFormat, opts: { onProgress?: ProgressFn } = {}): Promise<void> {
  const f = format ?? detectFormat(path);
  if (f === 'parquet') {
    // one DuckDB call: reported as one unit (elapsed time, no ETA)
    opts.onProgress?.({ step: 'write', done: 0, total: 1 });
    await writeParquet(frame, path);
    opts.onProgress?.({ step: 'write', done: 1, total: 1 });
    return;
  }
  if (f !== 'csv' && f !== 'tsv' && f !== 'jsonl') throw new UnsupportedFormatError(f, ['csv', 'tsv', 'jsonl', 'parquet']);
  try {
    await writeFile(path, f === 'jsonl' ? frameToJsonl(frame, opts.onProgress) : frameToCsv(frame, f === 'tsv' ? '\t' : ',', opts.onProgress));
    opts.onProgress?.({ step: 'write', done: frame.nRows, total: frame.nRows });
  } catch (e) {
    throw new ReckonError(ErrorCode.Io, `cannot write ${path}: ${(e as Error).message}`, { cause: e, details: { path } });
  }
}

function csvCell(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** A Frame as delimited text with a header line. */
export function frameToCsv(frame: Frame, delimiter = ',', onProgress?: ProgressFn): string {
  const parts: string[] = [frame.names.map((n) => csvCell(n, delimiter)).join(delimiter) + '\n'];
  const cols = frame.columns;
  const progress = throttleProgress(onProgress);
  for (let r = 0; r < frame.nRows; r++) {
    if (progress !== undefined && (r & 16383) === 0) progress({ step: 'write', done: r, total: frame.nRows });
    const cells = new Array<string>(cols.length);
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!;
      if (c.kind === 'numeric') {
        const v = c.values[r]!;
        cells[j] = Number.isNaN(v) ? '' : String(v);
      } else {
        const code = c.codes[r]!;
        cells[j] = code < 0 ? '' : csvCell(c.dictionary[code]!, delimiter);
      }
    }
    parts.push(cells.join(delimiter) + '\n');
  }
  return parts.join('');
}

/** A Frame as JSON Lines (missing values omitted from each object; non-finite numbers as null). */
export function frameToJsonl(frame: Frame, onProgress?: ProgressFn): string {
  const parts: string[] = [];
  const cols = frame.columns;
  const progress = throttleProgress(onProgress);
  for (let r = 0; r < frame.nRows; r++) {
    if (progress !== undefined && (r & 16383) === 0) progress({ step: 'write', done: r, total: frame.nRows });
    const o: Record<string, string | number | null> = {};
    for (const c of cols) {
      if (c.kind === 'numeric') {
        const v = c.values[r]!;
        if (!Number.isNaN(v)) o[c.name] = Number.isFinite(v) ? v : null;
      } else if (c.codes[r]! >= 0) o[c.name] = c.dictionary[c.codes[r]!]!;
    }
    parts.push(JSON.stringify(o) + '\n');
  }
  return parts.join('');
}
