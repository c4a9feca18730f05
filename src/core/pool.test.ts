import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, InvalidArgumentError, WorkerError } from './errors.js';
import { gemm } from './kernels/gemm.js';
import { gemmReference } from './kernels/reference.js';
import { gemmParallel } from './parallel.js';
import { WorkerPool, chunkBounds, getSharedPool, kernelModuleUrl, sharedFloat32, sharedFloat64, sharedInt32, toShared } from './pool.js';
import { Rng } from './rng.js';

const fixture = kernelModuleUrl(import.meta.url, './test-support/pool-fixture.js');
const pools: WorkerPool[] = [];
function pool(size: number): WorkerPool {
  const p = new WorkerPool({ size });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('WorkerPool maxWorkers', () => {
  it('runs a task on at most maxWorkers workers at once, and on all of them without it', async () => {
    const p = new WorkerPool({ size: 3 });
    try {
      // Warm up: three chunks start the three workers (a cold one boots in tens of milliseconds, longer than a chunk).
      await p.run({ module: fixture, fn: 'countConcurrent', args: { active: sharedInt32(3) }, total: 3, chunks: 3 });
      expect(p.workers).toBe(3);
      const capped = sharedInt32(3);
      const threads = await p.run<{ active: Int32Array }, number>({ module: fixture, fn: 'countConcurrent', args: { active: capped }, total: 9, chunks: 9, maxWorkers: 2 });
      expect(threads).toHaveLength(9);
      expect(capped[1]).toBe(2);
      expect(capped[0]).toBe(0);
      const free = sharedInt32(3);
      await p.run({ module: fixture, fn: 'countConcurrent', args: { active: free }, total: 9, chunks: 9 });
      expect(free[1]).toBe(3);
      // A capped task leaves the other workers to other tasks: two tasks of cap 1, counted together, run side by
      // side (two at once), never more.
      const shared = sharedInt32(3);
      await Promise.all([
        p.run({ module: fixture, fn: 'countConcurrent', args: { active: shared }, total: 4, chunks: 4, maxWorkers: 1 }),
        p.run({ module: fixture, fn: 'countConcurrent', args: { active: shared }, total: 4, chunks: 4, maxWorkers: 1 }),
      ]);
      expect(shared[1]).toBe(2);
      await expect(p.run({ module: fixture, fn: 'countConcurrent', args: { active: shared }, total: 1, maxWorkers: 0 })).rejects.toThrow(/maxWorkers/);
    } finally {
      await p.close();
    }
  });
});

describe('kernelModuleUrl', () => {
  it('points at the .ts twin from a .ts caller and keeps .js from a .js caller', () => {
    expect(kernelModuleUrl('file:///x/src/core/a.ts', './k.js')).toBe('file:///x/src/core/k.ts');
    expect(kernelModuleUrl('file:///x/dist/core/a.js', './k.js')).toBe('file:///x/dist/core/k.js');
    expect(kernelModuleUrl('file:///x/dist/core/a.js', '../kernels/k.js')).toBe('file:///x/dist/kernels/k.js');
  });
});

describe('chunkBounds', () => {
  it('covers [0, total) with contiguous ranges differing by at most one', () => {
    for (const [total, count] of [[10, 3], [7, 7], [100, 8], [5, 1]] as const) {
      const b = chunkBounds(total, count);
      expect(b[0]).toBe(0);
      expect(b[count]).toBe(total);
      const sizes = Array.from({ length: count }, (_, c) => b[c + 1]! - b[c]!);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('shared arrays', () => {
  it('allocate on SharedArrayBuffer and toShared copies contents', () => {
    expect(sharedFloat32(3).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sharedFloat64(3).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sharedInt32(3).buffer).toBeInstanceOf(SharedArrayBuffer);
    const a = Int32Array.of(1, -2, 3);
    const s = toShared(a);
    expect(s).toBeInstanceOf(Int32Array);
    expect(s.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(s)).toEqual([1, -2, 3]);
    expect(toShared(s)).toBe(s);
  });
});

describe('WorkerPool', () => {
  it('preloads a kernel module on idle workers that later runs use', async () => {
    const p = pool(2);
    expect(p.workers).toBe(0);
    p.preload(fixture, 1);
    expect(p.workers).toBe(1);
    // Asking again neither starts more workers nor imports again; more than the pool size is capped.
    p.preload(fixture, 1);
    expect(p.workers).toBe(1);
    // Give the worker time to boot and import the module, then run on it: the module was imported before the run.
    await new Promise((r) => setTimeout(r, 1500));
    const issued = performance.timeOrigin + performance.now();
    const [info] = await p.run<null, { importedAt: number; threadId: number }>({ module: fixture, fn: 'importInfo', args: null, total: 1, offload: true });
    expect(p.workers).toBe(1);
    expect(info!.threadId).toBeGreaterThan(0);
    expect(info!.importedAt).toBeLessThan(issued);
    p.preload(fixture, 9);
    expect(p.workers).toBe(2);
    // A module that cannot be imported: the preload is silent, the run that needs it fails with the reason.
    const missing = kernelModuleUrl(import.meta.url, './test-support/no-such-module.js');
    p.preload(missing, 2);
    await expect(p.run({ module: missing, fn: 'x', args: null, total: 2, chunks: 2 })).rejects.toThrow(WorkerError);
    expect(await p.run<null, boolean>({ module: fixture, fn: 'onMainThread', args: null, total: 2, chunks: 2 })).toEqual([false, false]);
    // One-thread pools run inline: nothing to start.
    const one = pool(1);
    one.preload(fixture, 1);
    expect(one.workers).toBe(0);
  });

  it('counts the workers that are free with a module loaded (readyWorkers)', async () => {
    const p = pool(2);
    expect(p.readyWorkers(fixture)).toBe(0);
    p.preload(fixture, 1);
    expect(p.readyWorkers(fixture)).toBe(1);
    const other = kernelModuleUrl(import.meta.url, './test-support/no-such-module.js');
    expect(p.readyWorkers(other)).toBe(0);
    // While its task runs the worker is not free; a worker started for a task counts as loaded afterwards.
    const running = p.run<null, boolean>({ module: fixture, fn: 'onMainThread', args: null, total: 2, chunks: 2 });
    expect(p.readyWorkers(fixture)).toBe(0);
    expect(await running).toEqual([false, false]);
    expect(p.readyWorkers(fixture)).toBe(2);
  });

  it('runs a single chunk inline unless asked to offload it', async () => {
    const p = pool(2);
    expect(await p.run<null, boolean>({ module: fixture, fn: 'onMainThread', args: null, total: 1 })).toEqual([true]);
    expect(await p.run<null, boolean>({ module: fixture, fn: 'onMainThread', args: null, total: 1, offload: true })).toEqual([false]);
  });

  it('reports every chunk once through onChunkDone, on workers and inline', async () => {
    for (const size of [1, 2]) {
      const seen: [number, number][] = [];
      const parts = await pool(size).run<null, [number, number]>({ module: fixture, fn: 'describeRange', args: null, total: 103, chunks: 7, onChunkDone: (s, e) => seen.push([s, e]) });
      expect(seen).toHaveLength(7);
      expect(seen.map(([s, e]) => e - s).reduce((a, b) => a + b, 0)).toBe(103);
      expect([...seen].sort((a, b) => a[0] - b[0])).toEqual(parts);
    }
    // a throwing callback does not break the run
    const r = await pool(2).run<null, [number, number]>({ module: fixture, fn: 'describeRange', args: null, total: 10, chunks: 2, onChunkDone: () => { throw new Error('x'); } });
    expect(r).toEqual([[0, 5], [5, 10]]);
  });

  it('gives identical results inline and with 2 workers on a shared array', async () => {
    const n = 1001;
    const inline = sharedFloat64(n);
    const threaded = sharedFloat64(n);
    const r1 = await pool(1).run<{ out: Float64Array; scale: number }, number>({ module: fixture, fn: 'fillPattern', args: { out: inline, scale: 3 }, total: n, chunks: 8 });
    const r2 = await pool(2).run<{ out: Float64Array; scale: number }, number>({ module: fixture, fn: 'fillPattern', args: { out: threaded, scale: 3 }, total: n, chunks: 8 });
    expect(r1).toEqual(r2);
    expect(r1.reduce((a, b) => a + b, 0)).toBe(n);
    expect(Array.from(threaded)).toEqual(Array.from(inline));
    expect(inline[10]).toBe(3 * Math.sin(10) + 100);
  });

  it('returns chunk results in chunk order and honours chunks / minChunkSize', async () => {
    const p = pool(2);
    const r = await p.run<null, [number, number]>({ module: fixture, fn: 'describeRange', args: null, total: 10, chunks: 4 });
    expect(r).toEqual([[0, 2], [2, 5], [5, 7], [7, 10]]);
    const def = await p.run<null, [number, number]>({ module: fixture, fn: 'describeRange', args: null, total: 100 });
    expect(def.length).toBe(8); // size x 4
    const capped = await p.run<null, [number, number]>({ module: fixture, fn: 'describeRange', args: null, total: 100, minChunkSize: 40 });
    expect(capped).toEqual([[0, 33], [33, 66], [66, 100]]);
    expect(await p.run({ module: fixture, fn: 'describeRange', args: null, total: 0 })).toEqual([]);
    expect(await p.run({ module: fixture, fn: 'describeRange', args: null, total: 3, chunks: 10 })).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('computes a blocked matrix product by row ranges in workers, matching the reference', async () => {
    const rng = new Rng(5);
    const m = 37, k = 16, n = 29;
    const a = sharedFloat32(m * k), b = sharedFloat32(n * k), c = sharedFloat32(m * n);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    for (let i = 0; i < b.length; i++) b[i] = rng.normal();
    await pool(2).run({ module: fixture, fn: 'gemmRows', args: { a, b, c, k, n }, total: m, chunks: 5 });
    const ref = new Float64Array(m * n);
    gemmReference(a, b, ref, m, k, n, { transB: true });
    for (let t = 0; t < ref.length; t++) expect(c[t]).toBeCloseTo(ref[t]!, 4);
  });

  it('rejects with a WorkerError carrying the original message and code, inline and threaded', async () => {
    for (const size of [1, 2]) {
      const p = pool(size);
      const err = await p.run({ module: fixture, fn: 'throwAt', args: { at: 42 }, total: 100 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkerError);
      const we = err as WorkerError;
      expect(we.code).toBe(ErrorCode.Worker);
      expect(we.message).toMatch(/throwAt .*failed on \[\d+, \d+\): .*boom at 42/);
      const cause = we.cause as Error & { code?: string };
      expect(cause.message).toContain('boom at 42');
      expect(cause.code).toBe(ErrorCode.InvalidArgument);
      expect(cause.stack).toContain('throwAt');
      // the pool still works afterwards
      const ok = await p.run<{ at: number }, number>({ module: fixture, fn: 'throwAt', args: { at: -1 }, total: 10 });
      expect(ok.reduce((x, y) => x + y, 0)).toBe(10);
    }
  });

  it('rejects for a missing export or module', async () => {
    const p = pool(2);
    await expect(p.run({ module: fixture, fn: 'nope', args: null, total: 4 })).rejects.toThrow(/no exported function "nope"/);
    await expect(p.run({ module: kernelModuleUrl(import.meta.url, './does-not-exist.js'), fn: 'x', args: null, total: 4 })).rejects.toBeInstanceOf(WorkerError);
  });

  it('rejects args or results that cannot be cloned across threads', async () => {
    const p = pool(2);
    await expect(p.run({ module: fixture, fn: 'describeRange', args: { f: () => 1 }, total: 4 })).rejects.toThrow(/could not send args to a worker/);
    await expect(p.run({ module: fixture, fn: 'returnFunction', args: null, total: 4 })).rejects.toThrow(/returnFunction .*could not be cloned/);
    expect((await p.run({ module: fixture, fn: 'describeRange', args: null, total: 2 })).length).toBe(2);
  });

  it('replaces a crashed worker', async () => {
    const p = pool(2);
    const err = await p.run({ module: fixture, fn: 'crashWorker', args: null, total: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as Error).message).toMatch(/worker crashed .*code 7/);
    const out = sharedFloat64(50);
    const r = await p.run<{ out: Float64Array; scale: number }, number>({ module: fixture, fn: 'fillPattern', args: { out, scale: 1 }, total: 50 });
    expect(r.reduce((x, y) => x + y, 0)).toBe(50);
    expect(out[49]).toBe(Math.sin(49) + 49 * 49);
  });

  it('validates its inputs and refuses work after close', async () => {
    expect(() => new WorkerPool({ size: 0 })).toThrow(InvalidArgumentError);
    const p = pool(2);
    await expect(p.run({ module: fixture, fn: 'describeRange', args: null, total: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(p.run({ module: fixture, fn: 'describeRange', args: null, total: 3, chunks: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await p.close();
    expect(p.isClosed).toBe(true);
    await expect(p.run({ module: fixture, fn: 'describeRange', args: null, total: 3 })).rejects.toBeInstanceOf(WorkerError);
  });

  it('getSharedPool returns one pool per process', () => {
    expect(getSharedPool()).toBe(getSharedPool());
    expect(getSharedPool().size).toBeGreaterThanOrEqual(1);
  });
});

describe('process lifetime', () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const script = (poolUrl: string, fixtureUrl: string): string => `
    import { getSharedPool, sharedFloat64 } from ${JSON.stringify(poolUrl)};
    const out = sharedFloat64(1000);
    const r = await getSharedPool().run({ module: ${JSON.stringify(fixtureUrl)}, fn: 'fillPattern', args: { out, scale: 2 }, total: 1000 });
    process.stdout.write(JSON.stringify({ chunks: r.length, last: out[999] }));
  `;

  it('exits without closing the shared pool (TypeScript sources through tsx)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-pool-'));
    try {
      const file = join(dir, 'main.mts');
      writeFileSync(file, script(pathToFileURL(join(here, 'pool.ts')).href, pathToFileURL(join(here, 'test-support/pool-fixture.ts')).href));
      const out = execFileSync(process.execPath, ['--import', tsx, file], { timeout: 30_000, env: { ...process.env, RECKON_THREADS: '2' } }).toString();
      expect(JSON.parse(out)).toEqual({ chunks: 8, last: 2 * Math.sin(999) + 999 * 999 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works from compiled JavaScript without tsx and exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-pool-js-'));
    try {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const files = ['pool.ts', 'pool-worker.ts', 'pool-kernel.ts', 'test-support/pool-fixture.ts', 'errors.ts', 'kernels/gemm.ts', 'kernels/types.ts'].map((f) => join(here, f));
      execFileSync(process.execPath, [tsc, '--outDir', dir, '--rootDir', here, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', ...files], { timeout: 60_000 });
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const file = join(dir, 'main.mjs');
      writeFileSync(file, script(pathToFileURL(join(dir, 'pool.js')).href, pathToFileURL(join(dir, 'test-support/pool-fixture.js')).href));
      const out = execFileSync(process.execPath, [file], { timeout: 30_000, env: { ...process.env, RECKON_THREADS: '2' } }).toString();
      expect(JSON.parse(out)).toEqual({ chunks: 8, last: 2 * Math.sin(999) + 999 * 999 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gemmParallel', () => {
  it('equals the single-threaded gemm bit for bit, and requires shared memory with several threads', async () => {
    const rng = new Rng(9);
    const m = 50, k = 12, n = 33;
    const a = sharedFloat32(m * k), b = sharedFloat32(n * k);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    for (let i = 0; i < b.length; i++) b[i] = rng.normal();
    const c1 = sharedFloat32(m * n), c2 = new Float32Array(m * n);
    await gemmParallel(a, b, c1, m, k, n, { transB: true, pool: pool(2), minRows: 4 });
    gemm(a, b, c2, m, k, n, { transB: true });
    expect(Array.from(c1)).toEqual(Array.from(c2));
    await expect(gemmParallel(a, b, new Float32Array(m * n), m, k, n, { transB: true, pool: pool(2) })).rejects.toThrow(/SharedArrayBuffer/);
    await expect(gemmParallel(a, b, c1, m, k, n, { transA: true, pool: pool(2) })).rejects.toThrow(/transA is not supported/);
    const c3 = new Float32Array(m * n);
    await gemmParallel(Float32Array.from(a), Float32Array.from(b), c3, m, k, n, { transB: true, pool: pool(1) });
    expect(Array.from(c3)).toEqual(Array.from(c2));
  });
});
