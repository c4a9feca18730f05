import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { InvalidArgumentError, ReckonError, ErrorCode } from '../core/errors.js';
import type { SyntheticData } from './synthetic.js';

/**
 * Writers for a generated data set: CSV (RFC 4180 quoting, header row, LF line ends) or JSON Lines, through node fs
 * streams in ~1 MB chunks with backpressure. Readers live with the data-io area (readCsv/readTable).
 */

/** One written file: its path and number of data rows. */
export interface WrittenFile {
  table: string;
  path: string;
  rows: number;
}

export type GeneratedFormat = 'csv' | 'jsonl';

/** Quotes a CSV field when it holds a comma, quote, CR or LF (quotes doubled). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A column of a table to write: its name and, per row, its cell (string or number). */
export interface TableColumn {
  name: string;
  /** 'string' values are quoted in CSV when needed and JSON-escaped in JSONL; numbers are written as is. */
  kind: 'string' | 'number';
  cell: (row: number) => string | number;
}

/** Writes `rows` rows of `columns` to `path` in `format`. Resolves once the file is flushed and closed. */
export async function writeGeneratedTable(path: string, columns: readonly TableColumn[], rows: number, format: GeneratedFormat): Promise<WrittenFile> {
  if (format !== 'csv' && format !== 'jsonl') throw new InvalidArgumentError(`writeGeneratedTable: format must be csv or jsonl, got "${String(format)}"`);
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', (e) => reject(new ReckonError(ErrorCode.Io, `cannot write ${path}: ${e.message}`, { cause: e }))));
  failed.catch(() => undefined);
  const write = async (s: string) => {
    if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
  };
  let buf = format === 'csv' ? columns.map((c) => csvField(c.name)).join(',') + '\n' : '';
  const keys = columns.map((c) => JSON.stringify(c.name));
  const nc = columns.length;
  for (let r = 0; r < rows; r++) {
    let line = format === 'csv' ? '' : '{';
    for (let c = 0; c < nc; c++) {
      const col = columns[c]!;
      const v = col.cell(r);
      if (format === 'csv') {
        if (c > 0) line += ',';
        line += col.kind === 'string' ? csvField(String(v)) : String(v);
      } else {
        if (c > 0) line += ',';
        line += keys[c]! + ':' + (col.kind === 'string' ? JSON.stringify(String(v)) : String(v));
      }
    }
    buf += format === 'csv' ? line + '\n' : line + '}\n';
    if (buf.length >= 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  if (buf.length > 0) await write(buf);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { table: '', path, rows };
}

/**
 * Writes the data set into `dir` (created if needed): ratings, events, items, users and purchases tables as
 * `<table>.csv` or `<table>.jsonl`. Columns:
 * - ratings: user_id, item_id, rating, timestamp
 * - events: user_id, item_id, event, timestamp, session_id
 * - items: item_id, title, genres (pipe-separated, primary first), price, description
 * - users: user_id, age, country, signup
 * - purchases: order_id, user_id, item_id, quantity, price, timestamp
 */
export async function writeSynthetic(d: SyntheticData, dir: string, opts: { format?: GeneratedFormat; tables?: readonly string[] } = {}): Promise<WrittenFile[]> {
  const format = opts.format ?? 'csv';
  mkdirSync(dir, { recursive: true });
  const uid = d.users.list;
  const iid = d.items.list;
  const r = d.ratings;
  const e = d.events;
  const p = d.purchases;
  const cat = d.catalog;
  const ua = d.userAttributes;
  const genresOf = (i: number) => {
    const g: string[] = [];
    for (let k = cat.genreIndptr[i]!; k < cat.genreIndptr[i + 1]!; k++) g.push(d.genres[cat.genreIndices[k]!]!);
    return g.join('|');
  };
  const tables: Record<string, { rows: number; columns: TableColumn[] }> = {
    ratings: {
      rows: r.values.length,
      columns: [
        { name: 'user_id', kind: 'string', cell: (k) => uid[r.users[k]!]! },
        { name: 'item_id', kind: 'string', cell: (k) => iid[r.items[k]!]! },
        { name: 'rating', kind: 'number', cell: (k) => r.values[k]! },
        { name: 'timestamp', kind: 'number', cell: (k) => r.timestamps[k]! },
      ],
    },
    events: {
      rows: e.users.length,
      columns: [
        { name: 'user_id', kind: 'string', cell: (k) => uid[e.users[k]!]! },
        { name: 'item_id', kind: 'string', cell: (k) => iid[e.items[k]!]! },
        { name: 'event', kind: 'string', cell: (k) => e.typeNames[e.types[k]!]! },
        { name: 'timestamp', kind: 'number', cell: (k) => e.timestamps[k]! },
        { name: 'session_id', kind: 'string', cell: (k) => `s${e.sessions[k]! + 1}` },
      ],
    },
    items: {
      rows: iid.length,
      columns: [
        { name: 'item_id', kind: 'string', cell: (k) => iid[k]! },
        { name: 'title', kind: 'string', cell: (k) => cat.titles[k]! },
        { name: 'genres', kind: 'string', cell: genresOf },
        { name: 'price', kind: 'number', cell: (k) => cat.prices[k]! },
        { name: 'description', kind: 'string', cell: (k) => cat.descriptions[k]! },
      ],
    },
    users: {
      rows: uid.length,
      columns: [
        { name: 'user_id', kind: 'string', cell: (k) => uid[k]! },
        { name: 'age', kind: 'number', cell: (k) => ua.age[k]! },
        { name: 'country', kind: 'string', cell: (k) => ua.countries[ua.country[k]!]! },
        { name: 'signup', kind: 'number', cell: (k) => ua.signup[k]! },
      ],
    },
    purchases: {
      rows: p.orders.length,
      columns: [
        { name: 'order_id', kind: 'string', cell: (k) => `o${p.orders[k]! + 1}` },
        { name: 'user_id', kind: 'string', cell: (k) => uid[p.users[k]!]! },
        { name: 'item_id', kind: 'string', cell: (k) => iid[p.items[k]!]! },
        { name: 'quantity', kind: 'number', cell: (k) => p.quantities[k]! },
        { name: 'price', kind: 'number', cell: (k) => p.prices[k]! },
        { name: 'timestamp', kind: 'number', cell: (k) => p.timestamps[k]! },
      ],
    },
  };
  const wanted = opts.tables ?? Object.keys(tables);
  const written: WrittenFile[] = [];
  for (const name of wanted) {
    const t = tables[name];
    if (t === undefined) throw new InvalidArgumentError(`writeSynthetic: unknown table "${name}"; expected one of: ${Object.keys(tables).join(', ')}`);
    const file = await writeGeneratedTable(join(dir, `${name}.${format}`), t.columns, t.rows, format);
    written.push({ ...file, table: name });
  }
  return written;
}
