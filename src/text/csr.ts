import { InvalidArgumentError } from '../core/errors.js';

/**
 * A sparse matrix in compressed sparse row form: row r holds columns `indices[indptr[r]..indptr[r+1])` (ascending)
 * with `values` at the same positions. Shapes: indptr rows+1, indices/values nnz.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array | Float32Array;
}

/** Checks the CSR invariants once at a boundary (lengths, bounds, ascending columns); throws naming `what`. */
export function checkCsr(m: CsrMatrix, what: string): void {
  if (m.indptr.length !== m.rows + 1) throw new InvalidArgumentError(`${what}: indptr has ${m.indptr.length} entries, expected rows + 1 = ${m.rows + 1}`);
  const nnz = m.indptr[m.rows]!;
  if (m.indices.length !== nnz || m.values.length !== nnz) throw new InvalidArgumentError(`${what}: indices/values must have ${nnz} entries`);
  for (let r = 0; r < m.rows; r++) {
    const a = m.indptr[r]!;
    const b = m.indptr[r + 1]!;
    if (b < a) throw new InvalidArgumentError(`${what}: indptr decreases at row ${r}`);
    for (let k = a; k < b; k++) {
      const c = m.indices[k]!;
      if (c < 0 || c >= m.cols || (k > a && c <= m.indices[k - 1]!)) {
        throw new InvalidArgumentError(`${what}: row ${r} has column ${c} out of range [0, ${m.cols}) or not ascending`);
      }
    }
  }
}

/** Row `r` as a dense array (tests and small data only). */
export function csrRowDense(m: CsrMatrix, r: number): Float64Array {
  const out = new Float64Array(m.cols);
  for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) out[m.indices[k]!] = m.values[k]!;
  return out;
}

/** Transpose (equivalently, the CSC form of `m`) in O(nnz + cols); output rows are ascending. */
export function csrTranspose(m: CsrMatrix): CsrMatrix {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.cols + 1);
  for (let k = 0; k < nnz; k++) indptr[m.indices[k]! + 1]++;
  for (let j = 0; j < m.cols; j++) indptr[j + 1] = indptr[j + 1]! + indptr[j]!;
  const next = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const values = m.values instanceof Float32Array ? new Float32Array(nnz) : new Float64Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) {
      const d = next[m.indices[k]!]!++;
      indices[d] = r;
      values[d] = m.values[k]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** Scales every row to unit L2 norm in place (rows of norm 0 stay zero). Returns `m`. */
export function normalizeRowsL2<M extends CsrMatrix>(m: M): M {
  const v = m.values;
  for (let r = 0; r < m.rows; r++) {
    const a = m.indptr[r]!;
    const b = m.indptr[r + 1]!;
    let s = 0;
    for (let k = a; k < b; k++) s += v[k]! * v[k]!;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let k = a; k < b; k++) v[k] = v[k]! * inv;
    }
  }
  return m;
}

/** Sparse dot product of row `a` of `A` and row `b` of `B` (merge of two ascending index lists). */
export function csrRowDot(A: CsrMatrix, a: number, B: CsrMatrix, b: number): number {
  let i = A.indptr[a]!;
  const ie = A.indptr[a + 1]!;
  let j = B.indptr[b]!;
  const je = B.indptr[b + 1]!;
  let s = 0;
  while (i < ie && j < je) {
    const ci = A.indices[i]!;
    const cj = B.indices[j]!;
    if (ci === cj) {
      s += A.values[i++]! * B.values[j++]!;
    } else if (ci < cj) i++;
    else j++;
  }
  return s;
}

/** Horizontally stacks matrices with the same row count, scaling block b by `weights[b]` (weight 0 stores nothing). */
export function hstackCsr(blocks: readonly CsrMatrix[], weights: readonly number[]): CsrMatrix {
  if (blocks.length === 0) throw new InvalidArgumentError('hstackCsr: no blocks');
  const rows = blocks[0]!.rows;
  let cols = 0;
  let nnz = 0;
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi]!;
    if (b.rows !== rows) throw new InvalidArgumentError(`hstackCsr: blocks have ${b.rows} and ${rows} rows`);
    cols += b.cols;
    if ((weights[bi] ?? 1) !== 0) nnz += b.indices.length;
  }
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let w = 0;
  for (let r = 0; r < rows; r++) {
    let off = 0;
    for (let bi = 0; bi < blocks.length; bi++) {
      const b = blocks[bi]!;
      const wt = weights[bi] ?? 1;
      if (wt === 0) {
        off += b.cols;
        continue;
      }
      for (let k = b.indptr[r]!; k < b.indptr[r + 1]!; k++) {
        indices[w] = b.indices[k]! + off;
        values[w++] = b.values[k]! * wt;
      }
      off += b.cols;
    }
    indptr[r + 1] = w;
  }
  return { rows, cols, indptr, indices, values };
}
