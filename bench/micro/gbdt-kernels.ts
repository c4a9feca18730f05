/**
 * A/B micro-benchmark of the single-thread GBDT kernels (quantisation, partition, range sums and margins, packed
 * split search, bin edges and bin assignment) on the cached synthetic set (bench/out/synthetic-100000.csv, first 80k
 * rows x 30 features). Loads the kernels from this checkout's src and, with `--base DIR`, also from another copy of
 * src (e.g. `git archive <rev> src | tar -x -C DIR`), runs the two interleaved (best of `--reps` runs each, same
 * conditions) and checks that their outputs agree where they must (packRounded may differ: only its distribution
 * is fixed). A depth-6 tree of seeded random splits supplies realistic node ranges and histograms.
 *
 *   npx tsx bench/micro/gbdt-kernels.ts [--base /tmp/base] [--reps 20] [kernel ...]
 */
import { readTable } from '../../src/data/read.js';
import { Rng } from '../../src/core/rng.js';

import type * as binningModule from '../../src/tabular/tree/binning.js';
import type * as quantizeModule from '../../src/tabular/gbdt/quantize.js';
import type * as growModule from '../../src/tabular/gbdt/grow.js';
import type * as splitModule from '../../src/tabular/gbdt/split.js';
import type * as histModule from '../../src/tabular/gbdt/histogram.js';

type Binning = typeof binningModule;
type Quantize = typeof quantizeModule;
type Grow = typeof growModule;
type Split = typeof splitModule;
type Hist = typeof histModule;
interface Impl {
  name: string;
  binning: Binning;
  quantize: Quantize;
  grow: Grow;
  split: Split;
  hist: Hist;
}

async function load(name: string, root: string): Promise<Impl> {
  return {
    name,
    binning: (await import(`${root}/tabular/tree/binning.ts`)) as Binning,
    quantize: (await import(`${root}/tabular/gbdt/quantize.ts`)) as Quantize,
    grow: (await import(`${root}/tabular/gbdt/grow.ts`)) as Grow,
    split: (await import(`${root}/tabular/gbdt/split.ts`)) as Split,
    hist: (await import(`${root}/tabular/gbdt/histogram.ts`)) as Hist,
  };
}

const args = process.argv.slice(2);
let base: string | undefined;
let reps = 20;
const only: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--base') base = args[++i];
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else only.push(args[i]!);
}
const here = new URL('../../src', import.meta.url).pathname;
const impls: Impl[] = [];
if (base !== undefined) impls.push(await load('base', `${base.replace(/\/$/, '')}/src`));
impls.push(await load('new', here));
const ref = impls[impls.length - 1]!;

const frame = await readTable(new URL('../out/synthetic-100000.csv', import.meta.url).pathname);
const n = 80000;
const d = 30;
const X = new Float64Array(n * d);
for (let j = 0; j < d; j++) {
  const v = frame.numeric(`f${j}`).values;
  for (let i = 0; i < n; i++) X[i * d + j] = v[i]!;
}
const y = frame.numeric('target').values;
const m = { data: X, rows: n, cols: d };
const sample = ref.binning.binSampleRows(n, 1);
const mapper = ref.binning.fitBins(m, 255, 1);
const B = ref.binning.applyBins(m, mapper);
const Bc = ref.binning.transposeBins(B, n, d);
const nBins = Int32Array.from(mapper.cuts, (c) => c.length);
const gh = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  const p = 1 / (1 + Math.exp(-(Math.sin(i) * 2)));
  gh[2 * i] = p - y[i]!;
  gh[2 * i + 1] = p * (1 - p);
}
const lim = ref.quantize.quantLimits(n)!;
const q = new Float64Array(n);
const sc = ref.quantize.quantizeGradients(gh, n, lim, 7, q);
const P = 2 ** lim.shift;
const feats = Int32Array.from({ length: d }, (_, i) => i);
const sp = { lambda: 1, alpha: 0, gamma: 0, minChildWeight: 1 };

// A depth-6 tree of random splits (feature, bin near the node's median): the ranges of every level.
const rng = new Rng(3);
const levels: Int32Array[] = []; // per level: [start, end, f, bin, defaultLeft, -] per node (partition tasks)
const rowIdx0 = Int32Array.from({ length: n }, (_, i) => i);
{
  const ri = rowIdx0.slice();
  const scratch = new Int32Array(n);
  let ranges = [[0, n]];
  for (let depth = 0; depth < 6; depth++) {
    const t = new Int32Array(6 * ranges.length);
    const next: number[][] = [];
    ranges.forEach(([s, e], k) => {
      const f = rng.int(d);
      const col = f * n;
      const bins = Array.from({ length: e! - s! }, (_, j) => Bc[col + ri[s! + j]!]!).sort((a, b) => a - b);
      const bin = bins[Math.floor(bins.length * (0.2 + 0.6 * rng.float()))] ?? 0;
      t.set([s!, e!, f, bin, rng.float() < 0.5 ? 1 : 0, 0], 6 * k);
      const mid = ref.grow.partition(Bc, n, ri, s!, e!, f, bin, t[6 * k + 4] === 1, scratch);
      next.push([s!, mid], [mid, e!]);
    });
    levels.push(t);
    ranges = next;
  }
}
// Nodes of all levels with their packed histograms and integer sums, for the split search.
const nodeHist: Float64Array[] = [];
const nodeHistExact: Float64Array[] = [];
const nodeGH: number[] = [];
const nodeG: number[] = [];
const nodeH: number[] = [];
{
  const ri = rowIdx0.slice();
  const scratch = new Int32Array(n);
  for (const t of levels) {
    for (let k = 0; k < t.length / 6; k++) {
      const [s, e, f, bin, dl] = t.subarray(6 * k, 6 * k + 5);
      const h = new Float64Array(ref.hist.packedHistSize(d));
      ref.hist.buildPackedHistogram(B, d, ri, s!, e!, q, feats, d, h, 0);
      let V = 0;
      for (let j = s!; j < e!; j++) V += q[ri[j]!]!;
      nodeHist.push(h);
      const he = new Float64Array(ref.hist.histSize(d));
      ref.hist.buildHistogram(B, d, ri, s!, e!, gh, feats, d, he, 0);
      let Ge = 0;
      let He = 0;
      for (let j = s!; j < e!; j++) {
        Ge += gh[2 * ri[j]!]!;
        He += gh[2 * ri[j]! + 1]!;
      }
      nodeHistExact.push(he);
      nodeGH.push(Ge, He);
      nodeG.push(ref.quantize.unpackG(V, lim.shift));
      nodeH.push(ref.quantize.unpackH(V, lim.shift));
      ref.grow.partition(Bc, n, ri, s!, e!, f!, bin!, dl === 1, scratch);
    }
  }
}
// The last level as final ranges (rangeSums / addRangeValues info: [start, end, f, bin, defaultLeft, -]).
const lastInfo = levels[levels.length - 1]!;
const nR = lastInfo.length / 6;
const vals = Float64Array.from({ length: 2 * nR }, (_, i) => Math.sin(i));
const rowIdxLast = rowIdx0.slice();
{
  const scratch = new Int32Array(n);
  for (const t of levels.slice(0, -1)) for (let k = 0; k < t.length / 6; k++) ref.grow.partition(Bc, n, rowIdxLast, t[6 * k]!, t[6 * k + 1]!, t[6 * k + 2]!, t[6 * k + 3]!, t[6 * k + 4] === 1, scratch);
}

interface State {
  q: Float64Array;
  ri: Int32Array;
  mids: Int32Array;
  scratch: Int32Array;
  sums: Float64Array;
  margin: Float64Array;
  splits: Float64Array;
  exactSplits: Float64Array;
  cuts: Float64Array[];
  B: Uint8Array;
  Bc: Uint8Array;
}
function state(): State {
  return {
    q: new Float64Array(n),
    ri: new Int32Array(n),
    mids: new Int32Array(64),
    scratch: new Int32Array(n),
    sums: new Float64Array(4 * nR),
    margin: new Float64Array(n),
    splits: new Float64Array(6 * nodeHist.length),
    exactSplits: new Float64Array(6 * nodeHist.length),
    cuts: [],
    B: new Uint8Array(n * d),
    Bc: new Uint8Array(n * d),
  };
}
const states = impls.map(state);

const kernels: Record<string, (k: Impl, st: State) => void> = {
  packRounded: (k, st) => k.quantize.packRounded(gh, 0, n, 1 / sc.gScale, 1 / sc.hScale, lim.gLevels, lim.hLevels, P, 12345, st.q),
  partition: (k, st) => {
    st.ri.set(rowIdx0);
    let c = 0;
    for (const t of levels) for (let j = 0; j < t.length / 6; j++) st.mids[c++] = k.grow.partition(Bc, n, st.ri, t[6 * j]!, t[6 * j + 1]!, t[6 * j + 2]!, t[6 * j + 3]!, t[6 * j + 4] === 1, st.scratch);
  },
  rangeSums: (k, st) => {
    for (let j = 0; j < nR; j++) k.grow.rangeSums(Bc, n, rowIdxLast, gh, lastInfo, j, st.sums);
  },
  addRangeValues: (k, st) => {
    for (let j = 0; j < nR; j++) k.grow.addRangeValues(Bc, n, rowIdxLast, lastInfo, j, vals, st.margin, 1, 0);
  },
  findBestSplitPacked: (k, st) => {
    const out = { gain: 0, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0 };
    for (let j = 0; j < nodeHist.length; j++) {
      k.split.findBestSplitPacked(nodeHist[j]!, 0, feats, d, nBins, nodeG[j]!, nodeH[j]!, sc.gScale, sc.hScale, lim.shift, sp, out);
      st.splits.set([out.gain, out.feature, out.bin, out.defaultLeft ? 1 : 0, out.GL, out.HL], 6 * j);
    }
  },
  findBestSplit: (k, st) => {
    const out = { gain: 0, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0 };
    for (let j = 0; j < nodeHistExact.length; j++) {
      k.split.findBestSplit(nodeHistExact[j]!, 0, feats, d, nBins, nodeGH[2 * j]!, nodeGH[2 * j + 1]!, sp, out);
      st.exactSplits.set([out.gain, out.feature, out.bin, out.defaultLeft ? 1 : 0, out.GL, out.HL], 6 * j);
    }
  },
  fitBinCuts: (k, st) => {
    st.cuts = k.binning.fitBinCuts(m, sample, 255, 0, d);
  },
  applyBinsRows: (k, st) => k.binning.applyBinsRows(m, mapper, st.B, st.Bc, 0, n),
  applyBins: (k, st) => {
    k.binning.applyBins(m, mapper, st.B);
  },
  transposeBins: (k, st) => {
    k.binning.transposeBins(B, n, d, st.Bc);
  },
  applyBinsColumns: (k, st) => {
    k.binning.applyBinsColumns(m, mapper, st.Bc);
  },
};

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const names = Object.keys(kernels).filter((k) => only.length === 0 || only.includes(k));
const best = new Map<string, number>();
for (let rep = 0; rep < reps; rep++) {
  for (const name of names) {
    for (let i = 0; i < impls.length; i++) {
      const t0 = performance.now();
      kernels[name]!(impls[i]!, states[i]!);
      const t = performance.now() - t0;
      const key = `${name}\t${impls[i]!.name}`;
      best.set(key, Math.min(best.get(key) ?? Infinity, t));
    }
  }
}
const fmt = (t: number | undefined): string => (t === undefined ? '' : t.toFixed(2).padStart(8));
console.log(`kernel               ${impls.map((k) => k.name.padStart(8)).join('')}  (best of ${reps}, ms)`);
for (const name of names) console.log(name.padEnd(21) + impls.map((k) => fmt(best.get(`${name}\t${k.name}`))).join(''));
if (impls.length === 2) {
  const [a, b] = states as [State, State];
  const checks: [string, string, boolean][] = [
    ['partition', 'partition rows', same(a.ri, b.ri) && same(a.mids, b.mids)],
    ['rangeSums', 'rangeSums', same(a.sums, b.sums)],
    ['addRangeValues', 'addRangeValues margins', same(a.margin, b.margin)],
    ['findBestSplitPacked', 'splits', same(a.splits, b.splits)],
    ['findBestSplit', 'exact splits', same(a.exactSplits, b.exactSplits)],
    ['fitBinCuts', 'cuts', a.cuts.length === b.cuts.length && a.cuts.every((c, i) => same(c, b.cuts[i]!))],
    ['applyBinsRows', 'bins', same(a.B, b.B) && same(a.Bc, b.Bc)],
  ];
  for (const [kernel, what, ok] of checks) if (names.includes(kernel)) console.log(`${what}: ${ok ? 'identical' : 'DIFFERENT'}`);
}
