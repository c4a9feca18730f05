import { InvalidArgumentError } from '../errors.js';
import { gemmF32Simd } from './gemm-simd.js';
import { gemv } from './gemv.js';
import type { FloatArray } from './types.js';

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** A is stored transposed: k x m row-major (e.g. `Yᵀ Y` from Y stored items x factors). Default false (m x k). */
  transA?: boolean;
  /** B is stored transposed: n x k row-major (e.g. item factors, items x factors). Default false (k x n). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the old C (default 0: C is overwritten, NaNs in it are ignored as in BLAS). */
  beta?: number;
  /**
   * When A, B and C are all Float32Array, use the WebAssembly SIMD micro-kernel (float32 sums within each slice,
   * like BLAS sgemm; several times faster). Default true; false forces double-precision accumulation.
   */
  simd?: boolean;
}

/** Columns of C per cache block: an NC x KC panel of B in doubles is 256 KB, an L2-sized block. */
const NC = 128;
/** Depth per cache block. */
const KC = 256;

/**
 * Dense matrix product `C = alpha · A · op(B) + beta · C`, row-major, after the Goto/BLIS loop structure:
 * n is split in NC-column panels and k in KC-deep slices; each panel of B is packed once into a Float64Array
 * laid out in 4-column strips (p-major within a strip), each group of 4 rows of A is packed the same way, and the
 * 4 x 4 micro-kernel accumulates a tile of C in 16 local variables (registers) over the slice, reading both packed
 * buffers sequentially, before one store. Packing also makes the inner loop monomorphic (it only ever sees
 * Float64Array), so mixing f32 and f64 callers in one process does not slow it down.
 *
 * Shapes: op(A) is m x k (A stored m x k, or k x m with `transA`); op(B) is k x n (B stored k x n, or n x k with
 * `transB`, e.g. item factors); C is m x n. The Gram matrix of item factors Y (items x f) is
 * `gemm(Y, Y, G, f, items, f, { transA: true })`. Either precision for any
 * operand; arithmetic is in double precision. O(m·n·k) time; O(NC·KC) scratch.
 * Scoring all users against all items is `gemm(U, V, S, users, factors, items, { transB: true })`.
 * When A, B and C are all Float32Array the micro-kernel is WebAssembly SIMD instead (gemm-simd.ts, float32 sums).
 */
export function gemm(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, opts: GemmOptions = {}): void {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  if (!(Number.isInteger(m) && Number.isInteger(k) && Number.isInteger(n) && m >= 0 && k >= 0 && n >= 0)) {
    throw new InvalidArgumentError(`gemm: m, k, n must be non-negative integers, got ${m}, ${k}, ${n}`);
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new InvalidArgumentError(
      `gemm: operands too short for A ${transA ? `${k}x${m} (transposed)` : `${m}x${k}`}, B ${transB ? `${n}x${k} (transposed)` : `${k}x${n}`}, C ${m}x${n}: ` +
        `got ${a.length}, ${b.length}, ${c.length} entries`,
    );
  }
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let t = 0; t < mn; t++) c[t] = beta * c[t]!;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  if (m < 4 && !transA) {
    // fewer rows than one tile: packing B would cost as much as the product; one gemv per row of C instead
    for (let i = 0; i < m; i++) {
      const ai = a.subarray(i * k, (i + 1) * k);
      const ci = c.subarray(i * n, (i + 1) * n);
      if (transB) gemv(b, ai, ci, n, k, { alpha, beta: 1 });
      else gemv(b, ai, ci, k, n, { trans: true, alpha, beta: 1 });
    }
    return;
  }
  if (opts.simd !== false && a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    if (gemmF32Simd(a, b, c, m, k, n, transA, transB, alpha)) return;
  }
  const kcMax = Math.min(KC, k);
  const bp = new Float64Array(roundUp4(Math.min(NC, n)) * kcMax);
  const ap = new Float64Array(4 * kcMax);
  const edge = new Float64Array(16);
  for (let jc = 0; jc < n; jc += NC) {
    const nb = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      packB(b, k, n, transB, pc, kb, jc, nb, bp);
      for (let i = 0; i < m; i += 4) {
        const rows = Math.min(4, m - i);
        packA(a, m, k, transA, i, rows, pc, kb, ap);
        const cRow = i * n + jc;
        for (let j = 0; j < nb; j += 4) {
          const cols = Math.min(4, nb - j);
          tile4x4(ap, bp, j * kb, kb, c, cRow + j, n, alpha, rows, cols, edge);
        }
      }
    }
  }
}

function roundUp4(x: number): number {
  return (x + 3) & ~3;
}

/**
 * Packs the kb x nb block of op(B) at (pc, jc) into strips of 4 columns: bp[s*4*kb + p*4 + t] = op(B)[pc+p][jc+4s+t],
 * zero-padded past nb.
 */
function packB(b: FloatArray, k: number, n: number, transB: boolean, pc: number, kb: number, jc: number, nb: number, bp: Float64Array): void {
  for (let j = 0; j < roundUp4(nb); j++) {
    const base = (j >> 2) * 4 * kb + (j & 3);
    if (j >= nb) {
      for (let p = 0; p < kb; p++) bp[base + p * 4] = 0;
    } else if (transB) {
      const src = (jc + j) * k + pc;
      for (let p = 0; p < kb; p++) bp[base + p * 4] = b[src + p]!;
    } else {
      const src = pc * n + jc + j;
      for (let p = 0; p < kb; p++) bp[base + p * 4] = b[src + p * n]!;
    }
  }
}

/** Packs rows i..i+rows of op(A), columns pc..pc+kb, as ap[p*4 + r] (zero-padded to 4 rows). */
function packA(a: FloatArray, m: number, k: number, transA: boolean, i: number, rows: number, pc: number, kb: number, ap: Float64Array): void {
  for (let r = 0; r < 4; r++) {
    if (r >= rows) {
      for (let p = 0; p < kb; p++) ap[p * 4 + r] = 0;
    } else if (transA) {
      const src = pc * m + i + r;
      for (let p = 0; p < kb; p++) ap[p * 4 + r] = a[src + p * m]!;
    } else {
      const src = (i + r) * k + pc;
      for (let p = 0; p < kb; p++) ap[p * 4 + r] = a[src + p]!;
    }
  }
}

/**
 * The micro-kernel: a 4 x 4 tile of C += alpha · (packed A strip) · (packed B strip at bo), 16 accumulators in
 * locals. Edge tiles (rows or cols < 4) are computed in full on zero padding and stored through `edge`.
 */
function tile4x4(
  ap: Float64Array, bp: Float64Array, bo: number, kb: number,
  c: FloatArray, co: number, ldc: number, alpha: number, rows: number, cols: number, edge: Float64Array,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = 0;
  let pb = bo;
  for (let p = 0; p < kb; p++, pa += 4, pb += 4) {
    const x0 = ap[pa]!, x1 = ap[pa + 1]!, x2 = ap[pa + 2]!, x3 = ap[pa + 3]!;
    const y0 = bp[pb]!, y1 = bp[pb + 1]!, y2 = bp[pb + 2]!, y3 = bp[pb + 3]!;
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  if (rows === 4 && cols === 4) {
    let o = co;
    c[o] = c[o]! + alpha * c00; c[o + 1] = c[o + 1]! + alpha * c01; c[o + 2] = c[o + 2]! + alpha * c02; c[o + 3] = c[o + 3]! + alpha * c03;
    o += ldc;
    c[o] = c[o]! + alpha * c10; c[o + 1] = c[o + 1]! + alpha * c11; c[o + 2] = c[o + 2]! + alpha * c12; c[o + 3] = c[o + 3]! + alpha * c13;
    o += ldc;
    c[o] = c[o]! + alpha * c20; c[o + 1] = c[o + 1]! + alpha * c21; c[o + 2] = c[o + 2]! + alpha * c22; c[o + 3] = c[o + 3]! + alpha * c23;
    o += ldc;
    c[o] = c[o]! + alpha * c30; c[o + 1] = c[o + 1]! + alpha * c31; c[o + 2] = c[o + 2]! + alpha * c32; c[o + 3] = c[o + 3]! + alpha * c33;
    return;
  }
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
  for (let r = 0; r < rows; r++) {
    const o = co + r * ldc;
    for (let t = 0; t < cols; t++) c[o + t] = c[o + t]! + alpha * edge[r * 4 + t]!;
  }
}
