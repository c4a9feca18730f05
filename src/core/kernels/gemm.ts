import { InvalidArgumentError } from '../errors.js';
import type { FloatArray } from './types.js';

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** B is stored transposed: n x k row-major (e.g. item factors, items x factors). Default false (k x n). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the old C (default 0: C is overwritten, NaNs in it are ignored as in BLAS). */
  beta?: number;
}

/** Columns of C (rows of Bᵀ) per cache block: NC x KC doubles ≈ 256 KB, an L2-sized panel. */
const NC = 128;
/** Depth per cache block. */
const KC = 256;

/**
 * Dense matrix product `C = alpha · A · op(B) + beta · C`, row-major, after the Goto/BLIS loop structure:
 * the n dimension is split in NC-column panels and k in KC-deep slices so the current panel of Bᵀ stays in cache
 * while every row of A streams past it, and each 4 x 4 tile of C is accumulated in 16 local variables (registers)
 * over the slice before one store. When B is not transposed, each k x n panel is packed once into a transposed
 * Float64Array buffer so the micro-kernel always reads contiguous rows.
 *
 * Shapes: A is m x k; B is k x n (or n x k with `transB`); C is m x n. Either precision for any operand;
 * arithmetic is in double precision. O(m·n·k) time; O(NC·KC) scratch when B is not transposed.
 * Scoring all users against all items is `gemm(U, V, S, users, factors, items, { transB: true })`.
 */
export function gemm(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, opts: GemmOptions = {}): void {
  const transB = opts.transB ?? false;
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  if (!(Number.isInteger(m) && Number.isInteger(k) && Number.isInteger(n) && m >= 0 && k >= 0 && n >= 0)) {
    throw new InvalidArgumentError(`gemm: m, k, n must be non-negative integers, got ${m}, ${k}, ${n}`);
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new InvalidArgumentError(
      `gemm: operands too short for A ${m}x${k}, B ${transB ? `${n}x${k} (transposed)` : `${k}x${n}`}, C ${m}x${n}: ` +
        `got ${a.length}, ${b.length}, ${c.length} entries`,
    );
  }
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let t = 0; t < mn; t++) c[t] = beta * c[t]!;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  const packed = transB ? undefined : new Float64Array(Math.min(NC, n) * Math.min(KC, k));
  for (let jc = 0; jc < n; jc += NC) {
    const nb = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      let bt: FloatArray;
      let bOff: number;
      let ldb: number;
      if (packed === undefined) {
        bt = b;
        bOff = jc * k + pc;
        ldb = k;
      } else {
        packTransposed(b, n, pc, kb, jc, nb, packed);
        bt = packed;
        bOff = 0;
        ldb = kb;
      }
      panel(a, k, pc, bt, bOff, ldb, kb, c, n, jc, nb, m, alpha);
    }
  }
}

/** packed[(j - jc) * kb + p] = B[pc + p][jc + j]: a kb x nb block of row-major B (k x n) stored as nb rows of kb. */
function packTransposed(b: FloatArray, n: number, pc: number, kb: number, jc: number, nb: number, packed: Float64Array): void {
  for (let p = 0; p < kb; p++) {
    const src = (pc + p) * n + jc;
    for (let j = 0; j < nb; j++) packed[j * kb + p] = b[src + j]!;
  }
}

/** C[:, jc..jc+nb) += alpha · A[:, pc..pc+kb) · (panel of Bᵀ)ᵀ, where Bᵀ row j starts at bOff + j * ldb. */
function panel(
  a: FloatArray, lda: number, pc: number,
  bt: FloatArray, bOff: number, ldb: number, kb: number,
  c: FloatArray, ldc: number, jc: number, nb: number, m: number, alpha: number,
): void {
  const m4 = m - (m & 3);
  const nb4 = nb - (nb & 3);
  for (let i = 0; i < m4; i += 4) {
    const aRow = i * lda + pc;
    const cRow = i * ldc + jc;
    let j = 0;
    for (; j < nb4; j += 4) tile4x4(a, aRow, lda, bt, bOff + j * ldb, ldb, kb, c, cRow + j, ldc, alpha);
    for (; j < nb; j++) {
      const bj = bOff + j * ldb;
      for (let r = 0; r < 4; r++) c[cRow + r * ldc + j] = c[cRow + r * ldc + j]! + alpha * dotKb(a, aRow + r * lda, bt, bj, kb);
    }
  }
  for (let i = m4; i < m; i++) {
    const aRow = i * lda + pc;
    const cRow = i * ldc + jc;
    for (let j = 0; j < nb; j++) c[cRow + j] = c[cRow + j]! + alpha * dotKb(a, aRow, bt, bOff + j * ldb, kb);
  }
}

function dotKb(x: FloatArray, xo: number, y: FloatArray, yo: number, kb: number): number {
  let s = 0;
  for (let p = 0; p < kb; p++) s += x[xo + p]! * y[yo + p]!;
  return s;
}

/** The micro-kernel: a 4 x 4 tile of C from 4 rows of A and 4 rows of Bᵀ, 16 accumulators in locals. */
function tile4x4(
  a: FloatArray, ao: number, lda: number,
  b: FloatArray, bo: number, ldb: number, kb: number,
  c: FloatArray, co: number, ldc: number, alpha: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda;
  const b1 = bo + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  for (let p = 0; p < kb; p++) {
    const x0 = a[ao + p]!, x1 = a[a1 + p]!, x2 = a[a2 + p]!, x3 = a[a3 + p]!;
    const y0 = b[bo + p]!, y1 = b[b1 + p]!, y2 = b[b2 + p]!, y3 = b[b3 + p]!;
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  let o = co;
  c[o] = c[o]! + alpha * c00; c[o + 1] = c[o + 1]! + alpha * c01; c[o + 2] = c[o + 2]! + alpha * c02; c[o + 3] = c[o + 3]! + alpha * c03;
  o += ldc;
  c[o] = c[o]! + alpha * c10; c[o + 1] = c[o + 1]! + alpha * c11; c[o + 2] = c[o + 2]! + alpha * c12; c[o + 3] = c[o + 3]! + alpha * c13;
  o += ldc;
  c[o] = c[o]! + alpha * c20; c[o + 1] = c[o + 1]! + alpha * c21; c[o + 2] = c[o + 2]! + alpha * c22; c[o + 3] = c[o + 3]! + alpha * c23;
  o += ldc;
  c[o] = c[o]! + alpha * c30; c[o + 1] = c[o + 1]! + alpha * c31; c[o + 2] = c[o + 2]! + alpha * c32; c[o + 3] = c[o + 3]! + alpha * c33;
}
