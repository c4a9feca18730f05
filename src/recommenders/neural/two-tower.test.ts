import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { Interactions } from '../../data/interactions.js';
import { TwoTowerModel } from './two-tower.js';

/**
 * Planted cold start: 24 items, even ones tagged "comedy" with a funny title, odd ones "horror" with a scary title;
 * items 20..23 never appear in training (cold). Users of group 0 interact with comedies, group 1 with horror films.
 */
function planted(): { data: Interactions; features: { ids: string[]; text: string[]; categorical: string[][]; numeric: { data: Float64Array; cols: number } } } {
  const nI = 24;
  const ids = Array.from({ length: nI }, (_, i) => `m${i}`);
  const text = ids.map((_, i) => (i % 2 === 0 ? `laugh riot funny ${i}` : `scary night terror ${i}`));
  const categorical = ids.map((_, i) => [i % 2 === 0 ? 'comedy' : 'horror']);
  const numeric = { data: Float64Array.from(ids.map((_, i) => 1990 + (i % 7))), cols: 1 };
  const us: number[] = [];
  const is: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (let i = u % 2; i < 20; i += 2) if ((u + i) % 3 !== 0) {
      us.push(u);
      is.push(i);
    }
  }
  const users = IdMap.fromIds(Array.from({ length: 40 }, (_, u) => `u${u}`));
  const items = IdMap.fromIds(ids);
  const data = Interactions.fromTriples({ users: Int32Array.from(us), items: Int32Array.from(is), values: new Float32Array(us.length).fill(1) }, users, items);
  return { data, features: { ids, text, categorical, numeric } };
}

describe('TwoTowerModel', () => {
  it('scores cold items from their features: each group ranks the cold items of its own genre first', async () => {
    const { data, features } = planted();
    const m = await new TwoTowerModel({ factors: 16, epochs: 40, batchSize: 32, learningRate: 0.02, patience: 0 }).withFeatures(features).fit(data, { seed: 1 });
    const c = m.learningCurve;
    expect(c[c.length - 1]!.loss).toBeLessThan(c[0]!.loss);
    const cold = ['m20', 'm21', 'm22', 'm23'];
    for (const u of ['u0', 'u2', 'u4']) {
      const top = m.recommend(u, 2, { candidates: cold }).map((s) => s.id).sort();
      expect(top).toEqual(['m20', 'm22']);
    }
    for (const u of ['u1', 'u3']) {
      const top = m.recommend(u, 2, { candidates: cold }).map((s) => s.id).sort();
      expect(top).toEqual(['m21', 'm23']);
    }
    // a session of horror clicks leads to horror items
    expect(Number(m.recommendForSequence(['m1', 'm3'], 1)[0]!.id.slice(1)) % 2).toBe(1);
    expect(m.itemEmbeddings().rows).toBe(24);
  });

  it('same seed, same model; artifact round trip keeps features and scores', async () => {
    const { data, features } = planted();
    const p = { factors: 8, epochs: 2, batchSize: 32, patience: 0 };
    const a = await new TwoTowerModel(p).withFeatures(features).fit(data, { seed: 4 });
    const b = await new TwoTowerModel(p).withFeatures(features).fit(data, { seed: 4 });
    expect(a.recommend('u5', 6)).toEqual(b.recommend('u5', 6));
    const loaded = TwoTowerModel.fromArtifact(a.toArtifact());
    expect(loaded.recommend('u5', 6)).toEqual(a.recommend('u5', 6));
    expect(loaded.recommend('u7', 3, { candidates: ['m20', 'm21', 'm22'] })).toEqual(a.recommend('u7', 3, { candidates: ['m20', 'm21', 'm22'] }));
  });
});
