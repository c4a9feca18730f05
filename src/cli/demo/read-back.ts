import { readFile } from 'node:fs/promises';
import { ParseError, SchemaError } from '../../core/errors.js';

/**
 * Reads back the demo's own unquoted CSV tables (ratings.csv, events.csv: ids, numbers and event names, never a comma
 * or quote inside a field). A stand-in until the data-io readers land on main; every malformed row is a ParseError
 * naming file, line and text.
 */
export interface SimpleTable {
  header: string[];
  /** columns[c][r]: the text of column c at data row r. */
  columns: string[][];
  rows: number;
}

/** Parses an unquoted CSV with a header row; `expected` names the columns that must be present. */
export async function readSimpleCsv(path: string, expected: readonly string[]): Promise<SimpleTable> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new SchemaError(`${path}: empty file, expected a header row`);
  const header = lines[0]!.replace(/\r$/, '').split(',');
  for (const name of expected) {
    if (!header.includes(name)) throw new SchemaError(`${path}: no column "${name}"; columns are: ${header.join(', ')}`, { column: name });
  }
  const nc = header.length;
  const columns: string[][] = header.map(() => new Array<string>(lines.length - 1));
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!.replace(/\r$/, '');
    const cells = line.split(',');
    if (cells.length !== nc) throw new ParseError({ file: path, line: l + 1, text: line }, `expected ${nc} fields, found ${cells.length}`);
    for (let c = 0; c < nc; c++) columns[c]![l - 1] = cells[c]!;
  }
  return { header, columns, rows: lines.length - 1 };
}

/** The named column of a table as text. */
export function textColumn(t: SimpleTable, name: string): string[] {
  return t.columns[t.header.indexOf(name)]!;
}

/** The named column as numbers; a non-numeric cell is a ParseError with its line (header = line 1). */
export function numberColumn(t: SimpleTable, name: string, file: string): Float64Array {
  const col = textColumn(t, name);
  const out = new Float64Array(col.length);
  for (let r = 0; r < col.length; r++) {
    const v = Number(col[r]);
    if (col[r] === '' || !Number.isFinite(v)) throw new ParseError({ file, line: r + 2, column: t.header.indexOf(name) + 1, text: col[r]! }, `column "${name}" is not a finite number`);
    out[r] = v;
  }
  return out;
}
