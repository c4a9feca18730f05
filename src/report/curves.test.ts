import { describe, expect, it } from 'vitest';
import { calibrationCurve, prCurve, rocCurve, thinCurve } from './curves.js';

describe('rocCurve', () => {
  it('matches a hand-computed curve with one point per distinct threshold', () => {
    // scores 0.9(1) 0.8(0) 0.7(1) 0.7(0) 0.1(0): pos 2, neg 3
    const c = rocCurve([1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.7, 0.1]);
    expect(Array.from(c.x)).toEqual([0, 0, 1 / 3, 2 / 3, 1]);
    expect(Array.from(c.y)).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rocCurve([1, 0], [0.5])).toThrow(/2 values but scores has 1/);
  });
});

describe('prCurve', () => {
  it('gives recall and precision per threshold, starting at (0, 1)', () => {
    const c = prCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);
    expect(Array.from(c.x)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(c.y)).toEqual([1, 1, 0.5, 2 / 3, 0.5]);
  });
});

describe('calibrationCurve', () => {
  it('bins probabilities uniformly and drops empty bins', () => {
    const cal = calibrationCurve([0, 1, 1, 0, 1], [0.05, 0.15, 0.95, 0.92, 1], 10);
    expect(Array.from(cal.counts)).toEqual([1, 1, 3]);
    expect(cal.meanPredicted[2]).toBeCloseTo((0.95 + 0.92 + 1) / 3, 12);
    expect(cal.fractionPositive[2]).toBeCloseTo(2 / 3, 12);
    expect(cal.fractionPositive[0]).toBe(0);
  });

  it('refuses probabilities outside [0, 1] with the index', () => {
    expect(() => calibrationCurve([1], [1.5])).toThrow(/1.5 at index 0/);
  });
});

describe('thinCurve', () => {
  it('keeps first and last points and the requested count', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    const t = thinCurve({ x, y: x }, 10);
    expect(t.x.length).toBe(10);
    expect(t.x[0]).toBe(0);
    expect(t.x[9]).toBe(999);
  });
});
