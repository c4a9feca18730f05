import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { Rng } from './rng.js';
import { topK, topKReference } from './topk.js';

function same(a: { indices: Int32Array; scores: Float64Array }, b: { indices: Int32Array; scores: Float64Array }): void {
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
}

function sortedSample(rng: Rng, n: number, k: number): Int32Array {
  return rng.sampleWithoutReplacement(n, k).sort();
}

describe('topK against its reference twin (exact equality)', () => {
  const rng = new Rng(99);
  it('random data, many ties, NaN and -Infinity, every k', () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(300);
      const Ctor = trial % 2 === 0 ? Float64Array : Float32Array;
      const scores = new Ctor(n);
      const levels = 1 + rng.int(8); // few distinct values => many ties
      for (let i = 0; i < n; i++) {
        const u = rng.uniform();
        scores[i] = u < 0.05 ? NaN : u < 0.1 ? -Infinity : u < 0.12 ? Infinity : rng.int(levels) - levels / 2;
      }
      const ex = rng.uniform() < 0.5 ? sortedSample(rng, n, rng.int(n + 1)) : undefined;
      for (const k of [0, 1, 2, 5, n - 1, n, n + 10]) {
        if (k < 0) continue;
        same(topK(scores, k, ex), topKReference(scores, k, ex));
      }
    }
  });

  it('continuous random scores with k much smaller than n', () => {
    const scores = new Float32Array(100_000);
    for (let i = 0; i < scores.length; i++) scores[i] = rng.normal();
    for (const k of [1, 10, 100]) same(topK(scores, k), topKReference(scores, k));
  });
});

describe('topK edge cases', () => {
  it('orders best first with ties to the lower index', () => {
    const r = topK(Float64Array.of(1, 3, 3, 2, 3), 3);
    expect(Array.from(r.indices)).toEqual([1, 2, 4]);
    expect(Array.from(r.scores)).toEqual([3, 3, 3]);
  });

  it('k = 0 and empty input give empty results; k > n gives every valid entry', () => {
    expect(topK(Float64Array.of(1, 2), 0).indices.length).toBe(0);
    expect(topK(new Float64Array(0), 5).indices.length).toBe(0);
    const r = topK(Float64Array.of(NaN, 1, -Infinity, 0), 10);
    expect(Array.from(r.indices)).toEqual([1, 3]);
  });

  it('never returns NaN or -Infinity but keeps +Infinity', () => {
    const r = topK(Float64Array.of(-Infinity, NaN, Infinity, -5), 4);
    expect(Array.from(r.indices)).toEqual([2, 3]);
    expect(Array.from(r.scores)).toEqual([Infinity, -5]);
  });

  it('skips excluded indices, including exclusions beyond n and repeated ones', () => {
    const s = Float64Array.of(5, 4, 3, 2, 1);
    expect(Array.from(topK(s, 2, Int32Array.of(0, 0, 2)).indices)).toEqual([1, 3]);
    expect(Array.from(topK(s, 2, Int32Array.of(9, 12)).indices)).toEqual([0, 1]);
    expect(topK(s, 3, Int32Array.of(0, 1, 2, 3, 4)).indices.length).toBe(0);
  });

  it('honours n smaller than the array', () => {
    const r = topK(Float64Array.of(1, 2, 9, 9), 2, undefined, 2);
    expect(Array.from(r.indices)).toEqual([1, 0]);
  });

  it('refuses a bad k', () => {
    expect(() => topK(Float64Array.of(1), -1)).toThrow(InvalidArgumentError);
    expect(() => topK(Float64Array.of(1), 1.5)).toThrow(InvalidArgumentError);
  });
});
