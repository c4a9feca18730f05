import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { Interactions, type Triples } from '../../data/interactions.js';
import { BprModel } from './bpr.js';
import { plantedInteractions } from './test-support.js';

/** The planted data with `extra` additional item ids that have no interaction (appended after the real items). */
function withColdItems(extra: number): Interactions {
  const base = plantedInteractions({ users: 60, items: 40, perUser: 8, seed: 3 });
  const t: Triples = { users: new Int32Array(base.nnz), items: new Int32Array(base.nnz), values: new Float32Array(base.nnz) };
  let q = 0;
  for (let u = 0; u < base.nUsers; u++) {
    for (let p = base.indptr[u]!; p < base.indptr[u + 1]!; p++, q++) {
      t.users[q] = u;
      t.items[q] = base.indices[p]!;
      t.values[q] = base.values[p]!;
    }
  }
  const itemIds = Array.from({ length: base.nItems + extra }, (_, i) => (i < base.nItems ? base.items.idAt(i) : `cold${i}`));
  return Interactions.fromTriples(t, base.users, IdMap.fromIds(itemIds));
}

describe('BprModel', () => {
  it('never draws items without training interactions as negatives: the trained part equals a fit without them', async () => {
    const plain = withColdItems(0);
    const cold = withColdItems(5);
    expect(cold.nItems).toBe(plain.nItems + 5);
    for (const threads of [1, 3]) {
      const a = await new BprModel({ factors: 8, epochs: 4, threads }).fit(plain);
      const b = await new BprModel({ factors: 8, epochs: 4, threads }).fit(cold);
      // the cold items are the last indices, so any negative drawn from them would change the sampling stream
      expect(b.userFactors).toEqual(a.userFactors);
      expect(b.itemFactors.subarray(0, plain.nItems * 8)).toEqual(a.itemFactors);
      expect(b.itemBiases!.subarray(0, plain.nItems)).toEqual(a.itemBiases);
    }
  });

  it('gives cold items zero factors and a floor bias, so they rank after every trained item', async () => {
    const data = withColdItems(5);
    const n = data.nItems - 5;
    const m = await new BprModel({ factors: 8, epochs: 5, learningRate: 0.05 }).fit(data);
    const f = m.factorCount;
    for (let i = n; i < data.nItems; i++) {
      expect(Array.from(m.itemFactors.subarray(i * f, (i + 1) * f)).every((v) => v === 0)).toBe(true);
      expect(m.itemBiases![i]).toBe(m.itemBiases![n]);
    }
    const scores = new Float32Array(data.nItems);
    for (let u = 0; u < data.nUsers; u++) {
      m.scoreInto(u, scores);
      let minTrained = Infinity;
      for (let i = 0; i < n; i++) minTrained = Math.min(minTrained, scores[i]!);
      for (let i = n; i < data.nItems; i++) expect(scores[i]!).toBeLessThan(minTrained);
    }
    // the whole ranking still holds every unseen item, cold ones last in index order
    const all = m.recommendIndices(Int32Array.of(0), data.nItems);
    const row = Array.from(all.indices).filter((i) => i >= 0);
    expect(row.slice(-5)).toEqual([n, n + 1, n + 2, n + 3, n + 4]);
    expect(row.length).toBe(data.nItems - (data.indptr[1]! - data.indptr[0]!));
  });

  it('is deterministic for a seed, and its per-epoch snapshots equal shorter fits', async () => {
    const data = withColdItems(2);
    const a = await new BprModel({ factors: 8, epochs: 3, seed: 5 }).fit(data);
    const b = await new BprModel({ factors: 8, epochs: 3, seed: 5 }).fit(data);
    expect(b.userFactors).toEqual(a.userFactors);
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(b.itemBiases).toEqual(a.itemBiases);
    const c = await new BprModel({ factors: 8, epochs: 3, seed: 6 }).fit(data);
    expect(c.userFactors).not.toEqual(a.userFactors);

    const snaps = new Map<number, { u: Float32Array; i: Float32Array; b: Float32Array }>();
    const d = await new BprModel({ factors: 8, epochs: 3, seed: 5 }).fit(data, {
      afterEpoch: (e, m) => {
        snaps.set(e, { u: Float32Array.from(m.userFactors), i: Float32Array.from(m.itemFactors), b: Float32Array.from(m.itemBiases!) });
      },
    });
    expect([...snaps.keys()]).toEqual([1, 2, 3]);
    expect(d.userFactors).toEqual(a.userFactors);
    const two = await new BprModel({ factors: 8, epochs: 2, seed: 5 }).fit(data);
    expect(snaps.get(2)!.u).toEqual(two.userFactors);
    expect(snaps.get(2)!.i).toEqual(two.itemFactors);
    expect(snaps.get(2)!.b).toEqual(two.itemBiases);
    expect(snaps.get(3)!.u).toEqual(a.userFactors);
  });
});
