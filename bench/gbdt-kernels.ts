/**
 * Micro-benchmark of the GBDT histogram kernels on the cached synthetic set (bench/out/synthetic-100000.csv, first
 * 80k rows): exact vs packed passes (row index / identity / column-wise / feature blocks), a scattered node,
 * quantisation and partition. Prints the best of 30 runs per kernel (ms and ns per (row, feature) update).
 *
 *   npx tsx bench/gbdt-kernels.ts [kernel ...]
 */
import { readTable } from '../src/data/read.js';
import { applyBins, fitBins, transposeBins } from '../src/tabular/tree/binning.js';
import { buildHistogram, buildPackedHistogram, histSize, packedHistSize } from '../src/tabular/gbdt/histogram.js';
import { quantLimits, quantizeGradients } from '../src/tabular/gbdt/quantize.js';
import { partition } from '../src/tabular/gbdt/grow.js';

const frame = await readTable('bench/out/synthetic-100000.csv');
const n = 80000;
const d = 30;
const X = new Float64Array(n * d);
for (let j = 0; j < d; j++) {
  const v = frame.numeric(`f${j}`).values;
  for (let i = 0; i < n; i++) X[i * d + j] = v[i];
}
const y = frame.numeric('target').values;
const m = { data: X, rows: n, cols: d };
const mapper = fitBins(m, 255, 1);
const B = applyBins(m, mapper);
const Bc = transposeBins(B, n, d);
const gh = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  const p = 1 / (1 + Math.exp(-(Math.sin(i) * 2)));
  gh[2 * i] = p - y[i];
  gh[2 * i + 1] = p * (1 - p);
}
const rowIdx = new Int32Array(n);
for (let i = 0; i < n; i++) rowIdx[i] = i;
const feats = Int32Array.from({ length: d }, (_, i) => i);
const lim = quantLimits(n)!;
const q = new Float64Array(n);
const H = new Float64Array(histSize(d));
const HP = new Float64Array(packedHistSize(d));
const scratch = new Int32Array(n);
const ri2 = new Int32Array(n);
function blk(bs: number): void {
  for (let f0 = 0; f0 < d; f0 += bs) {
    const f1 = Math.min(d, f0 + bs);
    const f4 = f0 + ((f1 - f0) & ~3);
    for (let k = 0; k < n; k++) {
      const r = rowIdx[k];
      const v = q[r];
      const base = r * d;
      let f = f0;
      for (; f < f4; f += 4) {
        HP[(f << 8) | B[base + f]] += v;
        HP[((f + 1) << 8) | B[base + f + 1]] += v;
        HP[((f + 2) << 8) | B[base + f + 2]] += v;
        HP[((f + 3) << 8) | B[base + f + 3]] += v;
      }
      for (; f < f1; f++) HP[(f << 8) | B[base + f]] += v;
    }
  }
}
// A scattered node: every 8th row in a pseudo-random pattern (ascending), as deep nodes after partitions.
const sub: number[] = [];
for (let i = 0; i < n; i++) if (((i * 2654435761) >>> 0) % 8 === 0) sub.push(i);
const subIdx = Int32Array.from(sub);
const ns = subIdx.length;
const tests: Record<string, () => void> = {
  exact: () => { H.fill(0); buildHistogram(B, d, rowIdx, 0, n, gh, feats, d, H, 0); },
  packedIdx: () => { HP.fill(0); buildPackedHistogram(B, d, rowIdx, 0, n, q, feats, d, HP, 0); },
  packedId: () => { HP.fill(0); buildPackedHistogram(B, d, undefined, 0, n, q, feats, d, HP, 0); },
  packedCol: () => { HP.fill(0); for (let f = 0; f < d; f++) { const o = f << 8; const c = f * n; for (let r = 0; r < n; r++) HP[o + Bc[c + r]] += q[r]; } },
  packedCol4: () => { HP.fill(0); for (let f = 0; f < d; f++) { const o = f << 8; const c = f * n; const n4 = n & ~3; let r = 0; for (; r < n4; r += 4) { HP[o + Bc[c + r]] += q[r]; HP[o + Bc[c + r + 1]] += q[r + 1]; HP[o + Bc[c + r + 2]] += q[r + 2]; HP[o + Bc[c + r + 3]] += q[r + 3]; } for (; r < n; r++) HP[o + Bc[c + r]] += q[r]; } },
  packedBlk15: () => { HP.fill(0); blk(15); },
  packedBlk10: () => { HP.fill(0); blk(10); },
  packedBlk8: () => { HP.fill(0); blk(8); },
  scattered: () => { HP.fill(0); buildPackedHistogram(B, d, subIdx, 0, ns, q, feats, d, HP, 0); },
  contiguous: () => { HP.fill(0); buildPackedHistogram(B, d, undefined, 0, ns, q, feats, d, HP, 0); },
  quantize: () => { quantizeGradients(gh, n, lim, 7, q); },
  partition: () => { ri2.set(rowIdx); partition(Bc, n, ri2, 0, n, 3, 128, false, scratch); },
};
const only = process.argv.slice(2);
const best: Record<string, number> = {};
for (let rep = 0; rep < 30; rep++) {
  for (const [k, f] of Object.entries(tests)) {
    if (only.length && !only.includes(k)) continue;
    const t0 = performance.now();
    f();
    const t = performance.now() - t0;
    best[k] = Math.min(best[k] ?? Infinity, t);
  }
}
for (const [k, t] of Object.entries(best)) console.log(k, t.toFixed(2), 'ms', k.startsWith('packed') || k === 'exact' ? ((t * 1e6) / (n * d)).toFixed(2) + ' ns/upd' : '');
