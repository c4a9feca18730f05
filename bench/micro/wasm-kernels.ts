/**
 * JavaScript vs WebAssembly (kernels.wat) for the GBDT engine's hottest loop, single thread, on the same arrays: the
 * packed histogram over scattered rows (the level batches). Bins come from the cached
 * synthetic set (bench/out/synthetic-100000.csv, first 80k rows x 30 features; `npm run bench -- tabular` writes it);
 * the rows are a seeded random 50% (as a node's), the packed values seeded integers. Checks that both give the same
 * bits, then prints one JSON line: best of `--reps` interleaved runs of each side, and the ratio.
 *
 *   npx tsx bench/micro/wasm-kernels.ts [--reps 15]
 */
import { readTable } from '../../src/data/read.js';
import { Rng } from '../../src/core/rng.js';
import { buildPackedHistogram, packedHistSize } from '../../src/tabular/gbdt/histogram.js';
import { kernelsFor, wasmArrays } from '../../src/tabular/gbdt/wasm.js';
import { applyBins, fitBins } from '../../src/tabular/tree/binning.js';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1] ?? 15) || 15;
const frame = await readTable(new URL('../out/synthetic-100000.csv', import.meta.url).pathname);
const n = 80_000;
const d = 30;
const x = new Float64Array(n * d);
for (let j = 0; j < d; j++) {
  const v = frame.numeric(`f${j}`).values;
  for (let i = 0; i < n; i++) x[i * d + j] = v[i];
}
const m = { data: x, rows: n, cols: d };
const mapper = fitBins(m, 255, 1);
const size = packedHistSize(d);
const w = wasmArrays({
  B: { kind: 'u8', len: n * d },
  q: { kind: 'f64', len: n },
  rows: { kind: 'i32', len: n },
  feats: { kind: 'i32', len: d },
  hist: { kind: 'f64', len: size },
});
if (w === undefined) throw new Error('WebAssembly kernels unavailable');
const { B, q, rows, feats, hist } = w.arrays;
applyBins(m, mapper, B);
const K = kernelsFor(w.memory);
const rng = new Rng(3);
const P = 2 ** 24;
for (let i = 0; i < n; i++) q[i] = (rng.int(255) - 127) * P + rng.int(256);
let count = 0;
for (let i = 0; i < n; i++) if (rng.float() < 0.5) rows[count++] = i;
for (let f = 0; f < d; f++) feats[f] = f;
const jsHist = new Float64Array(size);

function time(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

// Histogram over the scattered rows.
let js = Infinity;
let wa = Infinity;
for (let r = 0; r < reps; r++) {
  js = Math.min(js, time(() => { jsHist.fill(0); buildPackedHistogram(B, d, rows, 0, count, q, feats, d, jsHist, 0); }));
  wa = Math.min(wa, time(() => { hist.fill(0); K.histRows(B.byteOffset, d, rows.byteOffset, 0, count, q.byteOffset, hist.byteOffset); }));
}
if (!hist.every((v, i) => v === jsHist[i])) throw new Error('histRows differs from buildPackedHistogram');
console.log(JSON.stringify({ kernel: 'packed histogram, 40k scattered rows x 30 features', js_ms: +js.toFixed(3), wasm_ms: +wa.toFixed(3), js_ns_per_update: +((js * 1e6) / (count * d)).toFixed(3), wasm_ns_per_update: +((wa * 1e6) / (count * d)).toFixed(3), speedup: +(js / wa).toFixed(2) }));
