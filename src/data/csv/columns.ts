import { EmptyInputError, SchemaError } from '../../core/errors.js';

/** A column chosen by header name or by 0-based position. */
export type ColumnRef = string | number;

const CANDIDATE_DELIMITERS = [',', '\t', ';', '|', '::'];

/** The delimiter that splits `line` into the most fields (for "is the delimiter right?" hints), or undefined. */
export function guessDelimiter(line: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const n = line.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** A hint appended to schema errors when a record split into one field only. */
export function delimiterHint(file: string, delimiter: string, fields: readonly string[]): string {
  if (fields.length !== 1) return '';
  const g = guessDelimiter(fields[0]!);
  const shown = JSON.stringify(delimiter);
  return g === undefined || g === delimiter
    ? ` (${file}: the line has one field with delimiter ${shown}; is the delimiter right?)`
    : ` (${file}: the line has one field with delimiter ${shown}; it looks ${JSON.stringify(g)}-separated)`;
}

/**
 * Resolves a column reference against the header (names) or a field count (no header). Returns -1 when `ref` is
 * undefined and `candidates` (case-insensitive names) match nothing.
 */
export function resolveColumn(
  file: string,
  role: string,
  ref: ColumnRef | undefined,
  header: readonly string[] | null,
  nFields: number,
  delimiter: string,
  candidates: readonly string[] = [],
): number {
  if (ref === undefined) {
    if (header === null) return -1;
    const lower = header.map((h) => h.toLowerCase());
    for (const c of candidates) {
      const at = lower.indexOf(c.toLowerCase());
      if (at >= 0) return at;
    }
    return -1;
  }
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= nFields) {
      const fields = header ?? [];
      throw new SchemaError(`${file}: ${role} column ${ref} is out of range; rows have ${nFields} field(s)${delimiterHint(file, delimiter, fields)}`, { file, column: ref });
    }
    return ref;
  }
  if (header === null) throw new SchemaError(`${file}: ${role} column "${ref}" given by name but the file has no header; give a 0-based position`, { file, column: ref });
  const at = header.indexOf(ref);
  if (at < 0) {
    throw new SchemaError(`${file}: no ${role} column "${ref}"; the header has: ${header.join(', ')}${delimiterHint(file, delimiter, header)}`, { file, column: ref, columns: header });
  }
  return at;
}

/** Header names checked for duplicates (a clear error naming both positions); empty names become `colN`. */
export function checkHeader(file: string, names: string[]): string[] {
  const seen = new Map<string, number>();
  const out = names.map((n, j) => (n.trim() === '' ? `col${j + 1}` : n));
  for (let j = 0; j < out.length; j++) {
    const prev = seen.get(out[j]!);
    if (prev !== undefined) {
      throw new SchemaError(`${file}:1: duplicate header "${out[j]}" in columns ${prev + 1} and ${j + 1}`, { file, column: out[j], positions: [prev + 1, j + 1] });
    }
    seen.set(out[j]!, j);
  }
  return out;
}

/** The error for a file with no data rows. */
export function emptyFileError(file: string, hadHeader: boolean): EmptyInputError {
  return new EmptyInputError(hadHeader ? `${file}: has a header but no data rows` : `${file}: is empty (no data rows)`, { file });
}
