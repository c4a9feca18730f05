import { type WorkerPool, getSharedPool, kernelModuleUrl } from '../../core/pool.js';
import type { BprStratumArgs } from './bpr-kernel.js';

const BPR_KERNEL = kernelModuleUrl(import.meta.url, './bpr-kernel.js');

/**
 * Runs one BPR stratum's T shards on the worker pool, one chunk per shard (the args' arrays are shared memory).
 * Shards touch disjoint user and item rows and draw from their own derived seeds, so the outcome is the same
 * whether they run in parallel or inline (a pool of one thread).
 */
export async function runStrata(args: BprStratumArgs, T: number, pool: WorkerPool = getSharedPool()): Promise<[number, number][]> {
  return pool.run<BprStratumArgs, [number, number]>({ module: BPR_KERNEL, fn: 'bprStratum', args, total: T, chunks: T });
}
