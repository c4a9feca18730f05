import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, ReckonError, UnsupportedFormatError } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import type { Interactions } from './interactions.js';
import { parseNumberText, NOT_A_NUMBER } from './csv/bytes.js';
import { readTextRecords, type TextRecord } from './csv/records.js';
import { readInteractionsCsv, type ReadInteractionsOptions } from './ratings.js';
import { BadLineSink, type BadLineOptions } from './report.js';

/** The MovieLens layouts Reckon reads: ml-100k (`u.data`), ml-latest(-small) / 20m / 25m / 32m (`ratings.csv`), ml-1m / 10m (`::`). */
export type MovieLensFormat = 'ml-100k' | 'ml-latest' | 'ml-1m';
export const MOVIELENS_FORMATS: readonly MovieLensFormat[] = ['ml-100k', 'ml-latest', 'ml-1m'];

/** One movie: raw id, title as published (with its year), release year when known, genre names. */
export interface MovieItem {
  id: string;
  title: string;
  year: number | null;
  genres: string[];
}

/** A user's free-text tag on a movie (ml-latest `tags.csv`, ml-10m `tags.dat`). */
export interface MovieTag {
  user: string;
  item: string;
  tag: string;
  timestamp: number;
}

/** A loaded MovieLens folder. `ratings` carries timestamps (epoch seconds). */
export interface MovieLensData {
  format: MovieLensFormat;
  ratings: Interactions;
  items: MovieItem[];
  /** The rating scale [min, max] of the set (ml-100k and ml-1m: [1, 5]; half-star sets: [0.5, 5]). */
  ratingScale: [number, number];
  tags?: MovieTag[];
}

/** The genre flags of ml-100k `u.item`, in file order (used when `u.genre` is absent). */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** Ratings-file layout per format. */
function ratingsLayout(format: MovieLensFormat): ReadInteractionsOptions {
  switch (format) {
    case 'ml-100k':
      return { delimiter: '\t', quote: null, header: false, userColumn: 0, itemColumn: 1, valueColumn: 2, timestampColumn: 3 };
    case 'ml-1m':
      return { delimiter: '::', quote: null, header: false, userColumn: 0, itemColumn: 1, valueColumn: 2, timestampColumn: 3 };
    case 'ml-latest':
      return { delimiter: ',', header: true, userColumn: 'userId', itemColumn: 'movieId', valueColumn: 'rating', timestampColumn: 'timestamp' };
  }
}

function checkFormat(format: string): MovieLensFormat {
  if (!(MOVIELENS_FORMATS as readonly string[]).includes(format)) throw new UnsupportedFormatError(format, MOVIELENS_FORMATS);
  return format as MovieLensFormat;
}

/**
 * Reads one MovieLens ratings file (`u.data`, `ratings.csv` or `ratings.dat`) into Interactions with timestamps.
 * Duplicate (user, item) pairs keep the latest rating. `onProgress` gets `read` events in bytes (as the csv reader's).
 */
export async function readRatings(path: string, opts: { format: MovieLensFormat } & BadLineOptions & { signal?: AbortSignal; onProgress?: ProgressFn }): Promise<Interactions> {
  const format = checkFormat(opts.format);
  const o: ReadInteractionsOptions = { ...ratingsLayout(format), combine: 'last' };
  if (opts.onBadLines !== undefined) o.onBadLines = opts.onBadLines;
  if (opts.onReport !== undefined) o.onReport = opts.onReport;
  if (opts.onWarning !== undefined) o.onWarning = opts.onWarning;
  if (opts.signal !== undefined) o.signal = opts.signal;
  if (opts.onProgress !== undefined) o.onProgress = opts.onProgress;
  return readInteractionsCsv(path, o);
}

/** The ratings file of a MovieLens folder of format `format` (`u.data`, `ratings.csv` or `ratings.dat`). */
export function movieLensRatingsFile(dir: string, format: MovieLensFormat): string {
  const fmt = checkFormat(format);
  return join(dir, fmt === 'ml-100k' ? 'u.data' : fmt === 'ml-latest' ? 'ratings.csv' : 'ratings.dat');
}

/**
 * For every stored entry of `data` (as read by {@link readRatings} from the same file), the 0-based position in the
 * file of the first data row with that (user, item): the row order a pandas DataFrame of the file has, which the
 * Microsoft Recommenders splitters depend on (see eval/protocols.ts). Reads the file a second time, as strings, so
 * it costs about one string per field; meant for the benchmark-sized sets. A row whose user or item is not in `data`
 * (a bad line the reader skipped) is skipped too.
 */
export async function ratingsRowOrder(path: string, format: MovieLensFormat, data: Interactions): Promise<Float64Array> {
  const fmt = checkFormat(format);
  const layout = ratingsLayout(fmt);
  const recs = await readTextRecords(path, { delimiter: layout.delimiter!, quote: layout.quote === undefined ? '"' : layout.quote }, () => {});
  const header = layout.header !== false;
  const order = new Float64Array(data.nnz).fill(-1);
  let row = 0;
  for (let r = header ? 1 : 0; r < recs.length; r++) {
    const f = recs[r]!.fields;
    const u = data.users.indexOf(f[header ? 0 : (layout.userColumn as number)] ?? '');
    const i = data.items.indexOf(f[header ? 1 : (layout.itemColumn as number)] ?? '');
    if (u < 0 || i < 0) continue;
    const p = findEntry(data, u, i);
    if (p >= 0 && order[p] === -1) order[p] = row;
    row++;
  }
  for (let p = 0; p < data.nnz; p++) {
    if (order[p] === -1) throw new ReckonError(ErrorCode.Io, `${path}: stored entry ${p} was not found when re-reading the file for its row order`, { details: { path } });
  }
  return order;
}

/** The CSR position of (u, i) (row indices ascending), or -1. */
function findEntry(data: Interactions, u: number, i: number): number {
  let lo = data.indptr[u]!;
  let hi = data.indptr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = data.indices[mid]!;
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The format of a MovieLens folder from the files in it, or undefined. */
export function detectMovieLens(dir: string): MovieLensFormat | undefined {
  if (existsSync(join(dir, 'u.data'))) return 'ml-100k';
  if (existsSync(join(dir, 'ratings.csv'))) return 'ml-latest';
  if (existsSync(join(dir, 'ratings.dat'))) return 'ml-1m';
  return undefined;
}

function need(dir: string, file: string, format: MovieLensFormat): string {
  const p = join(dir, file);
  if (!existsSync(p)) throw new ReckonError(ErrorCode.Io, `${dir}: no ${file}, which the ${format} format needs`, { details: { path: p, format } });
  return p;
}

/**
 * Loads a MovieLens folder: ratings (with timestamps), movie metadata (titles, years, genres) and tags when present.
 * `format` is detected from the files when omitted. Reads only local files. `onProgress` follows the ratings file's
 * read (bytes; by far the largest file).
 */
export async function loadMovieLens(dir: string, format?: MovieLensFormat, opts: BadLineOptions & { onProgress?: ProgressFn } = {}): Promise<MovieLensData> {
  const fmt = format === undefined ? detectMovieLens(dir) : checkFormat(format);
  if (fmt === undefined) throw new ReckonError(ErrorCode.Io, `${dir}: not a MovieLens folder (no u.data, ratings.csv or ratings.dat)`, { details: { path: dir } });
  const ratingsFile = fmt === 'ml-100k' ? 'u.data' : fmt === 'ml-latest' ? 'ratings.csv' : 'ratings.dat';
  const ratings = await readRatings(need(dir, ratingsFile, fmt), { format: fmt, ...opts });
  const { onProgress: _ratingsOnly, ...lineOpts } = opts;
  let items: MovieItem[];
  let tags: MovieTag[] | undefined;
  if (fmt === 'ml-100k') {
    items = await readMl100kItems(dir, lineOpts);
  } else if (fmt === 'ml-latest') {
    items = await readMoviesFile(need(dir, 'movies.csv', fmt), ',', '"', 'utf8', true, lineOpts);
    if (existsSync(join(dir, 'tags.csv'))) tags = await readTags(join(dir, 'tags.csv'), ',', '"', true, lineOpts);
  } else {
    items = await readMoviesFile(need(dir, 'movies.dat', fmt), '::', null, 'latin1', false, lineOpts);
    if (existsSync(join(dir, 'tags.dat'))) tags = await readTags(join(dir, 'tags.dat'), '::', null, false, lineOpts);
  }
  let min = Infinity;
  for (let k = 0; k < ratings.values.length; k++) if (ratings.values[k]! < min) min = ratings.values[k]!;
  const ratingScale: [number, number] = fmt === 'ml-latest' || min < 1 ? [0.5, 5] : [1, 5];
  const out: MovieLensData = { format: fmt, ratings, items, ratingScale };
  if (tags !== undefined) out.tags = tags;
  return out;
}

const YEAR_IN_TITLE = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/;

/** The year in a title like "Toy Story (1995)", or null. */
export function yearFromTitle(title: string): number | null {
  const m = YEAR_IN_TITLE.exec(title);
  return m === null ? null : Number(m[1]);
}

async function records(path: string, delimiter: string, quote: string | null, encoding: 'utf8' | 'latin1', opts: BadLineOptions): Promise<{ recs: TextRecord[]; sink: BadLineSink }> {
  const sink = new BadLineSink(path, opts);
  const recs = await readTextRecords(path, { delimiter, quote, encoding }, (line, problem) => sink.bad({ file: path, line }, problem));
  return { recs, sink };
}

async function readMl100kItems(dir: string, opts: BadLineOptions): Promise<MovieItem[]> {
  const path = need(dir, 'u.item', 'ml-100k');
  let genreNames: readonly string[] = ML100K_GENRES;
  const genreFile = join(dir, 'u.genre');
  if (existsSync(genreFile)) {
    const { recs } = await records(genreFile, '|', null, 'latin1', opts);
    const names: string[] = [];
    for (const r of recs) if (r.fields.length >= 2) names[Number(r.fields[1])] = r.fields[0]!;
    if (names.length === ML100K_GENRES.length) genreNames = names;
  }
  const { recs, sink } = await records(path, '|', null, 'latin1', opts);
  const items: MovieItem[] = [];
  const nFlags = genreNames.length;
  for (const r of recs) {
    const f = r.fields;
    if (f.length !== 5 + nFlags) {
      sink.bad({ file: path, line: r.line, text: f.join('|') }, `expected ${5 + nFlags} fields, got ${f.length}`);
      continue;
    }
    const genres: string[] = [];
    for (let g = 0; g < nFlags; g++) if (f[5 + g] === '1') genres.push(genreNames[g]!);
    const title = f[1]!;
    const date = /(\d{4})$/.exec(f[2]!);
    const year = yearFromTitle(title) ?? (date === null ? null : Number(date[1]));
    items.push({ id: f[0]!, title, year, genres });
  }
  sink.report.rows = items.length;
  sink.finish(opts);
  return items;
}

async function readMoviesFile(path: string, delimiter: string, quote: string | null, encoding: 'utf8' | 'latin1', header: boolean, opts: BadLineOptions): Promise<MovieItem[]> {
  const { recs, sink } = await records(path, delimiter, quote, encoding, opts);
  const items: MovieItem[] = [];
  for (let k = header ? 1 : 0; k < recs.length; k++) {
    const r = recs[k]!;
    const f = r.fields;
    if (f.length !== 3) {
      sink.bad({ file: path, line: r.line, text: f.join(delimiter) }, `expected 3 fields (id, title, genres), got ${f.length}`);
      continue;
    }
    const g = f[2]!;
    const genres = g === '' || g === '(no genres listed)' ? [] : g.split('|');
    items.push({ id: f[0]!, title: f[1]!, year: yearFromTitle(f[1]!), genres });
  }
  sink.report.rows = items.length;
  sink.finish(opts);
  return items;
}

async function readTags(path: string, delimiter: string, quote: string | null, header: boolean, opts: BadLineOptions): Promise<MovieTag[]> {
  const { recs, sink } = await records(path, delimiter, quote, 'utf8', opts);
  const tags: MovieTag[] = [];
  for (let k = header ? 1 : 0; k < recs.length; k++) {
    const r = recs[k]!;
    const f = r.fields;
    if (f.length !== 4) {
      sink.bad({ file: path, line: r.line, text: f.join(delimiter) }, `expected 4 fields (user, item, tag, timestamp), got ${f.length}`);
      continue;
    }
    const ts = parseNumberText(f[3]!);
    if (ts === NOT_A_NUMBER || !Number.isFinite(ts)) {
      sink.bad({ file: path, line: r.line, column: 4, text: f[3]! }, 'timestamp must be a finite number');
      continue;
    }
    tags.push({ user: f[0]!, item: f[1]!, tag: f[2]!, timestamp: ts });
  }
  sink.report.rows = tags.length;
  sink.finish(opts);
  return tags;
}
