/**
 * Kernel throughput: blocked gemm against the naive triple loop and against NumPy/OpenBLAS (bench/peers/gemm.py,
 * ratios in the same run), gemm spread over the worker pool, dot against its plain twin, and Cholesky solves at ALS
 * sizes. One JSON line per measurement; `load1` is the 1-minute load average when the line was printed (other jobs
 * share this 2-core machine).
 * Usage: npm run bench -- kernels [--quick]
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { dot, dotReference, gemm, gemmReference, solveSpd, type FloatArray } from '../src/core/kernels/index.js';
import { gemmParallel } from '../src/core/parallel.js';
import { WorkerPool, sharedFloat32 } from '../src/core/pool.js';

const quick = process.argv.includes('--quick');
const minMs = quick ? 300 : 1500;
const rng = new Rng(2026);

function fill<T extends FloatArray>(a: T): T {
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

/** Mean milliseconds per call over at least `minMs` (after one warm-up call), and the call count. */
async function time(fn: () => void | Promise<void>, atLeastMs = minMs): Promise<{ ms: number; reps: number }> {
  await fn();
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < atLeastMs || reps < 2) {
    await fn();
    reps++;
    t = performance.now();
  }
  return { ms: (t - t0) / reps, reps };
}

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'kernels', ...o, cpus: availableParallelism(), load1: +loadavg()[0]!.toFixed(2), node: process.version, date: new Date().toISOString() }) + '\n');
}

/** NumPy's GFLOP/s for each shape with `threads` OpenBLAS threads, by label; empty when python3/numpy is missing. */
function numpyPeer(shapes: readonly object[], threads: number): Map<string, number> {
  const script = fileURLToPath(new URL('./peers/gemm.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, JSON.stringify(shapes), String(minMs / 1000)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    encoding: 'utf8',
  });
  const out = new Map<string, number>();
  if (r.status !== 0) {
    process.stderr.write(`kernels bench: NumPy peer unavailable (${r.error?.message ?? r.stderr.trim().split('\n').pop()})\n`);
    return out;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { label: string; gflops: number };
    out.set(o.label, o.gflops);
  }
  return out;
}

const gemmShapes: Array<{ label: string; m: number; k: number; n: number; transB: boolean; dtype: 'f32' | 'f64' }> = [
  { label: 'score users x items (f32, B = item factors)', m: quick ? 500 : 2000, k: 64, n: quick ? 2000 : 5000, transB: true, dtype: 'f32' },
  { label: 'score users x items (f64)', m: quick ? 500 : 2000, k: 64, n: quick ? 2000 : 5000, transB: true, dtype: 'f64' },
  { label: 'square', m: 512, k: 512, n: 512, transB: false, dtype: 'f64' },
  { label: 'factors 128 (f32)', m: 1000, k: 128, n: 2000, transB: true, dtype: 'f32' },
];

const peer1 = numpyPeer(gemmShapes, 1);
for (const s of gemmShapes) {
  const Ctor = s.dtype === 'f32' ? Float32Array : Float64Array;
  const a = fill(new Ctor(s.m * s.k));
  const b = fill(new Ctor(s.k * s.n));
  const c = new Ctor(s.m * s.n);
  const flop = 2 * s.m * s.n * s.k;
  const blocked = await time(() => gemm(a, b, c, s.m, s.k, s.n, { transB: s.transB }));
  const naive = await time(() => gemmReference(a, b, c, s.m, s.k, s.n, { transB: s.transB }), minMs / 2);
  const bg = flop / (blocked.ms * 1e6);
  const ng = flop / (naive.ms * 1e6);
  const np1 = peer1.get(s.label);
  emit({
    kernel: 'gemm', label: s.label, m: s.m, k: s.k, n: s.n, transB: s.transB, dtype: s.dtype,
    blockedGflops: +bg.toFixed(3), naiveGflops: +ng.toFixed(3), ratio: +(bg / ng).toFixed(2),
    numpy1ThreadGflops: np1 === undefined ? null : +np1.toFixed(3), vsNumpy1Thread: np1 === undefined ? null : +(bg / np1).toFixed(3),
    blockedMs: +blocked.ms.toFixed(2), naiveMs: +naive.ms.toFixed(2),
  });
}

{
  // the scoring shape over the worker pool: threads = all cores, against one thread in the same run
  const m = quick ? 1000 : 4000, k = 64, n = quick ? 2000 : 5000;
  const a = fill(sharedFloat32(m * k));
  const b = fill(sharedFloat32(n * k));
  const c = sharedFloat32(m * n);
  const flop = 2 * m * n * k;
  const one = await time(() => gemm(a, b, c, m, k, n, { transB: true }));
  const pool = new WorkerPool();
  const par = await time(() => gemmParallel(a, b, c, m, k, n, { transB: true, pool }));
  await pool.close();
  const g1 = flop / (one.ms * 1e6);
  const gp = flop / (par.ms * 1e6);
  const label = 'score users x items (f32), worker pool vs 1 thread';
  const npAll = numpyPeer([{ label, m, k, n, transB: true, dtype: 'f32' }], pool.size).get(label);
  emit({
    kernel: 'gemmParallel', label, m, k, n, threads: pool.size, gflops: +gp.toFixed(3), oneThreadGflops: +g1.toFixed(3), speedup: +(gp / g1).toFixed(2),
    numpyGflops: npAll === undefined ? null : +npAll.toFixed(3), vsNumpy: npAll === undefined ? null : +(gp / npAll).toFixed(3),
  });
}

for (const n of [64, 1024, 65536]) {
  const x = fill(new Float64Array(n));
  const y = fill(new Float64Array(n));
  const reps = Math.max(1, Math.floor(4_000_000 / n));
  let sink = 0;
  const fast = await time(() => {
    for (let r = 0; r < reps; r++) sink += dot(x, y, n);
  });
  const plain = await time(() => {
    for (let r = 0; r < reps; r++) sink += dotReference(x, y, n);
  });
  const fg = (2 * n * reps) / (fast.ms * 1e6);
  const pg = (2 * n * reps) / (plain.ms * 1e6);
  emit({ kernel: 'dot', n, dtype: 'f64', gflops: +fg.toFixed(3), referenceGflops: +pg.toFixed(3), ratio: +(fg / pg).toFixed(2), sink: Number.isFinite(sink) });
}

for (const f of [16, 64, 128]) {
  const g = fill(new Float64Array(f * f));
  const a = new Float64Array(f * f);
  gemm(g, g, a, f, f, f, { transB: true });
  for (let i = 0; i < f; i++) a[i * f + i] = a[i * f + i]! + f;
  const rhs = fill(new Float64Array(f));
  const out = new Float64Array(f);
  const scratch = new Float64Array(f * f);
  const reps = Math.max(1, Math.floor(2_000_000 / (f * f * f)));
  const r = await time(() => {
    for (let t = 0; t < reps; t++) solveSpd(a, f, rhs, out, scratch);
  });
  const perSolveUs = (r.ms * 1000) / reps;
  emit({ kernel: 'solveSpd', n: f, solvesPerSecond: Math.round(1e6 / perSolveUs), usPerSolve: +perSolveUs.toFixed(2), gflops: +(((f * f * f) / 3 + 2 * f * f) / (perSolveUs * 1e3)).toFixed(3) });
}
