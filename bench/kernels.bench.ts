/**
 * Kernel throughput: blocked gemm against the naive triple loop and against NumPy/OpenBLAS (bench/peers/gemm.py,
 * ratios in the same run), gemm spread over the worker pool, dot against its plain twin, and Cholesky solves at ALS
 * sizes. One JSON line per measurement; `load1` is the 1-minute load average when the line was printed (other jobs
 * share this 2-core machine).
 * Times are the best of 5 rounds. Single-thread figures come twice: from wall-clock time (`...Gflops`) and from the
 * process's CPU time (`...GflopsCpu`, also on the NumPy side), which is far less disturbed by the other jobs.
 * Usage: npm run bench -- kernels [--quick]
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { dot, dotReference, gemm, gemmReference, gemv, gemvReference, solveSpd, type FloatArray } from '../src/core/kernels/index.js';
import { gemmParallel } from '../src/core/parallel.js';
import { WorkerPool, sharedFloat32 } from '../src/core/pool.js';

const quick = process.argv.includes('--quick');
const minMs = quick ? 300 : 1500;
const rng = new Rng(2026);

function fill<T extends FloatArray>(a: T): T {
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

/**
 * Milliseconds per call: the best of 5 rounds of at least `atLeastMs / 5` each (after one warm-up call), by wall clock
 * and by CPU time of this process (user + system; meaningful for single-threaded work only).
 */
async function time(fn: () => void | Promise<void>, atLeastMs = minMs): Promise<{ ms: number; cpuMs: number }> {
  await fn();
  let best = Infinity;
  let bestCpu = Infinity;
  for (let round = 0; round < 5; round++) {
    let reps = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < atLeastMs / 5 || reps < 1) {
      await fn();
      reps++;
      t = performance.now();
    }
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, (t - t0) / reps);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000 / reps);
  }
  return { ms: best, cpuMs: bestCpu };
}

const gf = (flop: number, ms: number): number => +(flop / (ms * 1e6)).toFixed(3);

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'kernels', ...o, cpus: availableParallelism(), load1: +loadavg()[0]!.toFixed(2), node: process.version, date: new Date().toISOString() }) + '\n');
}

/** NumPy's GFLOP/s (wall, CPU) for each shape with `threads` OpenBLAS threads, by label; empty when python3/numpy is missing. */
function numpyPeer(shapes: readonly object[], threads: number): Map<string, { gflops: number; gflopsCpu: number }> {
  const script = fileURLToPath(new URL('./peers/gemm.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, JSON.stringify(shapes), String(minMs / 1000)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    encoding: 'utf8',
  });
  const out = new Map<string, { gflops: number; gflopsCpu: number }>();
  if (r.status !== 0) {
    process.stderr.write(`kernels bench: NumPy peer unavailable (${r.error?.message ?? r.stderr.trim().split('\n').pop()})\n`);
    return out;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { label: string; gflops: number; gflopsCpu: number };
    out.set(o.label, { gflops: o.gflops, gflopsCpu: o.gflopsCpu });
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
  // all-float32 operands take the WebAssembly SIMD path by default; also time the scalar double-accumulating path
  const scalar = s.dtype === 'f32' ? await time(() => gemm(a, b, c, s.m, s.k, s.n, { transB: s.transB, simd: false })) : blocked;
  const naive = await time(() => gemmReference(a, b, c, s.m, s.k, s.n, { transB: s.transB }), minMs / 2);
  const np1 = peer1.get(s.label);
  const r = (x: number, y: number | undefined): number | null => (y === undefined ? null : +(x / y).toFixed(3));
  emit({
    kernel: 'gemm', label: s.label, m: s.m, k: s.k, n: s.n, transB: s.transB, dtype: s.dtype, path: s.dtype === 'f32' ? 'wasm-simd' : 'scalar',
    blockedGflops: gf(flop, blocked.ms), blockedGflopsCpu: gf(flop, blocked.cpuMs), scalarPathGflopsCpu: gf(flop, scalar.cpuMs),
    naiveGflops: gf(flop, naive.ms), naiveGflopsCpu: gf(flop, naive.cpuMs),
    ratio: r(naive.ms, blocked.ms), ratioCpu: r(naive.cpuMs, blocked.cpuMs),
    numpy1ThreadGflops: np1?.gflops ?? null, numpy1ThreadGflopsCpu: np1?.gflopsCpu ?? null,
    vsNumpy1Thread: r(gf(flop, blocked.ms), np1?.gflops), vsNumpy1ThreadCpu: r(gf(flop, blocked.cpuMs), np1?.gflopsCpu),
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
  const gp = flop / (par.ms * 1e6); // wall clock: CPU time would add up both threads
  const label = 'score users x items (f32), worker pool vs 1 thread';
  const npAll = numpyPeer([{ label, m, k, n, transB: true, dtype: 'f32' }], pool.size).get(label);
  emit({
    kernel: 'gemmParallel', label, m, k, n, threads: pool.size, gflops: +gp.toFixed(3), oneThreadGflops: +g1.toFixed(3), speedup: +(gp / g1).toFixed(2),
    numpyGflops: npAll === undefined ? null : +npAll.gflops.toFixed(3), vsNumpy: npAll === undefined ? null : +(gp / npAll.gflops).toFixed(3),
  });
}

{
  // one user against every item: gemv over item factors (items x factors, f32)
  const items = quick ? 20_000 : 50_000, k = 64;
  const v = fill(new Float32Array(items * k));
  const u = fill(new Float32Array(k));
  const scores = new Float32Array(items);
  const flop = 2 * items * k;
  const fast = await time(() => gemv(v, u, scores, items, k));
  const naive = await time(() => gemvReference(v, u, scores, items, k));
  emit({
    kernel: 'gemv', label: 'score one user against all items (f32)', items, k, msPerUser: +fast.ms.toFixed(3), msPerUserCpu: +fast.cpuMs.toFixed(3),
    gflopsCpu: gf(flop, fast.cpuMs), referenceGflopsCpu: gf(flop, naive.cpuMs), ratioCpu: +(naive.cpuMs / fast.cpuMs).toFixed(2),
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
  const flop = 2 * n * reps;
  emit({
    kernel: 'dot', n, dtype: 'f64', gflops: gf(flop, fast.ms), gflopsCpu: gf(flop, fast.cpuMs), referenceGflops: gf(flop, plain.ms), referenceGflopsCpu: gf(flop, plain.cpuMs),
    ratio: +(plain.ms / fast.ms).toFixed(2), ratioCpu: +(plain.cpuMs / fast.cpuMs).toFixed(2), sink: Number.isFinite(sink),
  });
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
  const perSolveUs = (r.cpuMs * 1000) / reps; // CPU time
  emit({ kernel: 'solveSpd', n: f, solvesPerSecond: Math.round(1e6 / perSolveUs), usPerSolve: +perSolveUs.toFixed(2), gflops: +(((f * f * f) / 3 + 2 * f * f) / (perSolveUs * 1e3)).toFixed(3) });
}
