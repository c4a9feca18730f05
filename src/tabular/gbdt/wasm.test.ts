import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../core/pool.js';
import { Rng } from '../../core/rng.js';
import { syntheticTabular } from '../testing.js';
import { GRID, applyBinsRows, binIndex, fitBins } from '../tree/binning.js';
import { type BoostParams, trainBooster } from './booster.js';
import { addRangeValues, partition, rangeSums } from './grow.js';
import { addPacked, buildPackedHistogram, packedHistSize, subtractPacked } from './histogram.js';
import { makeObjective } from './objectives.js';
import { packRounded } from './quantize.js';
import { kernelsFor, wasmArrays } from './wasm.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Random packed values: exact integers (g * 2^20 + h), as quantize.ts makes them. */
function packedValues(q: Float64Array, rng: Rng): void {
  for (let i = 0; i < q.length; i++) q[i] = (rng.int(255) - 127) * 2 ** 20 + rng.int(256);
}

describe('WebAssembly kernels (kernels.wat)', () => {
  it('are the compilation of kernels.wat (npm run wasm)', () => {
    // Exits 1 and names the module when kernels-wasm.ts is not what the .wat compiles to.
    expect(() => execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('build the same packed histograms, partitions and sums as the JavaScript kernels', () => {
    const n = 3001;
    const d = 13;
    const rng = new Rng(5);
    const size = packedHistSize(d);
    const w = wasmArrays({
      B: { kind: 'u8', len: n * d },
      Bc: { kind: 'u8', len: n * d },
      q: { kind: 'f64', len: n },
      rows: { kind: 'i32', len: n },
      feats: { kind: 'i32', len: d },
      h1: { kind: 'f64', len: size },
      h2: { kind: 'f64', len: size },
      scratch: { kind: 'i32', len: n },
      gh: { kind: 'f64', len: 2 * n },
      sums: { kind: 'f64', len: 4 },
      out: { kind: 'f64', len: 3 * n },
    });
    if (w === undefined) throw new Error('WebAssembly kernels unavailable');
    const { B, Bc, q, rows, feats, h1, h2, scratch, gh, sums, out } = w.arrays;
    const K = kernelsFor(w.memory);
    // Bins over the whole byte range, missing (255) included.
    for (let i = 0; i < n * d; i++) B[i] = rng.float() < 0.05 ? 255 : rng.int(256);
    for (let f = 0; f < d; f++) for (let i = 0; i < n; i++) Bc[f * n + i] = B[i * d + f];
    packedValues(q, rng);
    let m = 0;
    for (let i = 0; i < n; i++) if (rng.float() < 0.6) rows[m++] = i;
    for (let f = 0; f < d; f++) feats[f] = f;
    const ref = new Float64Array(size);
    const check = (nf: number, useRows: boolean, k0: number, k1: number): void => {
      ref.fill(0);
      h1.fill(0);
      buildPackedHistogram(B, d, useRows ? rows : undefined, k0, k1, q, feats, nf, ref, 0);
      if (nf !== d) K.histFeats(B.byteOffset, d, useRows ? rows.byteOffset : -1, k0, k1, q.byteOffset, feats.byteOffset, nf, h1.byteOffset);
      else if (useRows) K.histRows(B.byteOffset, d, rows.byteOffset, k0, k1, q.byteOffset, h1.byteOffset);
      else for (let f0 = 0; f0 < d; f0 += 5) K.histRange(B.byteOffset, d, k0, k1, q.byteOffset, h1.byteOffset, f0, Math.min(d, f0 + 5));
      expect(h1).toEqual(ref);
    };
    check(d, true, 0, m);
    check(d, true, 17, 18);
    check(d, true, 5, 5);
    check(d, false, 0, n);
    check(d, false, 100, 2000);
    feats.set([12, 0, 7, 3, 9]);
    check(5, true, 3, m - 4);
    check(5, false, 0, n);
    check(1, false, 10, 20);
    for (let f = 0; f < d; f++) feats[f] = f;
    // Sums and differences of histograms.
    h1.set(ref);
    h2.fill(0);
    K.histRows(B.byteOffset, d, rows.byteOffset, 0, m, q.byteOffset, h2.byteOffset);
    const sum = Float64Array.from(ref);
    addPacked(sum, 0, h2, 0, feats, d, d);
    K.addF64(h1.byteOffset, h2.byteOffset, size);
    expect(h1).toEqual(sum);
    subtractPacked(sum, 0, h2, 0, feats, d, d);
    K.subF64(h1.byteOffset, h2.byteOffset, size);
    expect(h1).toEqual(sum);
    // Partitions: every split bin (254 and 255 included) with missing values either side, on sub-ranges.
    const js = new Int32Array(n);
    const jsScratch = new Int32Array(n);
    for (const bin of [0, 1, 77, 128, 253, 254, 255]) {
      for (const left of [0, 1]) {
        const f = rng.int(d);
        const s = rng.int(100);
        const e = m - rng.int(100);
        js.set(rows);
        const a = partition(Bc, n, js, s, e, f, bin, left === 1, jsScratch);
        const before = Int32Array.from(rows);
        const b = K.partition(Bc.byteOffset, n, rows.byteOffset, s, e, f, bin, left, scratch.byteOffset);
        expect(b).toBe(a);
        expect(rows.subarray(0, m)).toEqual(js.subarray(0, m));
        expect(a).toBeGreaterThanOrEqual(s);
        rows.set(before);
      }
    }
    // Quantisation (stochastic rounding with the row-counter hash), final-range sums and leaf values.
    for (let i = 0; i < 2 * n; i++) gh[i] = i % 2 === 0 ? rng.normal() * 3 : rng.float();
    gh[0] = 1e6;
    gh[3] = 0;
    const lim = { gLevels: 127, hLevels: 255, P: 2 ** 20 };
    const jsQ = new Float64Array(n);
    packRounded(gh, 11, n - 5, 1 / 0.05, 1 / 0.004, lim.gLevels, lim.hLevels, lim.P, 0x5eed, jsQ);
    q.fill(0);
    K.packRounded(gh.byteOffset, 11, n - 5, 1 / 0.05, 1 / 0.004, lim.gLevels, lim.hLevels, lim.P, 0x5eed, q.byteOffset);
    expect(q).toEqual(jsQ);
    // Values whose scaled sum with the row's uniform is exactly an integer: the rounding offsets must match to the bit.
    for (let i = 0; i < n; i++) {
      let z = (0x5eed + Math.imul(i, 0x9e3779b9)) | 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      z ^= z >>> 16;
      gh[2 * i] = 6 - ((z & 0xffff) * 2 ** -16 + 2 ** -17);
      gh[2 * i + 1] = 2 - ((z >>> 16) * 2 ** -16 + 2 ** -17);
    }
    packRounded(gh, 0, n, 1, 1, lim.gLevels, lim.hLevels, lim.P, 0x5eed, jsQ);
    K.packRounded(gh.byteOffset, 0, n, 1, 1, lim.gLevels, lim.hLevels, lim.P, 0x5eed, q.byteOffset);
    expect(q).toEqual(jsQ);
    expect(jsQ[0]).toBe(6 * lim.P + 2);
    const info = new Int32Array(6);
    const jsSums = new Float64Array(4);
    const vals = Float64Array.of(0.25, -1.5);
    for (const [f, bin, left] of [[-1, 0, 0], [3, 40, 0], [3, 40, 1], [8, 254, 1], [0, 255, 0]]) {
      info.set([7, m - 3, f, bin, left]);
      rangeSums(Bc, n, rows, gh, info, 0, jsSums);
      K.rangeSums(Bc.byteOffset, n, rows.byteOffset, gh.byteOffset, 7, m - 3, f, bin, left, sums.byteOffset);
      expect(sums).toEqual(jsSums);
      // Leaf values into column 1 of a 3-column margin.
      const jsOut = Float64Array.from(out);
      addRangeValues(Bc, n, rows, info, 0, vals, jsOut, 3, 1);
      K.addRangeValues(Bc.byteOffset, n, rows.byteOffset, 7, m - 3, f, bin, left, vals[0], vals[1], out.byteOffset, 3, 1);
      expect(out).toEqual(jsOut);
    }
    expect(out.some((v) => v !== 0)).toBe(true);
  });

  it("compute V8's Math.exp bit for bit (the logistic gradients depend on it)", () => {
    const w = wasmArrays({ x: { kind: 'f64', len: 1 } });
    if (w === undefined) throw new Error('WebAssembly kernels unavailable');
    const K = kernelsFor(w.memory);
    const special = [0, -0, 1, -1, 2, -2, 0.5, 1e-300, -1e-300, 2 ** -28, -(2 ** -28), 2 ** -29, 0.34657359027997264, 0.3465735902799727, 1.0397207708399179, 1.039720770839918, 709.782712893384, 709.7827128933841, -708.3964185322641, -745.1332191019411, -745.1332191019412, -740, 1000, -1000, Infinity, -Infinity, NaN, Number.MIN_VALUE, Number.MAX_VALUE];
    let differ = 0;
    const check = (x: number): void => {
      if (!Object.is(K.exp(x), Math.exp(x))) differ++;
    };
    special.forEach(check);
    const rng = new Rng(12);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    for (let i = 0; i < 200_000; i++) {
      check((rng.float() - 0.5) * 60);
      check((rng.float() - 0.5) * 1500);
      words[0] = rng.int(2 ** 32);
      words[1] = rng.int(2 ** 32);
      check(bits[0]);
    }
    expect(differ).toBe(0);
  });

  it('compute the logistic gradients bit for bit as objectives.ts, two rows at a time or one (any range, any margin)', () => {
    const n = 20_011;
    const w = wasmArrays({ m: { kind: 'f64', len: n }, y: { kind: 'i32', len: n }, w: { kind: 'f64', len: n }, g: { kind: 'f64', len: n }, h: { kind: 'f64', len: n }, gh: { kind: 'f64', len: 2 * n }, io: { kind: 'f64', len: 2 } });
    if (w === undefined) throw new Error('WebAssembly kernels unavailable');
    const { m, y, w: wt, g, h, gh, io } = w.arrays;
    const K = kernelsFor(w.memory);
    const rng = new Rng(21);
    // Margins across every branch of exp(-m): the reduction boundaries (|m| = ln2 / 2, 1.5 ln2), tiny, m = -1
    // (exp(1) = Math.E in V8), the lanes' limit 700 and beyond, overflow, NaN and infinities, next to ordinary ones.
    const special = [0, -0, 1, -1, 1e-300, -1e-300, 2 ** -28, -(2 ** -28), 2 ** -29, 0.34657359027997264, -0.34657359027997264, 0.3465735902799727, -0.3465735902799727, 1.0397207708399179, -1.0397207708399179, 1.039720770839918, -1.039720770839918, 699.9999999999999, -699.9999999999999, 700, -700, 709.8, -709.8, 746, -746, 1000, -1000, Infinity, -Infinity, NaN];
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    for (let i = 0; i < n; i++) {
      const r = rng.float();
      if (r < 0.1) m[i] = special[rng.int(special.length)];
      else if (r < 0.2) {
        words[0] = rng.int(2 ** 32);
        words[1] = rng.int(2 ** 32);
        m[i] = bits[0];
      } else m[i] = rng.normal() * (r < 0.6 ? 2 : 40);
      y[i] = rng.int(2);
      wt[i] = rng.float() < 0.1 ? 1 : 0.5 + rng.float();
    }
    const obj = makeObjective('binary', 2);
    for (const [i0, i1] of [[0, n], [1, n], [0, n - 1], [3, 4], [7, 7], [5, 8], [101, 1234]] as const) {
      g.fill(7);
      gh.fill(7);
      K.gradBinary(m.byteOffset, y.byteOffset, wt.byteOffset, g.byteOffset, h.byteOffset, gh.byteOffset, i0, i1, io.byteOffset);
      const jg = new Float64Array(i1 - i0);
      const jh = new Float64Array(i1 - i0);
      obj.gradients(m.subarray(i0, i1), new Float64Array(0), y.subarray(i0, i1), wt.subarray(i0, i1), jg, jh);
      let differ = 0;
      let gm = 0;
      let hm = 0;
      for (let i = i0; i < i1; i++) {
        const a = jg[i - i0];
        const b = jh[i - i0];
        if (!Object.is(g[i], a) || !Object.is(h[i], b) || !Object.is(gh[2 * i], a) || !Object.is(gh[2 * i + 1], b)) differ++;
        if (Math.abs(a) > gm) gm = Math.abs(a);
        if (Math.abs(b) > hm) hm = Math.abs(b);
      }
      expect(differ).toBe(0);
      // Rows outside the range untouched.
      if (i0 > 0) expect(g[i0 - 1]).toBe(7);
      if (i1 < n) expect(gh[2 * i1]).toBe(7);
      expect([io[0], io[1]]).toEqual([gm, hm]);
    }
  });

  it('bin raw values exactly as binning.ts (NaN, infinities, edges, constant and two-valued columns)', () => {
    const n = 2000;
    const d = 6;
    const rng = new Rng(8);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      x[i * d] = rng.normal();
      x[i * d + 1] = Math.round(rng.normal() * 3) / 4; // few distinct values: edges at the values themselves
      x[i * d + 2] = 7; // constant
      x[i * d + 3] = i % 2 === 0 ? -0 : 1; // two values, with a signed zero
      x[i * d + 4] = rng.float() < 0.1 ? NaN : rng.float() < 0.05 ? (rng.float() < 0.5 ? Infinity : -Infinity) : rng.normal() * 1e6;
      x[i * d + 5] = Math.exp(rng.normal() * 5); // long tail: most values in a few grid cells
    }
    const m = { data: x, rows: n, cols: d };
    const mapper = fitBins(m, 255, 3);
    const jsB = new Uint8Array(n * d);
    const jsBc = new Uint8Array(n * d);
    applyBinsRows(m, mapper, jsB, jsBc, 0, n);
    // Values equal to the edges themselves, and just above, in a second pass over the same columns.
    const w = wasmArrays({
      x: { kind: 'f64', len: n * d },
      B: { kind: 'u8', len: n * d },
      Bc: { kind: 'u8', len: n * d },
      edges: { kind: 'f64', len: d << 8 },
      last: { kind: 'i32', len: d },
      lo: { kind: 'f64', len: d },
      scale: { kind: 'f64', len: d },
      start: { kind: 'u8', len: d * (GRID + 1) },
    });
    if (w === undefined) throw new Error('WebAssembly kernels unavailable');
    const A = w.arrays;
    const idx = binIndex(mapper, d);
    A.edges.set(idx.edges);
    A.last.set(idx.last);
    A.lo.set(idx.lo);
    A.scale.set(idx.scale);
    A.start.set(idx.start);
    const K = kernelsFor(w.memory);
    A.x.set(x);
    // In two blocks of rows, as the engine's shards.
    K.binRows(A.x.byteOffset, 700, d, 0, n, A.edges.byteOffset, A.last.byteOffset, A.lo.byteOffset, A.scale.byteOffset, A.start.byteOffset, GRID, A.B.byteOffset, A.Bc.byteOffset);
    K.binRows(A.x.byteOffset + 8 * 700 * d, n - 700, d, 700, n, A.edges.byteOffset, A.last.byteOffset, A.lo.byteOffset, A.scale.byteOffset, A.start.byteOffset, GRID, A.B.byteOffset, A.Bc.byteOffset);
    expect(A.B).toEqual(jsB);
    expect(A.Bc).toEqual(jsBc);
    expect(new Set(jsB.filter((_, i) => i % d === 4)).has(255)).toBe(true);
    for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) {
      const c = mapper.cuts[f];
      const e = c[Math.min(c.length - 1, i % c.length)];
      x[i * d + f] = i % 3 === 0 ? e : i % 3 === 1 ? e + Math.abs(e) * 1e-15 + 1e-300 : Number.isFinite(e) ? e - Math.abs(e) * 1e-15 - 1e-300 : e;
    }
    applyBinsRows(m, mapper, jsB, jsBc, 0, n);
    A.x.set(x);
    K.binRows(A.x.byteOffset, n, d, 0, n, A.edges.byteOffset, A.last.byteOffset, A.lo.byteOffset, A.scale.byteOffset, A.start.byteOffset, GRID, A.B.byteOffset, A.Bc.byteOffset);
    expect(A.B).toEqual(jsB);
    expect(A.Bc).toEqual(jsBc);
  });

  it('grow the same models as the JavaScript kernels (threads, row and column subsampling, best-first)', async () => {
    const { X, y } = syntheticTabular('binary', 9000, 9, 41, 0.04);
    const yIndex = Int32Array.from(y);
    const w = new Float64Array(X.rows).fill(1);
    const obj = makeObjective('binary', 2);
    const base: BoostParams = {
      maxDepth: 5,
      maxLeaves: 0,
      growPolicy: 'depthwise',
      learningRate: 0.2,
      lambda: 1,
      alpha: 0,
      gamma: 0,
      minChildWeight: 1,
      nEstimators: 6,
      subsample: 1,
      colsampleBytree: 1,
      maxBins: 255,
      earlyStoppingRounds: 0,
      seed: 3,
      quantized: true,
    };
    const cases: Partial<BoostParams>[] = [{}, { subsample: 0.7, colsampleBytree: 0.6 }, { growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 40 }];
    for (const c of cases) {
      const p = { ...base, ...c };
      const ref = await trainBooster(X, y, yIndex, w, obj, p, { kernels: 'js' });
      for (const threads of [1, 2]) {
        const got = await trainBooster(X, y, yIndex, w, obj, p, { kernels: 'wasm', pool, threads });
        expect(got.trees).toEqual(ref.trees);
      }
    }
    // Three classes: three trees a round, margins n x 3.
    const mc = syntheticTabular('multiclass', 6000, 7, 43, 0.03);
    const mcIndex = Int32Array.from(mc.y);
    const soft = makeObjective('softmax', 3);
    const mw = new Float64Array(mc.X.rows).fill(1);
    const ref = await trainBooster(mc.X, mc.y, mcIndex, mw, soft, base, { kernels: 'js' });
    const got = await trainBooster(mc.X, mc.y, mcIndex, mw, soft, base, { kernels: 'wasm', pool, threads: 2 });
    expect(got.trees).toEqual(ref.trees);
    expect(got.trees.length).toBe(3 * base.nEstimators);
  });
});
