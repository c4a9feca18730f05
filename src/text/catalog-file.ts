import { EmptyInputError, ParseError, SchemaError } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import { readTextRecords } from '../data/csv/records.js';
import type { ItemCatalog } from './profiles.js';

/** Which columns of a catalog file become which item fields. */
export interface CatalogColumns {
  /** Column with the item id (required, unique). */
  idColumn: string;
  /** Column with a display title (for explanations); default: the id. */
  titleColumn?: string;
  textColumns?: readonly string[];
  /** Columns whose values are lists separated by `|` or `,` (genres, "listed_in"). */
  categoricalColumns?: readonly string[];
  /** Numeric columns (blank or non-numeric cells are missing). */
  numericColumns?: readonly string[];
  /** Field delimiter (default ','). */
  delimiter?: string;
  /** Progress of the read (`read` events, bytes). */
  onProgress?: ProgressFn;
}

/**
 * Reads an item catalog from a delimited file with a header (RFC 4180 quoting, embedded newlines, CRLF, UTF-8 BOM),
 * e.g. netflix_titles.csv. A missing column is a {@link SchemaError} listing the header; a malformed record or a
 * duplicate id is a {@link ParseError} naming the file and line.
 */
export async function readCatalog(path: string, cols: CatalogColumns): Promise<ItemCatalog> {
  const records = await readTextRecords(path, { delimiter: cols.delimiter ?? ',', ...(cols.onProgress !== undefined ? { onProgress: cols.onProgress } : {}) }, (line, problem) => {
    throw new ParseError({ file: path, line }, problem);
  });
  if (records.length === 0) throw new EmptyInputError(`${path}: the file is empty`, { path });
  const header = records[0]!.fields.map((h) => h.trim());
  const at = (name: string, what: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new SchemaError(`${path}: no ${what} column "${name}"; columns are: ${header.join(', ')}`, { column: name, columns: header });
    return i;
  };
  const idAt = at(cols.idColumn, 'id');
  const titleAt = cols.titleColumn === undefined ? -1 : at(cols.titleColumn, 'title');
  const text = (cols.textColumns ?? []).map((c) => [c, at(c, 'text')] as const);
  const cats = (cols.categoricalColumns ?? []).map((c) => [c, at(c, 'categorical')] as const);
  const nums = (cols.numericColumns ?? []).map((c) => [c, at(c, 'numeric')] as const);
  if (text.length + cats.length + nums.length === 0) throw new SchemaError('readCatalog: give at least one text, categorical or numeric column');
  const ids: string[] = [];
  const titles: string[] = [];
  const textOut: Record<string, (string | null)[]> = {};
  const catOut: Record<string, (string | null)[]> = {};
  const numOut: Record<string, number[]> = {};
  for (const [c] of text) textOut[c] = [];
  for (const [c] of cats) catOut[c] = [];
  for (const [c] of nums) numOut[c] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const { line, fields } = records[r]!;
    const id = fields[idAt]?.trim() ?? '';
    if (id === '') throw new ParseError({ file: path, line }, `empty id in column "${cols.idColumn}"`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new ParseError({ file: path, line }, `duplicate item id "${id}" (first on line ${prev})`);
    seen.set(id, line);
    ids.push(id);
    titles.push(titleAt >= 0 ? (fields[titleAt] ?? id) : id);
    for (const [c, i] of text) textOut[c]!.push(fields[i] ?? null);
    for (const [c, i] of cats) catOut[c]!.push(fields[i] ?? null);
    for (const [c, i] of nums) {
      const s = (fields[i] ?? '').trim();
      const v = s === '' ? NaN : Number(s);
      numOut[c]!.push(Number.isFinite(v) ? v : NaN);
    }
  }
  const catalog: ItemCatalog = { ids, titles };
  if (text.length) catalog.text = textOut;
  if (cats.length) catalog.categorical = catOut;
  if (nums.length) catalog.numeric = Object.fromEntries(Object.entries(numOut).map(([k, v]) => [k, Float64Array.from(v)]));
  return catalog;
}
