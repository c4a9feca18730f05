/**
 * Kernels used by the worker-pool tests (pool.test.ts): small, deterministic, and each exercising one pool path.
 * Not part of the public API.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { InvalidArgumentError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';

/** out[i] = f(i) over [start, end); returns the number of entries written. */
export function fillPattern(args: { out: Float64Array; scale: number }, start: number, end: number): number {
  const { out, scale } = args;
  for (let i = start; i < end; i++) out[i] = scale * Math.sin(i) + i * i;
  return end - start;
}

/** Rows [start, end) of C = A Bᵀ (A m x k, B n x k) written into shared C. */
export function gemmRows(args: { a: Float32Array; b: Float32Array; c: Float32Array; k: number; n: number }, start: number, end: number): void {
  const { a, b, c, k, n } = args;
  gemm(a.subarray(start * k, end * k), b, c.subarray(start * n, end * n), end - start, k, n, { transB: true });
}

/** The range it was given and the thread kind: shows chunking. */
export function describeRange(_args: null, start: number, end: number): [number, number] {
  return [start, end];
}

/** Throws for the chunk that contains index `at`. */
export function throwAt(args: { at: number }, start: number, end: number): number {
  if (args.at >= start && args.at < end) throw new InvalidArgumentError(`boom at ${args.at}`);
  return end - start;
}

/** Kills its worker thread (process.exit inside a worker ends only that thread); throws when inline. */
export function crashWorker(_args: null, start: number): number {
  if (!isMainThread) process.exit(7);
  throw new Error(`crashWorker called inline at ${start}`);
}

/** Returns something that cannot cross a thread boundary. */
export function returnFunction(): () => number {
  return () => 1;
}

/** Whether the chunk ran on the calling thread (for the `offload` option). */
export function onMainThread(): boolean {
  return isMainThread;
}

/** When this module was imported in the thread that runs it (ms since the epoch), and that thread's id. */
const importedAt = performance.timeOrigin + performance.now();
export function importInfo(): { importedAt: number; threadId: number } {
  return { importedAt, threadId };
}

/**
 * Counts the chunks running at once: active[0] += 1 on entry, the largest count seen kept in active[1], a ~20 ms
 * wait, active[0] -= 1. Returns the thread it ran on.
 */
export function countConcurrent(args: { active: Int32Array }, _start: number, _end: number): number {
  const a = args.active;
  const now = Atomics.add(a, 0, 1) + 1;
  for (let seen = Atomics.load(a, 1); now > seen && Atomics.compareExchange(a, 1, seen, now) !== seen; seen = Atomics.load(a, 1));
  Atomics.wait(a, 2, 0, 20);
  Atomics.sub(a, 0, 1);
  return threadId;
}
