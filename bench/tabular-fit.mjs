/**
 * Fit-time driver for profiling the tree learners on the cached synthetic set (bench/out/synthetic-N.csv, written
 * by `npm run bench -- tabular`): fits one model on the first 80% of rows and prints one JSON line with wall and CPU
 * seconds of fit and the test AUC (to check results are unchanged).
 *
 *   RECKON_LIB=dist node bench/tabular-fit.mjs gbdt|forest [threads] [rows] [fits]   (after `npm run build`)
 *   node --import tsx bench/tabular-fit.mjs gbdt 1                                    (the sources, through tsx)
 *   node --cpu-prof --import tsx bench/tabular-fit.mjs gbdt 1
 *
 * `fits` > 1 fits again in the same process (one line each, `fit` numbering them): the first fit pays for V8 compiling
 * the kernels (in this thread and the workers), the later ones show the steady state (cross-validation, grid search).
 * RECKON_LIB=dist runs the compiled library (`npm run build`) in plain Node, as a user's process loads it; without it
 * the sources run through tsx, whose loader also hooks every module the worker threads import (a cold worker then
 * takes about twice as long to start). Plain JavaScript for that reason: it needs no loader.
 *
 * RECKON_THREAD_CPU=1 (Linux) adds each fit's CPU seconds per thread from /proc/self/task: `main_cpu_s` (this thread),
 * `worker_cpu_s` (the newest thread: the pool worker the fit started or reused) and `other_cpu_s` (V8's compiler and
 * garbage-collector helpers, libuv's pool): where a first fit's compile time shows.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadSynthetic } from './tabular-synthetic.mjs';

const lib = process.env['RECKON_LIB'] === 'dist' ? '../dist' : '../src';
const { GBDTClassifier } = await import(`${lib}/tabular/gbdt/gbdt.js`);
const { rocAuc } = await import(`${lib}/tabular/metrics/index.js`);
const { RandomForestClassifier } = await import(`${lib}/tabular/tree/models.js`);
const model = process.argv[2] ?? 'gbdt';
const threads = Number(process.argv[3] ?? '1');
const rows = Number(process.argv[4] ?? '100000');
const fits = Number(process.argv[5] ?? '1');
const { y, ntr, tr, te } = await loadSynthetic(lib, rows);
const threadCpu = process.env['RECKON_THREAD_CPU'] === '1';
/** CPU seconds so far of every thread of this process, by thread id (utime + stime from /proc, in clock ticks of 10 ms). */
function taskCpu() {
  const out = new Map();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
for (let k = 1; k <= fits; k++) {
  const m = model === 'forest' ? new RandomForestClassifier({ nEstimators: 100, threads }) : new GBDTClassifier({ nEstimators: 100, maxDepth: 6, learningRate: 0.1, threads });
  const before = threadCpu ? taskCpu() : undefined;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await m.fit(tr, y.subarray(0, ntr));
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  let perThread = {};
  if (before !== undefined) {
    const after = taskCpu();
    const newest = Math.max(...after.keys());
    let other = 0;
    for (const [t, v] of after) if (t !== process.pid && t !== newest) other += v - (before.get(t) ?? 0);
    const delta = (t) => (after.get(t) ?? 0) - (before.get(t) ?? 0);
    const r2 = (v) => Math.round(v * 100) / 100;
    perThread = { main_cpu_s: r2(delta(process.pid)), worker_cpu_s: newest === process.pid ? 0 : r2(delta(newest)), other_cpu_s: r2(other) };
  }
  const p = m.predictProba(te);
  const pos = new Float64Array(te.rows);
  for (let i = 0; i < pos.length; i++) pos[i] = p[2 * i + 1];
  console.log(JSON.stringify({ model, threads, rows: ntr, fit: k, fit_s: wall, fit_cpu_s: (c.user + c.system) / 1e6, auc: rocAuc(y.subarray(ntr), pos), load: (await import('node:os')).loadavg()[0], ...perThread }));
}
process.exit(0);
