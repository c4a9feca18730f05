import { SchemaError } from '../core/errors.js';
import { type Frame } from '../data/frame.js';
import { type Matrix, isMatrix } from './matrix.js';

/** What a tabular model takes: a dense Matrix or a Frame (categorical columns enter as their codes). */
export type TabularInput = Matrix | Frame;

/**
 * The columns a model saw at fit: names, kinds and (for categorical columns) the dictionary, so predict can map a
 * Frame's codes onto the fit-time codes (an unseen category becomes missing) and refuse columns it never saw.
 */
export interface FeatureSchema {
  names: string[];
  kinds: ('numeric' | 'categorical')[];
  dictionaries: (string[] | null)[];
  /** True when fitted on a Matrix (column names are positional x0, x1...). */
  positional: boolean;
}

/** Number of rows of an input. */
export function inputRows(X: TabularInput): number {
  return isMatrix(X) ? X.rows : X.nRows;
}

/** Converts fit input to a Float64 row-major matrix and records its schema. All-NaN columns are an error naming the column. */
export function fitMatrix(X: TabularInput, who: string): { m: Matrix; schema: FeatureSchema } {
  if (isMatrix(X)) {
    const names: string[] = [];
    for (let j = 0; j < X.cols; j++) names.push(`x${j}`);
    const schema: FeatureSchema = { names, kinds: names.map(() => 'numeric'), dictionaries: names.map(() => null), positional: true };
    checkNotAllMissing(X, schema, who);
    return { m: X, schema };
  }
  const schema: FeatureSchema = { names: [], kinds: [], dictionaries: [], positional: false };
  for (const c of X.columns) {
    schema.names.push(c.name);
    schema.kinds.push(c.kind);
    schema.dictionaries.push(c.kind === 'categorical' ? [...c.dictionary] : null);
  }
  const m = frameToMatrix(X, schema, who);
  checkNotAllMissing(m, schema, who);
  return { m, schema };
}

function checkNotAllMissing(m: Matrix, schema: FeatureSchema, who: string): void {
  const d = m.cols;
  const n = m.rows;
  if (n === 0) throw new SchemaError(`${who}: no rows to fit on`);
  for (let j = 0; j < d; j++) {
    let ok = false;
    for (let i = 0; i < n; i++) {
      if (m.data[i * d + j] === m.data[i * d + j]) {
        ok = true;
        break;
      }
    }
    if (!ok) throw new SchemaError(`${who}: feature column "${schema.names[j]}" is missing (NaN) in every row; drop it or impute it`, { column: schema.names[j] });
  }
}

/** Converts predict input to a matrix laid out as at fit, with clear errors naming any extra, missing or retyped column. */
export function predictMatrix(X: TabularInput, schema: FeatureSchema, who: string): Matrix {
  if (isMatrix(X)) {
    if (X.cols !== schema.names.length) {
      const extra = X.cols > schema.names.length ? `; column x${schema.names.length} was not seen at fit` : '';
      throw new SchemaError(`${who}: input has ${X.cols} feature columns but the model was fitted on ${schema.names.length}${extra}`, { expected: schema.names.length, got: X.cols });
    }
    return X;
  }
  if (schema.positional) {
    if (X.nCols !== schema.names.length) {
      throw new SchemaError(`${who}: input has ${X.nCols} columns but the model was fitted on a ${schema.names.length}-column matrix`);
    }
  } else {
    const known = new Set(schema.names);
    for (const c of X.columns) {
      if (!known.has(c.name)) throw new SchemaError(`${who}: column "${c.name}" was not seen at fit (more features at predict than at fit); fitted on: ${schema.names.join(', ')}`, { column: c.name });
    }
  }
  return frameToMatrix(X, schema, who);
}

function frameToMatrix(X: Frame, schema: FeatureSchema, who: string): Matrix {
  const n = X.nRows;
  const d = schema.names.length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const name = schema.names[j];
    const col = schema.positional ? X.columns[j] : X.has(name) ? X.column(name) : undefined;
    if (col === undefined) throw new SchemaError(`${who}: column "${name}" is missing from the input; the model was fitted with it`, { column: name });
    if (schema.kinds[j] === 'numeric') {
      if (col.kind !== 'numeric') {
        const bad = col.dictionary.find((s) => s.trim() !== '' && !Number.isFinite(Number(s))) ?? col.dictionary[0];
        throw new SchemaError(`${who}: column "${col.name}" holds strings (e.g. ${JSON.stringify(bad)}) but numbers were expected`, { column: col.name, value: bad });
      }
      const v = col.values;
      for (let i = 0; i < n; i++) out[i * d + j] = v[i];
    } else {
      if (col.kind !== 'categorical') throw new SchemaError(`${who}: column "${col.name}" is numeric but was categorical at fit`, { column: col.name });
      const dict = schema.dictionaries[j] ?? [];
      // Map this frame's codes onto fit-time codes; unseen categories become NaN (missing).
      const index = new Map<string, number>();
      for (let c = 0; c < dict.length; c++) index.set(dict[c], c);
      const remap = new Float64Array(col.dictionary.length);
      for (let c = 0; c < col.dictionary.length; c++) remap[c] = index.get(col.dictionary[c]) ?? NaN;
      const codes = col.codes;
      for (let i = 0; i < n; i++) out[i * d + j] = codes[i] < 0 ? NaN : remap[codes[i]];
    }
  }
  return { data: out, rows: n, cols: d };
}

/** Checks the target has one finite value per row; names the target (default "target") in errors. */
export function checkTarget(y: ArrayLike<number>, rows: number, who: string, targetName = 'target'): Float64Array {
  if (y.length !== rows) throw new SchemaError(`${who}: ${targetName} has ${y.length} values but X has ${rows} rows`, { column: targetName });
  const out = Float64Array.from(y);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new SchemaError(`${who}: ${targetName === 'target' ? 'the target' : `target column "${targetName}"`} is missing or not finite at row ${i + 1}`, { column: targetName, row: i });
  }
  return out;
}

/** Sorted distinct class values and each row's class index; a single class is an error naming the target. */
export function encodeClasses(y: Float64Array, who: string, targetName = 'target'): { classes: number[]; index: Int32Array } {
  const set = new Set<number>();
  for (let i = 0; i < y.length; i++) set.add(y[i]);
  const classes = [...set].sort((a, b) => a - b);
  if (classes.length < 2) {
    throw new SchemaError(`${who}: ${targetName === 'target' ? 'the target' : `target column "${targetName}"`} has a single class (${classes[0]}); a classifier needs at least two`, { column: targetName });
  }
  const pos = new Map<number, number>();
  for (let c = 0; c < classes.length; c++) pos.set(classes[c], c);
  const index = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) index[i] = pos.get(y[i]) ?? 0;
  return { classes, index };
}
