import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { alsHalfStep, gramPlusReg } from './als-solve.js';
import { alsHalfStepSimd, alsSimdUsable } from './als-simd.js';

/** A random CSR (rows x cols) with some empty rows, sorted columns, values in [1, 4). */
function csr(rows: number, cols: number, rng: Rng): { indptr: Int32Array; indices: Int32Array; values: Float32Array } {
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let u = 0; u < rows; u++) {
    indptr[u] = idx.length;
    if (u % 7 === 3) continue;
    for (let c = 0; c < cols; c++) {
      if (rng.float() < 0.2) {
        idx.push(c);
        val.push(1 + Math.floor(rng.float() * 3));
      }
    }
  }
  indptr[rows] = idx.length;
  return { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

describe('ALS half-step, f32x4 WebAssembly kernel', () => {
  it('matches the float64 scalar half-step within float32 rounding, for any row split', () => {
    for (const f of [8, 24, 64]) {
      expect(alsSimdUsable(f)).toBe(true);
      const rng = new Rng(5 + f);
      const rows = 60;
      const cols = 40;
      const m = csr(rows, cols, rng);
      const y = Float32Array.from({ length: cols * f }, () => rng.float() * 0.3);
      const x0 = Float32Array.from({ length: rows * f }, () => rng.float() * 0.1);
      const yty = gramPlusReg(y, cols, f, 0.5);
      const ref = x0.slice();
      alsHalfStep(ref, y, yty, m.indptr, m.indices, m.values, f, 2, 3, 0, rows);
      const whole = x0.slice();
      alsHalfStepSimd(whole, y, yty, m.indptr, m.indices, m.values, f, 2, 3, 0, rows);
      const split = x0.slice();
      for (const [s, e] of [[0, 13], [13, 14], [14, 60]] as const) alsHalfStepSimd(split, y, yty, m.indptr, m.indices, m.values, f, 2, 3, s, e);
      expect(split).toEqual(whole);
      let maxRef = 0;
      for (let k = 0; k < ref.length; k++) maxRef = Math.max(maxRef, Math.abs(ref[k]!));
      expect(maxRef).toBeGreaterThan(0.01);
      for (let k = 0; k < ref.length; k++) expect(Math.abs(whole[k]! - ref[k]!)).toBeLessThan(1e-4 * maxRef);
      for (let u = 0; u < rows; u++) if (m.indptr[u] === m.indptr[u + 1]) expect(whole[u * f]).toBe(0);
    }
  });

  it('is not used when f is not a multiple of 8', () => {
    expect(alsSimdUsable(12)).toBe(false);
  });
});
