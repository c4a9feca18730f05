import { gemm } from './gemm.js';
import type { FloatArray } from './types.js';

/** Arguments of {@link gemmRows}: the operands of `C = alpha A op(B) + beta C`, on shared memory. */
export interface GemmRowsArgs {
  a: FloatArray;
  b: FloatArray;
  c: FloatArray;
  k: number;
  n: number;
  transB: boolean;
  alpha: number;
  beta: number;
}

/**
 * Pool kernel (see pool.ts): rows [start, end) of C = alpha A op(B) + beta C with the blocked {@link gemm}.
 * Each chunk writes only its own rows of C, so the result does not depend on how rows are spread over threads.
 */
export function gemmRows(args: GemmRowsArgs, start: number, end: number): void {
  const { a, b, c, k, n, transB, alpha, beta } = args;
  gemm(a.subarray(start * k, end * k), b, c.subarray(start * n, end * n), end - start, k, n, { transB, alpha, beta });
}
