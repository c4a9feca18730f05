/**
 * Micro-benchmark behind docs/neural.md's engine figures: one full-catalog softmax cross-entropy pass (scores,
 * log-softmax, gradients to h and to the item table) for 2048 rows x 1682 items x 64 dims, and the score gemm
 * alone. Prints wall-clock GFLOP/s and this process's CPU seconds (the machine is shared).
 * Usage: node --import tsx bench/micro/softmax-ce.ts
 */
import { gemm } from '../../src/core/kernels/gemm.js';
import { Rng } from '../../src/core/rng.js';
import { Param } from '../../src/recommenders/neural/nn/param.js';
import { SoftmaxCrossEntropy } from '../../src/recommenders/neural/nn/softmax-ce.js';

const rng = new Rng(1);
const rows = 2048;
const n = 1682;
const d = 64;
const E = new Param('E', n, d, false).initNormal(rng, 0.1);
const h = new Float32Array(rows * d);
for (let k = 0; k < h.length; k++) h[k] = rng.normal(0, 1);
const t = new Int32Array(rows);
for (let k = 0; k < rows; k++) t[k] = rng.int(n);
const ce = new SoftmaxCrossEntropy();
const dh = new Float32Array(rows * d);
ce.forwardBackward(h, rows, E, t, dh, 1 / rows);
const c0 = process.cpuUsage().user;
let t0 = performance.now();
for (let r = 0; r < 3; r++) ce.forwardBackward(h, rows, E, t, dh, 1 / rows);
const ms = (performance.now() - t0) / 3;
const ceCpu = (process.cpuUsage().user - c0) / 3e3;
const S = new Float32Array(rows * n);
const c1 = process.cpuUsage().user;
t0 = performance.now();
for (let r = 0; r < 3; r++) gemm(h, E.data, S, rows, d, n, { transB: true });
const gms = (performance.now() - t0) / 3;
const gCpu = (process.cpuUsage().user - c1) / 3e3;
const flopsCe = 3 * 2 * rows * n * d;
const flopsG = 2 * rows * n * d;
process.stdout.write(
  JSON.stringify({ rows, items: n, dim: d, ceWallMs: ms, ceCpuMs: ceCpu, ceGflopsPerCpuSecond: flopsCe / ceCpu / 1e6, gemmWallMs: gms, gemmCpuMs: gCpu, gemmGflopsPerCpuSecond: flopsG / gCpu / 1e6 }) + '\n',
);
