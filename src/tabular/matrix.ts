import { InvalidArgumentError } from '../core/errors.js';

/**
 * A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. NaN marks a missing value. The tabular models take
 * a Matrix directly, or a {@link Frame} through preprocessing.
 */
export interface Matrix {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** A matrix over `data` (row-major, length rows * cols), checked once. */
export function matrix(data: Float64Array | Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new InvalidArgumentError(`matrix: ${rows} x ${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { data, rows, cols };
}

/** A Float64 matrix from nested arrays (small data and tests). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const n = rows.length;
  const d = n === 0 ? 0 : rows[0].length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d) throw new InvalidArgumentError(`fromRows: row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) out[i * d + j] = r[j];
  }
  return { data: out, rows: n, cols: d };
}

/** Is `x` a Matrix (and not a Frame)? */
export function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x;
}

/** Rows `idx` of `m` as a new Float64 matrix. */
export function takeRows(m: Matrix, idx: Int32Array): Matrix {
  const d = m.cols;
  const out = new Float64Array(idx.length * d);
  const src = m.data;
  for (let k = 0; k < idx.length; k++) {
    const base = idx[k] * d;
    const o = k * d;
    for (let j = 0; j < d; j++) out[o + j] = src[base + j];
  }
  return { data: out, rows: idx.length, cols: d };
}

/** Entries `idx` of a vector. */
export function takeVector(v: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]];
  return out;
}

/** Column `j` of `m` as a Float64Array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  const d = m.cols;
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * d + j];
  return out;
}

/** A matrix whose columns are the given equal-length vectors. */
export function fromColumns(cols: readonly Float64Array[]): Matrix {
  const d = cols.length;
  const n = d === 0 ? 0 : cols[0].length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const c = cols[j];
    if (c.length !== n) throw new InvalidArgumentError(`fromColumns: column ${j} has ${c.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) out[i * d + j] = c[i];
  }
  return { data: out, rows: n, cols: d };
}
