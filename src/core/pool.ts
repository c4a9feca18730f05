import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError, WorkerError } from './errors.js';
import { loadKernel } from './pool-kernel.js';
import type { PreloadMessage, ReplyMessage, RunMessage } from './pool-worker.js';

/**
 * A worker-thread pool that runs a kernel over index ranges, for the embarrassingly parallel parts (ALS half-steps,
 * KNN similarities, batch scoring). Data goes in `args` as SharedArrayBuffer-backed typed arrays (see
 * {@link sharedFloat32}), which every thread sees without copying; kernels write disjoint ranges of them, so the
 * outcome does not depend on which thread ran which chunk. Ordinary typed arrays in `args` are COPIED to each
 * worker (writes to them are lost): only shared memory is shared.
 *
 * A kernel module exports `fn(args, start, end): R`; `run` splits [0, total) into contiguous chunks, and resolves
 * with the chunks' results in chunk order. Chunk boundaries depend only on `total` and the chunk count, so pass an
 * explicit `chunks` when the results are reduced in floating point and must not depend on the pool size.
 */
export interface PoolTask<A> {
  /** URL of the kernel module (use {@link kernelModuleUrl}). */
  module: string;
  /** Name of the exported kernel function. */
  fn: string;
  /** Arguments passed to every chunk (structured-cloned; SharedArrayBuffers are shared). */
  args: A;
  /** Size of the index range [0, total). */
  total: number;
  /** Number of chunks (default: pool size x 4, at most `total`). */
  chunks?: number;
  /** Smallest chunk worth a message round trip (default 1): caps the chunk count at ceil(total / minChunkSize). */
  minChunkSize?: number;
  /**
   * Send even a single chunk to a worker (default false: one chunk runs inline). For callers that do their own
   * share of the work on the calling thread while the workers run theirs.
   */
  offload?: boolean;
  /**
   * Called on the calling thread as each chunk [start, end) finishes (in completion order), e.g. to drive a progress
   * bar over the whole range. An exception it throws is ignored.
   */
  onChunkDone?: (start: number, end: number) => void;
  /**
   * At most this many of the pool's workers run this task's chunks at once (default: all of them), so a caller's
   * thread count holds on a machine with more cores than it asked for; other tasks' chunks may use the rest.
   */
  maxWorkers?: number;
}

/** Typed arrays that {@link toShared} can move to shared memory. */
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

interface RunState {
  readonly task: PoolTask<unknown>;
  readonly results: unknown[];
  remaining: number;
  /** Chunks on workers now (see PoolTask.maxWorkers). */
  active: number;
  done: boolean;
  resolve(values: unknown[]): void;
  reject(e: Error): void;
}

interface Job {
  run: RunState;
  index: number;
  start: number;
  end: number;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  dead: boolean;
  /** Kernel modules this worker was asked to import ahead of time. */
  preloaded: Set<string>;
}

/** Resolves `relativeJs` (e.g. './als-kernel.js') next to the caller; from a .ts source (tests, tsx) it points at the .ts file. */
export function kernelModuleUrl(importMetaUrl: string, relativeJs: string): string {
  const u = new URL(relativeJs, importMetaUrl);
  if (new URL(importMetaUrl).pathname.endsWith('.ts') && u.pathname.endsWith('.js')) u.pathname = u.pathname.slice(0, -3) + '.ts';
  return u.href;
}

/**
 * How to start a worker: the compiled entry next to this file, or, when running from TypeScript sources (vitest,
 * tsx), a small bootstrap that registers tsx's loader in the new thread and then imports the .ts entry (Node 20
 * does not apply `--import` preloads to a worker's own entry module, so `execArgv: ['--import', 'tsx']` is not
 * enough there).
 */
function workerEntry(): { file: URL } | { code: string } {
  const fromTs = new URL(import.meta.url).pathname.endsWith('.ts');
  if (!fromTs) return { file: new URL('./pool-worker.js', import.meta.url) };
  let api = 'tsx/esm/api';
  try {
    const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
    api = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  } catch {
    // fall back to resolving the bare specifier
  }
  const entry = new URL('./pool-worker.ts', import.meta.url).href;
  return { code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });` };
}

/** The chunk boundaries of [0, total): `count` contiguous ranges whose sizes differ by at most one. */
export function chunkBounds(total: number, count: number): Int32Array {
  const b = new Int32Array(count + 1);
  for (let c = 0; c <= count; c++) b[c] = Math.floor((c * total) / count);
  return b;
}

/** See {@link PoolTask}. Workers are created on first use, kept while the pool lives and unref'd when idle. */
export class WorkerPool {
  private readonly n: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(opts: { size?: number } = {}) {
    const size = opts.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`WorkerPool: size must be a positive integer, got ${size}`);
    this.n = size;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Worker threads alive now (started on first use or by {@link preload}, at most `size`). */
  get workers(): number {
    return this.slots.length;
  }

  /**
   * Workers alive and free right now that were asked to import `module` (by {@link preload} or by running a task of
   * it): a task offloaded now would start on them without booting a thread, and usually without loading code. A worker whose last result this thread has not
   * yet received (its event loop has not run since) counts as busy.
   */
  readyWorkers(module: string): number {
    let k = 0;
    for (const s of this.slots) if (!s.dead && s.job === undefined && s.preloaded.has(module)) k++;
    return k;
  }

  /** Number of threads work is spread over (1 means everything runs inline on the calling thread). */
  get size(): number {
    return this.n;
  }

  /** Runs `task` over [0, total) and resolves with one result per chunk, in chunk order. */
  async run<A, R>(task: PoolTask<A>): Promise<R[]> {
    if (this.closed) throw new WorkerError('WorkerPool.run: the pool is closed');
    const { total } = task;
    if (!Number.isInteger(total) || total < 0) throw new InvalidArgumentError(`WorkerPool.run: total must be a non-negative integer, got ${total}`);
    const minChunk = task.minChunkSize ?? 1;
    if (!Number.isInteger(minChunk) || minChunk < 1) throw new InvalidArgumentError(`WorkerPool.run: minChunkSize must be a positive integer, got ${minChunk}`);
    const want = task.chunks ?? this.n * 4;
    if (!Number.isInteger(want) || want < 1) throw new InvalidArgumentError(`WorkerPool.run: chunks must be a positive integer, got ${want}`);
    if (task.maxWorkers !== undefined && (!Number.isInteger(task.maxWorkers) || task.maxWorkers < 1)) throw new InvalidArgumentError(`WorkerPool.run: maxWorkers must be a positive integer, got ${task.maxWorkers}`);
    if (total === 0) return [];
    const count = Math.max(1, Math.min(want, total, Math.ceil(total / minChunk)));
    const bounds = chunkBounds(total, count);
    if (this.n === 1 || (count === 1 && task.offload !== true)) return this.runInline<R>(task, bounds);
    return new Promise<R[]>((resolve, reject) => {
      const run: RunState = {
        task: task as PoolTask<unknown>,
        results: new Array<unknown>(count),
        remaining: count,
        active: 0,
        done: false,
        resolve: resolve as (v: unknown[]) => void,
        reject,
      };
      for (let c = 0; c < count; c++) this.queue.push({ run, index: c, start: bounds[c]!, end: bounds[c + 1]! });
      this.dispatch();
    });
  }

  /** Same chunks, called one after another on this thread. */
  private async runInline<R>(task: PoolTask<unknown>, bounds: Int32Array): Promise<R[]> {
    const out: R[] = [];
    for (let c = 0; c + 1 < bounds.length; c++) {
      try {
        const f = await loadKernel(task.module, task.fn);
        out.push((await f(task.args, bounds[c]!, bounds[c + 1]!)) as R);
      } catch (e) {
        throw chunkError(task, bounds[c]!, bounds[c + 1]!, e instanceof Error ? e.message : String(e), e);
      }
      chunkDone(task, bounds[c]!, bounds[c + 1]!);
    }
    return out;
  }

  /**
   * Starts `workers` workers (at most the pool size; those that exist count) and has each import `module` now, so a
   * run that needs them soon does not wait for a cold thread to boot and load its kernel (tens to hundreds of
   * milliseconds). Nothing runs; a failed import is reported by the run that uses the module.
   */
  preload(module: string, workers: number): void {
    if (this.closed || this.n === 1) return;
    const want = Math.min(this.n, Math.max(0, Math.floor(workers)));
    while (this.slots.length < want) this.spawn();
    for (const slot of this.slots.slice(0, want)) {
      if (slot.dead || slot.preloaded.has(module)) continue;
      slot.preloaded.add(module);
      const msg: PreloadMessage = { type: 'preload', module };
      slot.worker.postMessage(msg);
    }
  }

  /** Hands queued jobs to idle workers, creating workers up to `size`. */
  private dispatch(): void {
    // First come, first served, skipping the chunks of a task already on its maxWorkers workers.
    for (let q = 0; q < this.queue.length; ) {
      const job = this.queue[q]!;
      if (job.run.done) {
        this.queue.splice(q, 1);
        continue;
      }
      const cap = job.run.task.maxWorkers;
      if (cap !== undefined && job.run.active >= cap) {
        q++;
        continue;
      }
      let slot = this.slots.find((s) => s.job === undefined && !s.dead);
      if (slot === undefined) {
        if (this.slots.length >= this.n) return;
        slot = this.spawn();
      }
      this.queue.splice(q, 1);
      job.run.active++;
      slot.job = job;
      // (The worker imports the task's module to run it.)
      slot.preloaded.add(job.run.task.module);
      const id = this.nextId++;
      this.pending.set(id, job);
      slot.worker.ref();
      const msg: RunMessage = { type: 'run', id, module: job.run.task.module, fn: job.run.task.fn, args: job.run.task.args, start: job.start, end: job.end };
      try {
        slot.worker.postMessage(msg);
      } catch (e) {
        // args that cannot be cloned: fail this run, keep the worker
        this.pending.delete(id);
        slot.job = undefined;
        job.run.active--;
        slot.worker.unref();
        this.fail(job.run, chunkError(job.run.task, job.start, job.end, `could not send args to a worker (${(e as Error).message})`, e));
      }
    }
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const worker = 'file' in entry ? new Worker(entry.file) : new Worker(entry.code, { eval: true });
    worker.unref();
    const slot: Slot = { worker, job: undefined, dead: false, preloaded: new Set() };
    this.slots.push(slot);
    worker.on('message', (reply: ReplyMessage) => this.onReply(slot, reply));
    worker.on('error', (e) => this.onCrash(slot, e));
    worker.on('exit', (code) => this.onCrash(slot, new Error(`worker exited with code ${code}`)));
    return slot;
  }

  private onReply(slot: Slot, reply: ReplyMessage): void {
    const job = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    slot.job = undefined;
    slot.worker.unref();
    if (job !== undefined) job.run.active--;
    if (job !== undefined && !job.run.done) {
      const run = job.run;
      if (reply.type === 'result') {
        run.results[job.index] = reply.value;
        chunkDone(run.task, job.start, job.end);
        if (--run.remaining === 0) {
          run.done = true;
          run.resolve(run.results);
        }
      } else {
        const cause = new Error(reply.message);
        cause.name = reply.name;
        if (reply.stack !== undefined) cause.stack = reply.stack;
        if (reply.code !== undefined) Object.assign(cause, { code: reply.code });
        this.fail(run, chunkError(run.task, job.start, job.end, reply.message, cause));
      }
    }
    this.dispatch();
  }

  /** A worker died (uncaught error, process.exit, out of memory): fail its chunk and replace it on demand. */
  private onCrash(slot: Slot, e: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined) {
      job.run.active--;
      for (const [id, j] of this.pending) if (j === job) this.pending.delete(id);
      if (!this.closed) this.fail(job.run, chunkError(job.run.task, job.start, job.end, `worker crashed (${e.message})`, e));
    }
    if (!this.closed) {
      void slot.worker.terminate();
      this.dispatch();
    }
  }

  private fail(run: RunState, e: Error): void {
    if (run.done) return;
    run.done = true;
    run.reject(e);
  }

  /** Stops every worker; queued and running chunks reject with a WorkerError. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new WorkerError('WorkerPool: closed while work was pending');
    for (const job of this.queue) this.fail(job.run, err);
    this.queue.length = 0;
    for (const job of this.pending.values()) this.fail(job.run, err);
    this.pending.clear();
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

function chunkError(task: PoolTask<unknown>, start: number, end: number, message: string, cause: unknown): WorkerError {
  return new WorkerError(`${task.fn} (${task.module}) failed on [${start}, ${end}): ${message}`, { cause });
}

let shared: WorkerPool | undefined;

/**
 * The process-wide pool, created on first use with `RECKON_THREADS` threads (default: available parallelism).
 * Its idle workers are unref'd, so it never keeps the process alive and needs no explicit close.
 */
export function getSharedPool(): WorkerPool {
  if (shared === undefined || shared.isClosed) {
    const env = process.env['RECKON_THREADS'];
    const size = env === undefined || env === '' ? undefined : Number(env);
    shared = new WorkerPool(size === undefined ? {} : { size });
  }
  return shared;
}

/** A zero-filled Float32Array on a SharedArrayBuffer. */
export function sharedFloat32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4));
}

/** A zero-filled Float64Array on a SharedArrayBuffer. */
export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

/** A zero-filled Int32Array on a SharedArrayBuffer. */
export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

/** A copy of `a` on a SharedArrayBuffer (same type and contents); `a` itself when it is already shared. */
export function toShared<T extends TypedArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

function chunkDone(task: PoolTask<unknown>, start: number, end: number): void {
  try {
    task.onChunkDone?.(start, end);
  } catch {
    /* a progress callback must not break the run */
  }
}
