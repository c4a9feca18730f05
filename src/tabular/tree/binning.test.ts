import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { Matrix } from '../matrix.js';
import { MISSING_BIN, applyBins, applyBinsColumns, applyBinsRows, binSampleRows, fitBinCuts, sortNumbers, transposeBins } from './binning.js';

/** Bitwise equality (distinguishes -0 from +0). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The plain algorithm: comparison sort, distinct values or quantile edges. */
function referenceCuts(m: Matrix, rows: Int32Array, maxBins: number): Float64Array[] {
  const nb = Math.min(maxBins, MISSING_BIN);
  const out: Float64Array[] = [];
  for (let f = 0; f < m.cols; f++) {
    const vals = Float64Array.from([...rows].map((r) => m.data[r * m.cols + f]).filter((v) => v === v)).sort();
    const distinct = vals.filter((v, k) => k === 0 || v !== vals[k - 1]);
    const u = distinct.length;
    if (u <= nb) {
      const c = new Float64Array(Math.max(u, 1));
      for (let k = 0; k < u - 1; k++) c[k] = (distinct[k] + distinct[k + 1]) / 2;
      c[Math.max(u - 1, 0)] = Infinity;
      out.push(c);
      continue;
    }
    const edges: number[] = [];
    let last = -Infinity;
    for (let b = 1; b < nb; b++) {
      const pos = Math.floor((b * vals.length) / nb);
      const e = vals[pos - 1] === vals[pos] ? vals[pos - 1] : (vals[pos - 1] + vals[pos]) / 2;
      if (e > last) {
        edges.push(e);
        last = e;
      }
    }
    edges.push(Infinity);
    out.push(Float64Array.from(edges));
  }
  return out;
}

/** The first edge >= v by linear scan; NaN -> MISSING_BIN. */
function referenceBin(c: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let b = 0;
  while (!(v <= c[b])) b++;
  return b;
}

/** Columns of assorted shapes: continuous, heavy-tailed, few distinct values, signed zeros, infinities, NaN. */
function assorted(n: number, rng: Rng): Matrix {
  const kinds = 9;
  const data = new Float64Array(n * kinds);
  for (let i = 0; i < n; i++) {
    const u = rng.float();
    const row = [
      rng.normal(0, 1),
      Math.exp(8 * rng.normal(0, 1)) * (u < 0.5 ? -1 : 1),
      rng.int(7) - 3,
      u < 0.1 ? NaN : rng.int(3) === 0 ? -0 : rng.int(2) === 0 ? 0 : rng.normal(0, 1e-300),
      u < 0.02 ? Infinity : u < 0.04 ? -Infinity : rng.normal(5, 2),
      Math.round(rng.normal(0, 1) * 1000) / 1000,
      u < 0.5 ? NaN : 1e300 * rng.normal(0, 1),
      NaN,
      42,
    ];
    data.set(row, i * kinds);
  }
  return { data, rows: n, cols: kinds };
}

describe('sortNumbers', () => {
  it('gives exactly the order of Float64Array.prototype.sort (signed zeros, infinities, subnormals, ties)', () => {
    const rng = new Rng(5);
    for (const n of [0, 1, 10, 255, 256, 1000, 30_000]) {
      for (let trial = 0; trial < 3; trial++) {
        const a = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const k = rng.int(8);
          a[i] = k === 0 ? -0 : k === 1 ? 0 : k === 2 ? (rng.float() < 0.5 ? Infinity : -Infinity) : k === 3 ? rng.normal(0, 1) * 5e-324 * 1000 : k === 4 ? rng.int(5) : rng.normal(0, 1) * 10 ** rng.int(40);
        }
        const want = a.slice().sort();
        const got = sortNumbers(a, new Float64Array(n));
        expect(sameBits(got, want)).toBe(true);
      }
    }
  });
});

describe('binning', () => {
  it('finds the plain algorithm edges and bins (all rows, sampled rows, feature ranges, row ranges)', () => {
    const rng = new Rng(9);
    for (const [n, maxBins] of [
      [3000, 255],
      [3000, 16],
      [200, 255],
      [5, 4],
    ] as const) {
      const m = assorted(n, rng);
      for (const rows of [binSampleRows(n, 1), binSampleRows(n, 2, Math.ceil(n / 3))]) {
        const want = referenceCuts(m, rows, maxBins);
        const cuts = fitBinCuts(m, rows, maxBins, 0, m.cols);
        expect(cuts.length).toBe(m.cols);
        for (let f = 0; f < m.cols; f++) expect(sameBits(cuts[f], want[f])).toBe(true);
        const part = fitBinCuts(m, rows, maxBins, 3, 7);
        for (let f = 3; f < 7; f++) expect(sameBits(part[f - 3], want[f])).toBe(true);
        const mapper = { cuts };
        const B = applyBins(m, mapper);
        const d = m.cols;
        let wrong = 0;
        for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) if (B[i * d + f] !== referenceBin(cuts[f], m.data[i * d + f])) wrong++;
        expect(wrong).toBe(0);
        expect(applyBinsColumns(m, mapper)).toEqual(transposeBins(B, n, d));
        // Two row ranges fill the row- and column-major bins as one call would.
        const R = new Uint8Array(n * d);
        const C = new Uint8Array(n * d);
        const mid = Math.floor(n / 3);
        applyBinsRows(m, mapper, R, C, mid, n);
        applyBinsRows(m, mapper, R, C, 0, mid);
        expect(R).toEqual(B);
        expect(C).toEqual(transposeBins(B, n, d));
      }
    }
  });

  it('finds the plain algorithm edges at the distinct-value limit (nb and nb + 1 distinct values, long ties)', () => {
    const rng = new Rng(11);
    const n = 4000;
    const data = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      data[i * 4] = rng.int(255) * 0.5 - 30;
      data[i * 4 + 1] = rng.int(256) * 0.5 - 30;
      // A tie run longer than a quantile step, a signed-zero run and many distinct values around them.
      const u = rng.float();
      data[i * 4 + 2] = u < 0.3 ? 1.5 : u < 0.4 ? -0 : u < 0.5 ? 0 : rng.normal(0, 3);
      data[i * 4 + 3] = rng.int(257);
    }
    const m: Matrix = { data, rows: n, cols: 4 };
    const rows = binSampleRows(n, 3);
    const want = referenceCuts(m, rows, 255);
    const cuts = fitBinCuts(m, rows, 255, 0, 4);
    for (let f = 0; f < 4; f++) expect(sameBits(cuts[f], want[f])).toBe(true);
    expect(cuts[0].length).toBe(255);
    expect(cuts[1].length).toBeLessThan(255);
    // A short run of zeros (+0 first in row order) holding a quantile edge: the edge is -0, as sorted order says.
    const z = new Float64Array(2550);
    for (let i = 0; i < 1275; i++) z[i] = -1275 + i;
    for (let i = 0; i < 20; i++) z[1275 + i] = i % 2 === 0 ? 0 : -0;
    for (let i = 0; i < 1255; i++) z[1295 + i] = i + 1;
    const zm: Matrix = { data: z, rows: z.length, cols: 1 };
    const all = binSampleRows(z.length, 0);
    const zc = fitBinCuts(zm, all, 255, 0, 1)[0];
    expect(sameBits(zc, referenceCuts(zm, all, 255)[0])).toBe(true);
    expect(Object.is(zc[zc.indexOf(0)], -0)).toBe(true);
  });

  it('bins Float32 matrices as their float64 values', () => {
    const m = assorted(2000, new Rng(4));
    const m32: Matrix = { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
    const m64: Matrix = { data: Float64Array.from(m32.data), rows: m.rows, cols: m.cols };
    const rows = binSampleRows(m.rows, 3, 700);
    const cuts = fitBinCuts(m32, rows, 255, 0, m.cols);
    const want = referenceCuts(m64, rows, 255);
    for (let f = 0; f < m.cols; f++) expect(sameBits(cuts[f], want[f])).toBe(true);
    expect(applyBins(m32, { cuts })).toEqual(applyBins(m64, { cuts }));
  });

  it('bins values outside the sample and exactly at the edges', () => {
    const train: Matrix = { data: Float64Array.from({ length: 1000 }, (_, i) => (i % 500) / 10), rows: 1000, cols: 1 };
    const cuts = fitBinCuts(train, binSampleRows(1000, 1), 255, 0, 1);
    const c = cuts[0];
    const probe = [-Infinity, -1e308, -5, ...c.subarray(0, c.length - 1), ...c.subarray(0, c.length - 1).map((e) => e + 1e-9), 1e9, Infinity, NaN, -0, 0];
    const test: Matrix = { data: Float64Array.from(probe), rows: probe.length, cols: 1 };
    const B = applyBins(test, { cuts });
    expect([...B]).toEqual(probe.map((v) => referenceBin(c, v)));
  });
});
