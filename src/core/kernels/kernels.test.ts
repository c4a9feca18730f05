import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from '../rng.js';
import {
  axpy,
  axpyReference,
  cgDense,
  choleskyFactor,
  choleskySolve,
  conjugateGradient,
  dot,
  dotReference,
  gemm,
  gemmReference,
  gemv,
  gemvReference,
  scaledCopy,
  scaledCopyReference,
  simdAvailable,
  solveReference,
  solveSpd,
  type FloatArray,
} from './index.js';

function randomArray(rng: Rng, n: number, Ctor: Float64ArrayConstructor): Float64Array;
function randomArray(rng: Rng, n: number, Ctor: Float64ArrayConstructor | Float32ArrayConstructor): FloatArray;
function randomArray(rng: Rng, n: number, Ctor: Float64ArrayConstructor | Float32ArrayConstructor): FloatArray {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** A random SPD matrix BᵀB + n·I (well conditioned), row-major. */
function randomSpd(rng: Rng, n: number): Float64Array {
  const b = randomArray(rng, n * n, Float64Array);
  const a = new Float64Array(n * n);
  gemmReference(b, b, a, n, n, n, { transB: true });
  for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + n;
  return a;
}

/** Max |x - y| / (1 + |y|) over entries: relative error that tolerates values near zero. */
function maxRelErr(x: ArrayLike<number>, y: ArrayLike<number>, n = y.length): number {
  let e = 0;
  for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return e;
}

describe('level-1 kernels match their reference twins (tolerance 1e-12 relative in f64)', () => {
  const rng = new Rng(11);
  for (const n of [0, 1, 3, 4, 5, 17, 64, 1001]) {
    it(`n = ${n}, with offsets`, () => {
      for (const Ctor of [Float64Array, Float32Array] as Array<Float64ArrayConstructor | Float32ArrayConstructor>) {
        const x = randomArray(rng, n + 7, Ctor);
        const y = randomArray(rng, n + 5, Ctor);
        const d = dot(x, y, n, 7, 2);
        const dr = dotReference(x, y, n, 7, 2);
        expect(Math.abs(d - dr)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(dr)) * Math.max(1, n));
        expect(dot(x, y, n)).toBeCloseTo(dotReference(x, y, n), 9);

        const y1 = y.slice();
        const y2 = y.slice();
        axpy(0.37, x, y1, n, 3, 2);
        axpyReference(0.37, x, y2, n, 3, 2);
        expect(maxRelErr(y1, y2)).toBeLessThanOrEqual(Ctor === Float64Array ? 1e-15 : 1e-7);
        // entries outside the range are untouched
        expect(y1[0]).toBe(y[0]);
        expect(y1[1]).toBe(y[1]);

        const o1 = new Ctor(n + 4);
        const o2 = new Ctor(n + 4);
        scaledCopy(-2.5, x, o1, n, 1, 4);
        scaledCopyReference(-2.5, x, o2, n, 1, 4);
        expect(Array.from(o1)).toEqual(Array.from(o2));
      }
    });
  }

  it('mixed precision (f32 with f64) goes through the mixed copy with the same results', () => {
    const x = randomArray(rng, 103, Float32Array);
    const y = randomArray(rng, 103, Float64Array);
    expect(Math.abs(dot(x, y, 101, 1, 2) - dotReference(x, y, 101, 1, 2))).toBeLessThan(1e-12 * 101);
    expect(Math.abs(dot(y, x, 101, 2, 1) - dotReference(x, y, 101, 1, 2))).toBeLessThan(1e-12 * 101);
    const y1 = y.slice(), y2 = y.slice();
    axpy(-1.5, x, y1, 99, 0, 4);
    axpyReference(-1.5, x, y2, 99, 0, 4);
    expect(Array.from(y1)).toEqual(Array.from(y2));
  });

  it('scaledCopy works in place', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5);
    scaledCopy(2, x, x, 5);
    expect(Array.from(x)).toEqual([2, 4, 6, 8, 10]);
  });
});

describe('Cholesky', () => {
  const rng = new Rng(21);
  for (const n of [1, 2, 5, 10, 33, 64, 128]) {
    it(`solves a random SPD system of size ${n} like Gaussian elimination (1e-9 relative)`, () => {
      const a = randomSpd(rng, n);
      const b = randomArray(rng, n, Float64Array);
      const want = solveReference(a, n, b);
      const x = new Float64Array(n);
      const a0 = a.slice();
      solveSpd(a, n, b, x);
      expect(Array.from(a)).toEqual(Array.from(a0)); // a untouched without scratch
      expect(maxRelErr(x, want)).toBeLessThan(1e-9);
      // L Lᵀ reproduces A, and the upper triangle of L is zero
      const l = a.slice();
      choleskyFactor(l, n);
      const llt = new Float64Array(n * n);
      gemmReference(l, l, llt, n, n, n, { transB: true });
      expect(maxRelErr(llt, a)).toBeLessThan(1e-10);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
      // in-place solve (out === b) and scratch === a
      const bb = Float32Array.from(b);
      choleskySolve(l, n, bb, bb);
      expect(maxRelErr(bb, want)).toBeLessThan(1e-5);
      const x2 = new Float64Array(n);
      solveSpd(a, n, b, x2, a);
      expect(maxRelErr(x2, want)).toBeLessThan(1e-9);
    });
  }

  it('refuses a matrix that is not positive definite, naming the pivot', () => {
    const a = Float64Array.of(1, 2, 2, 1); // eigenvalues 3, -1
    expect(() => choleskyFactor(a.slice(), 2)).toThrow(InvalidArgumentError);
    expect(() => choleskyFactor(a.slice(), 2)).toThrow(/pivot 1 of 2/);
    expect(() => choleskyFactor(Float64Array.of(NaN), 1)).toThrow(/not positive definite/);
    expect(() => choleskyFactor(new Float64Array(3), 2)).toThrow(/expected n\*n = 4/);
    expect(() => solveSpd(Float64Array.of(0), 1, Float64Array.of(1), new Float64Array(1))).toThrow(InvalidArgumentError);
  });
});

describe('conjugate gradient', () => {
  const rng = new Rng(31);
  for (const n of [1, 4, 20, 60]) {
    it(`converges to the direct solution for n = ${n} (1e-8 relative)`, () => {
      const a = randomSpd(rng, n);
      const b = randomArray(rng, n, Float64Array);
      const want = solveReference(a, n, b);
      const x = new Float64Array(n);
      const res = cgDense(a, n, b, x, { tol: 1e-12 });
      expect(res.converged).toBe(true);
      expect(res.iterations).toBeLessThanOrEqual(n + 1);
      expect(maxRelErr(x, want)).toBeLessThan(1e-8);
    });
  }

  it('calls matvec once per iteration plus once for the initial residual, and warm starts', () => {
    const n = 30;
    const a = randomSpd(rng, n);
    const b = randomArray(rng, n, Float64Array);
    let calls = 0;
    const matvec = (v: Float64Array, out: Float64Array): void => {
      calls++;
      for (let i = 0; i < n; i++) out[i] = dotReference(a, v, n, i * n, 0);
    };
    const x = new Float32Array(n);
    const r = conjugateGradient(matvec, b, x, n, { maxIter: 3 });
    expect(r.iterations).toBe(3);
    expect(calls).toBe(4);
    expect(r.converged).toBe(false);
    // starting from the solution: converged at once
    const exact = solveReference(a, n, b);
    calls = 0;
    const r2 = conjugateGradient(matvec, b, exact.slice(), n, { tol: 1e-8 });
    expect(r2.iterations).toBe(0);
    expect(calls).toBe(1);
    // b = 0 gives x = 0
    const z = Float64Array.of(1, 2, 3);
    cgDense(Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 2), 3, new Float64Array(3), z);
    expect(Array.from(z)).toEqual([0, 0, 0]);
  });

  it('reports a matrix that is not positive definite', () => {
    expect(() => cgDense(Float64Array.of(-1, 0, 0, -1), 2, Float64Array.of(1, 1), new Float64Array(2))).toThrow(/not positive definite/);
  });
});

describe('gemv matches the naive product', () => {
  const rng = new Rng(51);
  for (const [m, n] of [[1, 1], [3, 7], [64, 33], [500, 64], [0, 5], [5, 0]] as const) {
    it(`${m}x${n}, plain and transposed, f64 (1e-12) and f32 (1e-6; 1e-7 per row when transposed)`, () => {
      for (const trans of [false, true]) {
        for (const Ctor of [Float64Array, Float32Array] as Array<Float64ArrayConstructor | Float32ArrayConstructor>) {
          const a = randomArray(rng, m * n, Ctor);
          const x = randomArray(rng, trans ? m : n, Ctor);
          const y0 = randomArray(rng, trans ? n : m, Ctor);
          for (const [alpha, beta] of [[1, 0], [2, -1]] as const) {
            const y = y0.slice();
            const ref = Float64Array.from(y0);
            gemv(a, x, y, m, n, { trans, alpha, beta });
            gemvReference(a, x, ref, m, n, { trans, alpha, beta });
            // transposed, y accumulates one row at a time in its own precision: float32 rounding per row
            const tol32 = trans ? 1e-7 * Math.max(10, m) : 1e-6;
            expect(maxRelErr(y, ref)).toBeLessThan(Ctor === Float64Array ? 1e-12 * Math.max(1, m, n) : tol32);
          }
        }
      }
    });
  }

  it('checks shapes', () => {
    expect(() => gemv(new Float64Array(6), new Float64Array(2), new Float64Array(3), 2, 3)).toThrow(/needs x of 3 and y of 2/);
    expect(() => gemv(new Float64Array(6), new Float64Array(1), new Float64Array(3), 2, 3, { trans: true })).toThrow(/needs x of 2 and y of 3/);
  });
});

describe('gemm matches the naive product', () => {
  const rng = new Rng(41);
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1], [3, 5, 2], [2, 300, 600], [1, 64, 9], [4, 4, 4], [7, 3, 9], [13, 300, 6], [37, 64, 131], [64, 17, 257], [9, 513, 5], [0, 3, 4], [3, 0, 4],
  ];
  for (const [m, k, n] of shapes) {
    for (const transB of [false, true]) {
      it(`${m}x${k} · ${transB ? `(${n}x${k})ᵀ` : `${k}x${n}`} in f64 (1e-12) and f32 (1e-5)`, () => {
        const a = randomArray(rng, m * k, Float64Array);
        const b = randomArray(rng, k * n, Float64Array);
        const c0 = randomArray(rng, m * n, Float64Array);
        for (const [alpha, beta] of [[1, 0], [0.5, 2], [-1, 1]] as const) {
          const c = c0.slice();
          const ref = c0.slice();
          gemm(a, b, c, m, k, n, { transB, alpha, beta });
          gemmReference(a, b, ref, m, k, n, { transB, alpha, beta });
          expect(maxRelErr(c, ref)).toBeLessThan(1e-12 * Math.max(1, k));
        }
        const a32 = Float32Array.from(a);
        const b32 = Float32Array.from(b);
        const c32 = new Float32Array(m * n);
        const ref = new Float64Array(m * n);
        gemm(a32, b32, c32, m, k, n, { transB });
        gemmReference(a32, b32, ref, m, k, n, { transB });
        expect(maxRelErr(c32, ref)).toBeLessThan(1e-5);
      });
    }
  }

  it('transA (and both transposed) in f64, f32 scalar and f32 SIMD, including the Gram matrix YᵀY', () => {
    const shapes: Array<[number, number, number]> = [[1, 5, 3], [3, 4, 2], [7, 300, 9], [64, 33, 64], [5, 513, 270]];
    for (const [m, k, n] of shapes) {
      for (const transB of [false, true]) {
        const a = randomArray(rng, m * k, Float64Array);
        const b = randomArray(rng, k * n, Float64Array);
        const ref = new Float64Array(m * n);
        gemmReference(a, b, ref, m, k, n, { transA: true, transB, alpha: 0.5 });
        const c = new Float64Array(m * n);
        gemm(a, b, c, m, k, n, { transA: true, transB, alpha: 0.5 });
        expect(maxRelErr(c, ref)).toBeLessThan(1e-12 * k);
        for (const simd of [true, false]) {
          const c32 = new Float32Array(m * n);
          gemm(Float32Array.from(a), Float32Array.from(b), c32, m, k, n, { transA: true, transB, alpha: 0.5, simd });
          const ref32 = new Float64Array(m * n);
          gemmReference(Float32Array.from(a), Float32Array.from(b), ref32, m, k, n, { transA: true, transB, alpha: 0.5 });
          expect(maxRelErr(c32, ref32)).toBeLessThan(simd ? 2e-6 * Math.sqrt(k) : 1e-6);
        }
      }
    }
    // Gram matrix of Y (items x f): symmetric and equal to the sum of outer products of rows
    const items = 50, f = 6;
    const y = randomArray(rng, items * f, Float64Array);
    const g = new Float64Array(f * f);
    gemm(y, y, g, f, items, f, { transA: true });
    for (let i = 0; i < f; i++) {
      for (let j = 0; j < f; j++) {
        let s = 0;
        for (let t = 0; t < items; t++) s += y[t * f + i]! * y[t * f + j]!;
        expect(g[i * f + j]).toBeCloseTo(s, 10);
        expect(g[i * f + j]).toBeCloseTo(g[j * f + i]!, 12);
      }
    }
    expect(() => gemm(new Float64Array(5), new Float64Array(6), new Float64Array(6), 2, 3, 2, { transA: true })).toThrow(/A 3x2 \(transposed\)/);
  });

  it('all-float32 operands: the SIMD path and the double-accumulating path both match the reference', () => {
    expect(simdAvailable()).toBe(true); // Node 20 has WebAssembly SIMD
    const big: Array<[number, number, number]> = [[5, 300, 270], [9, 513, 17], [6, 7, 513], [1, 1, 1], [4, 8, 8], [3, 2, 9]];
    for (const [m, k, n] of big) {
      for (const transB of [false, true]) {
        const a = randomArray(rng, m * k, Float32Array);
        const b = randomArray(rng, k * n, Float32Array);
        const c0 = randomArray(rng, m * n, Float32Array);
        for (const simd of [true, false]) {
          for (const [alpha, beta] of [[1, 0], [-0.5, 1.5]] as const) {
            const c = Float32Array.from(c0);
            const ref = Float64Array.from(c0);
            gemm(a, b, c, m, k, n, { transB, alpha, beta, simd });
            gemmReference(a, b, ref, m, k, n, { transB, alpha, beta });
            // float32 sums over slices of <= 256 terms of size ~1 against results of size ~sqrt(k): 2e-6 · sqrt(k) relative
            expect(maxRelErr(c, ref)).toBeLessThan(simd ? 2e-6 * Math.sqrt(k) : 1e-6);
          }
        }
      }
    }
  });

  it('overwrites NaN in C when beta = 0 and checks shapes', () => {
    const c = Float64Array.of(NaN, NaN);
    gemm(Float64Array.of(1, 2), Float64Array.of(3, 4, 5, 6), c, 1, 2, 2);
    expect(Array.from(c)).toEqual([13, 16]);
    const c32 = Float32Array.of(NaN, NaN);
    gemm(Float32Array.of(1, 2), Float32Array.of(3, 4, 5, 6), c32, 1, 2, 2);
    expect(Array.from(c32)).toEqual([13, 16]);
    expect(() => gemm(new Float64Array(3), new Float64Array(4), new Float64Array(4), 2, 2, 2)).toThrow(/too short for A 2x2/);
    expect(() => gemm(new Float64Array(4), new Float64Array(4), new Float64Array(4), 2, -1, 2)).toThrow(InvalidArgumentError);
  });
});
