import { describe, expect, it } from 'vitest';
import { Interactions } from '../../data/interactions.js';
import { HybridRecommender } from './hybrid.js';
import { LightFMRecommender } from './lightfm.js';
import { mmrOrder } from './mmr.js';
import { CATALOG, ratings } from './test-fixture.js';
import { coldAndWarmHoldout, ndcgAtK } from './validation.js';

describe('HybridRecommender', () => {
  it('tunes alpha and coldAlpha on validation and records the curve', async () => {
    const m = await new HybridRecommender({ validationUsers: 50 }).setItemFeatures(CATALOG).fit(ratings());
    expect(m.validationCurve.length).toBe(11);
    expect(m.alpha).toBeGreaterThanOrEqual(0);
    expect(m.alpha).toBeLessThanOrEqual(1);
    expect(m.coldAlpha).toBeGreaterThanOrEqual(0);
  });

  it('alpha = 0 ranks like content on items with interactions; alpha = 1 like CF', async () => {
    const content = await new HybridRecommender({ alpha: 0, coldAlpha: 0 }).setItemFeatures(CATALOG).fit(ratings());
    // u1 (sci-fi): content puts the cold cyberpunk film first
    expect(content.recommend('u1', 1)[0]!.id).toBe('m9');
    const cf = await new HybridRecommender({ alpha: 1, coldAlpha: 1, coldNeighbours: 0 }).setItemFeatures(CATALOG).fit(ratings());
    // u1 shares Matrix with u5, who also watched Toy Story and Heat: CF puts one of those first; m9 scores 0
    expect(['m6', 'm8']).toContain(cf.recommend('u1', 1)[0]!.id);
    const s = cf.scoreUser(cf.state.users.indexOf('u1'));
    expect(s[cf.state.items.indexOf('m9')]).toBe(0);
  });

  it('cf param: blends content with a registered CF model (ease), saved inside the artifact; bad names rejected', async () => {
    expect(() => new HybridRecommender({ cf: 'nope' as 'ease' })).toThrow(/cf/);
    const m = await new HybridRecommender({ cf: 'ease', validationUsers: 20, validationRounds: 2 }).setItemFeatures(CATALOG).fit(ratings());
    expect(m.validationCurve.length).toBe(11);
    const pure = await new HybridRecommender({ cf: 'ease', alpha: 1, coldAlpha: 1, coldNeighbours: 0 }).setItemFeatures(CATALOG).fit(ratings());
    const u = pure.state.users.indexOf('u1');
    const s = pure.scoreUser(u);
    // pure CF from EASE: scores in [0, 1], the cold film (no interactions) scores 0, some warm item scores 1
    let max = 0;
    for (let j = 0; j < s.length; j++) {
      expect(s[j]).toBeGreaterThanOrEqual(0);
      expect(s[j]).toBeLessThanOrEqual(1 + 1e-12);
      max = Math.max(max, s[j]!);
    }
    expect(max).toBeCloseTo(1, 12);
    expect(s[pure.state.items.indexOf('m9')]).toBe(0);
    const back = HybridRecommender.fromArtifact(m.toArtifact());
    const a = m.scoreUser(u);
    const b = back.scoreUser(u);
    for (let j = 0; j < a.length; j++) expect(b[j]).toBeCloseTo(a[j]!, 6);
    expect(back.recommend('u1', 3).map((r) => r.id)).toEqual(m.recommend('u1', 3).map((r) => r.id));
  });

  it('switching: users with few interactions get content scores', async () => {
    const m = await new HybridRecommender({ mode: 'switching', minInteractions: 3 }).setItemFeatures(CATALOG).fit(ratings());
    expect(m.recommend('u1', 1)[0]!.id).toBe('m9');
    expect(m.recommend('u1', 1)[0]!.reason).toMatch(/^Because you watched/);
  });

  it('MMR re-ranking diversifies', async () => {
    const rel = Float64Array.of(1, 0.99, 0.5);
    const sim = (a: number, b: number) => (a + b === 1 ? 1 : 0); // 0 and 1 are duplicates
    expect(Array.from(mmrOrder(rel, 2, 1, sim))).toEqual([0, 1]);
    expect(Array.from(mmrOrder(rel, 2, 0.5, sim))).toEqual([0, 2]);
    const m = await new HybridRecommender({ alpha: 0, coldAlpha: 0, mmrLambda: 0.3 }).setItemFeatures(CATALOG).fit(ratings());
    expect(m.recommend('u1', 3).length).toBe(3);
  });
});

describe('LightFMRecommender', () => {
  it('ranks a cold item by its features: sci-fi fans get the new sci-fi film before romance', async () => {
    const users: string[] = [];
    const items: string[] = [];
    for (let u = 0; u < 30; u++) {
      const scifi = u % 2 === 0;
      for (const i of scifi ? ['m1', 'm2', 'm5'] : ['m3', 'm4']) {
        users.push(`u${u}`);
        items.push(i);
      }
    }
    const data = Interactions.fromRaw(users, items, new Float32Array(users.length).fill(1));
    for (const loss of ['warp', 'bpr'] as const) {
      const m = await new LightFMRecommender({ loss, epochs: 40, factors: 8, seed: 3 }).setItemFeatures(CATALOG).fit(data);
      const s = m.scoreUser(m.state.users.indexOf('u0'));
      const idx = (id: string) => m.state.items.indexOf(id);
      expect(s[idx('m9')]).toBeGreaterThan(s[idx('m3')]!);
      const t = m.scoreUser(m.state.users.indexOf('u1'));
      expect(t[idx('m9')]).toBeLessThan(t[idx('m3')]!);
    }
  });
});

describe('validation helpers', () => {
  it('ndcgAtK and the cold+warm hold-out', () => {
    expect(ndcgAtK(Float64Array.of(0.1, 0.9, 0.5), undefined, [1], 2)).toBeCloseTo(1, 12);
    expect(ndcgAtK(Float64Array.of(0.1, 0.9, 0.5), undefined, [2], 2)).toBeCloseTo(1 / Math.log2(3), 12);
    const r = ratings();
    const { train, valid, heldOutItems } = coldAndWarmHoldout(r, 0.3, 0.2, 5);
    expect(train.nnz + valid.nnz).toBe(r.nnz);
    for (let j = 0; j < r.nItems; j++) if (heldOutItems[j]) expect(train.itemCounts()[j]).toBe(0);
  });
});
