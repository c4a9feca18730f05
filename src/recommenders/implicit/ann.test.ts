import { describe, expect, it } from 'vitest';
import { AlsModel } from './als.js';
import { AnnIndex, recallAtKAgainstExact } from './ann.js';
import { BprModel } from './bpr.js';
import { plantedInteractions } from './test-support.js';

const data = plantedInteractions({ users: 120, items: 80, perUser: 10 });

describe('AnnIndex (HNSW over item factors)', () => {
  it('matches exact top-k on a small catalog (ALS, no bias) and skips exclusions', async () => {
    const m = await new AlsModel({ factors: 8, epochs: 4 }).fit(data);
    const ann = AnnIndex.build(m.itemFactors, m.nItems, m.factorCount, undefined, { ef: 200 });
    const approx: Int32Array[] = [];
    const exact: Int32Array[] = [];
    for (let u = 0; u < 40; u++) {
      const seen = m.seenItems(u);
      approx.push(ann.search(m.userFactors.subarray(u * 8, u * 8 + 8), 10, seen).indices);
      exact.push(m.recommendForVector(m.userFactors.subarray(u * 8, u * 8 + 8), 10, seen).indices);
      for (const i of approx[u]!) expect(seen.includes(i)).toBe(false);
    }
    // 80 items with ef 200 visits the whole graph: the search is exact here
    expect(recallAtKAgainstExact(approx, exact)).toBeCloseTo(1, 12);
  });

  it('folds item biases into the inner product (BPR)', async () => {
    const m = await new BprModel({ factors: 8, epochs: 3 }).fit(data);
    const ann = AnnIndex.build(m.itemFactors, m.nItems, m.factorCount, m.itemBiases, { ef: 200 });
    const q = m.userFactors.subarray(0, 8);
    const a = ann.search(q, 5);
    const e = m.recommendForVector(q, 5);
    expect(Array.from(a.indices)).toEqual(Array.from(e.indices));
    for (let r = 0; r < 5; r++) expect(a.scores[r]!).toBeCloseTo(e.scores[r]!, 4);
  });

  it('rejects malformed input', () => {
    expect(() => AnnIndex.build(new Float32Array(5), 2, 3)).toThrow(/5 floats for 2 x 3/);
    const ann = AnnIndex.build(new Float32Array(6), 2, 3);
    expect(() => ann.search(new Float32Array(2), 1)).toThrow(/expected 3/);
  });
});
