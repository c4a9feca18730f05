import { InvalidArgumentError, SchemaError } from '../core/errors.js';

/** A numeric column: Float64Array with NaN for missing. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/** A categorical (string) column, dictionary-encoded: `codes[i]` indexes `dictionary`, -1 is missing. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export function numericColumn(name: string, values: Float64Array): NumericColumn {
  return { kind: 'numeric', name, values };
}

export function categoricalColumn(name: string, codes: Int32Array, dictionary: readonly string[]): CategoricalColumn {
  return { kind: 'categorical', name, codes, dictionary };
}

/** Dictionary-encodes strings; `null`/`undefined` become missing (-1). */
export function encodeStrings(name: string, values: ArrayLike<string | null | undefined>): CategoricalColumn {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = dict.length;
      dict.push(v);
      index.set(v, c);
    }
    codes[i] = c;
  }
  return categoricalColumn(name, codes, dict);
}

/**
 * A columnar table: every column has `nRows` entries. Immutable by convention: operations return new Frames that
 * may share column buffers with this one.
 */
export class Frame {
  readonly columns: readonly Column[];
  readonly nRows: number;
  private readonly byName: Map<string, Column>;

  constructor(columns: readonly Column[]) {
    this.columns = columns;
    this.byName = new Map();
    let n = -1;
    for (const c of columns) {
      if (this.byName.has(c.name)) throw new SchemaError(`Frame: duplicate column name "${c.name}"`, { column: c.name });
      this.byName.set(c.name, c);
      const len = c.kind === 'numeric' ? c.values.length : c.codes.length;
      if (n === -1) n = len;
      else if (len !== n) throw new SchemaError(`Frame: column "${c.name}" has ${len} rows, expected ${n}`, { column: c.name });
    }
    this.nRows = Math.max(n, 0);
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  get nCols(): number {
    return this.columns.length;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The column called `name`; a SchemaError listing the columns when it does not exist. */
  column(name: string): Column {
    const c = this.byName.get(name);
    if (c === undefined) throw new SchemaError(`no column "${name}"; columns are: ${this.names.join(', ')}`, { column: name, columns: this.names });
    return c;
  }

  numeric(name: string): NumericColumn {
    const c = this.column(name);
    if (c.kind !== 'numeric') throw new SchemaError(`column "${name}" is categorical, expected numeric`, { column: name });
    return c;
  }

  categorical(name: string): CategoricalColumn {
    const c = this.column(name);
    if (c.kind !== 'categorical') throw new SchemaError(`column "${name}" is numeric, expected categorical`, { column: name });
    return c;
  }

  /** Value of a cell as a JS value: number (NaN missing) or string (null missing). */
  get(row: number, name: string): number | string | null {
    const c = this.column(name);
    if (c.kind === 'numeric') return c.values[row]!;
    const code = c.codes[row]!;
    return code < 0 ? null : c.dictionary[code]!;
  }

  /** The string form of every cell of a column (numbers formatted, missing as null). */
  strings(name: string): (string | null)[] {
    const c = this.column(name);
    const out = new Array<string | null>(this.nRows);
    if (c.kind === 'numeric') {
      for (let i = 0; i < this.nRows; i++) out[i] = Number.isNaN(c.values[i]!) ? null : String(c.values[i]);
    } else {
      for (let i = 0; i < this.nRows; i++) out[i] = c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
    }
    return out;
  }

  /** A frame with only these columns, in this order. */
  select(names: readonly string[]): Frame {
    return new Frame(names.map((n) => this.column(n)));
  }

  /** A frame without these columns. */
  drop(names: readonly string[]): Frame {
    for (const n of names) this.column(n);
    const set = new Set(names);
    return new Frame(this.columns.filter((c) => !set.has(c.name)));
  }

  /** A frame with `col` added, or replacing the column of the same name. */
  withColumn(col: Column): Frame {
    const len = col.kind === 'numeric' ? col.values.length : col.codes.length;
    if (this.columns.length > 0 && len !== this.nRows) throw new SchemaError(`withColumn: "${col.name}" has ${len} rows, expected ${this.nRows}`);
    const cols = this.columns.filter((c) => c.name !== col.name);
    const at = this.columns.findIndex((c) => c.name === col.name);
    if (at >= 0) cols.splice(at, 0, col);
    else cols.push(col);
    return new Frame(cols);
  }

  /** Rows at `rows` (in that order; repeats allowed). Dictionaries are shared. */
  take(rows: Int32Array): Frame {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      if (r < 0 || r >= this.nRows) throw new InvalidArgumentError(`Frame.take: row ${r} out of range [0, ${this.nRows})`);
    }
    return new Frame(
      this.columns.map((c) => {
        if (c.kind === 'numeric') {
          const v = new Float64Array(rows.length);
          for (let k = 0; k < rows.length; k++) v[k] = c.values[rows[k]!]!;
          return numericColumn(c.name, v);
        }
        const codes = new Int32Array(rows.length);
        for (let k = 0; k < rows.length; k++) codes[k] = c.codes[rows[k]!]!;
        return categoricalColumn(c.name, codes, c.dictionary);
      }),
    );
  }

  /** Rows where `mask[i]` is non-zero. */
  filter(mask: Uint8Array): Frame {
    if (mask.length !== this.nRows) throw new InvalidArgumentError(`Frame.filter: mask has ${mask.length} entries, expected ${this.nRows}`);
    let n = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
    const rows = new Int32Array(n);
    let w = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) rows[w++] = i;
    return this.take(rows);
  }

  /** The first `n` rows. */
  head(n = 5): Frame {
    const m = Math.min(n, this.nRows);
    const rows = new Int32Array(m);
    for (let i = 0; i < m; i++) rows[i] = i;
    return this.take(rows);
  }

  /** Rows as plain objects (for display and small data only). */
  toRecords(): Record<string, number | string | null>[] {
    const out: Record<string, number | string | null>[] = [];
    for (let i = 0; i < this.nRows; i++) {
      const r: Record<string, number | string | null> = {};
      for (const c of this.columns) r[c.name] = this.get(i, c.name);
      out.push(r);
    }
    return out;
  }
}
