import { InvalidArgumentError } from './errors.js';
import type { GemmOptions } from './kernels/gemm.js';
import type { GemmRowsArgs } from './kernels/gemm-rows.js';
import type { FloatArray } from './kernels/types.js';
import { type WorkerPool, getSharedPool, kernelModuleUrl } from './pool.js';

const GEMM_ROWS = kernelModuleUrl(import.meta.url, './kernels/gemm-rows.js');

/**
 * {@link gemm} spread over a worker pool by blocks of rows of C (e.g. users when scoring users x items).
 * `a`, `b` and `c` must live on SharedArrayBuffers (see `sharedFloat32` / `toShared`) unless the pool has one
 * thread; results equal the single-threaded gemm bit for bit, since every row is computed by the same code.
 * `minRows` (default 16) is the smallest block worth sending to a worker.
 */
export async function gemmParallel(
  a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number,
  opts: GemmOptions & { pool?: WorkerPool; minRows?: number } = {},
): Promise<void> {
  if (opts.transA === true) {
    throw new InvalidArgumentError('gemmParallel: transA is not supported (rows of C are split across threads); transpose A first or call gemm');
  }
  const pool = opts.pool ?? getSharedPool();
  if (pool.size > 1) {
    for (const [name, arr] of [['a', a], ['b', b], ['c', c]] as const) {
      if (!(arr.buffer instanceof SharedArrayBuffer)) {
        throw new InvalidArgumentError(`gemmParallel: ${name} must be on a SharedArrayBuffer (use sharedFloat32/toShared) when the pool has ${pool.size} threads`);
      }
    }
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new InvalidArgumentError(`gemmParallel: operands too short for A ${m}x${k}, B ${k}x${n}, C ${m}x${n}`);
  }
  const args: GemmRowsArgs = { a, b, c, k, n, transB: opts.transB ?? false, alpha: opts.alpha ?? 1, beta: opts.beta ?? 0 };
  await pool.run<GemmRowsArgs, void>({ module: GEMM_ROWS, fn: 'gemmRows', args, total: m, minChunkSize: opts.minRows ?? 16 });
}
