import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  catalogCoverage,
  cosineOfColumns,
  intraListDiversity,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  userAuc,
  userRankingScores,
  emptyScores,
} from './ranking.js';

const TOL = 1e-12;

describe('ranking metrics against hand-computed cases', () => {
  // list 5, 1, 9, 3 with relevant {1, 3, 7}: hits at ranks 2 and 4
  const rec = Int32Array.of(5, 1, 9, 3);
  const rel = Int32Array.of(1, 3, 7);

  it('precision, recall, hit-based figures', () => {
    expect(precisionAtK(rec, 4, rel)).toBeCloseTo(2 / 4, 12);
    expect(recallAtK(rec, 4, rel)).toBeCloseTo(2 / 3, 12);
    expect(reciprocalRank(rec, 4, rel)).toBeCloseTo(1 / 2, 12);
    expect(reciprocalRank(rec, 1, rel)).toBe(0);
    // precision divides by k even when the list is shorter (padding -1)
    expect(precisionAtK(Int32Array.of(1, -1, -1), 3, rel)).toBeCloseTo(1 / 3, 12);
  });

  it('NDCG with binary relevance', () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(Math.abs(ndcgAtK(rec, 4, rel) - dcg / idcg)).toBeLessThan(TOL);
    // ideal list scores 1
    expect(ndcgAtK(Int32Array.of(3, 7, 1), 3, rel)).toBeCloseTo(1, 12);
    // k=2 with one relevant item at rank 2: IDCG over min(k, |rel|) = 2 positions
    expect(ndcgAtK(Int32Array.of(5, 1), 2, rel)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
  });

  it('AP@k divides by min(k, |relevant|)', () => {
    expect(averagePrecisionAtK(rec, 4, rel)).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
    expect(averagePrecisionAtK(Int32Array.of(1, 5), 2, rel)).toBeCloseTo(1 / 2, 12);
  });

  it('apRelevant (Microsoft Recommenders map) divides the same sum by |relevant|', () => {
    // k = 2, hit at rank 1 only: AP@2 = 1 / min(2, 3), apRelevant = 1 / 3
    const s = userRankingScores(Int32Array.of(1, 5), 0, 2, rel, emptyScores());
    expect(s.ap).toBeCloseTo(1 / 2, 12);
    expect(s.apRelevant).toBeCloseTo(1 / 3, 12);
    expect(userRankingScores(rec, 0, 4, rel, emptyScores()).apRelevant).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
  });

  it('AUC by rank sum, with ties counting one half and exclusions skipped', () => {
    // items 0..4, scores; item 4 excluded; relevant {1}
    const s = Float32Array.of(0.1, 0.5, 0.3, 0.5, 0.9);
    // candidates 0,1,2,3: positive 1 (0.5) beats 0 and 2, ties 3 -> (2 + 0.5) / 3
    expect(userAuc(s, Int32Array.of(4), Int32Array.of(1))).toBeCloseTo(2.5 / 3, 12);
    expect(userAuc(s, undefined, Int32Array.of(4))).toBeCloseTo(1, 12);
    expect(Number.isNaN(userAuc(s, undefined, Int32Array.of()))).toBe(true);
  });

  it('coverage, novelty, intra-list diversity', () => {
    const batch = { k: 2, indices: Int32Array.of(0, 1, 1, -1), scores: new Float32Array(4) };
    expect(catalogCoverage(batch, 4)).toBeCloseTo(0.5, 12);
    // pops: item0 in 2 of 4 users, item1 in 1 of 4: (1 + 2 + 2) / 3
    expect(novelty(batch, Int32Array.of(2, 1, 0, 0), 4)).toBeCloseTo(5 / 3, 12);
    // only the first list has 2 items; sim 0.25 -> diversity 0.75
    expect(intraListDiversity(batch, () => 0.25)).toBeCloseTo(0.75, 12);
    // CSC: item0 users {0,1}, item1 users {1}: cosine 1/sqrt(2)
    expect(cosineOfColumns(Int32Array.of(0, 2, 3), Int32Array.of(0, 1, 1), 0, 1)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

describe('sampled ranking (opt-in, labelled)', async () => {
  const { evaluateSampledRanking } = await import('./sampled-ranking.js');
  const { IdMap } = await import('../core/ids.js');
  const { Interactions } = await import('../data/interactions.js');
  const users = IdMap.fromIds(['a']);
  const items = IdMap.fromIds(['0', '1', '2', '3', '4', '5']);
  const train = new Interactions(users, items, Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1));
  const test = new Interactions(users, items, Int32Array.of(0, 1), Int32Array.of(5), Float32Array.of(1));
  // scores rank item 5 below 4 negatives: with all 4 negatives sampled, the hit is at rank 5
  const model = { scoreInto: (_u: number, out: Float32Array) => out.set([9, 5, 4, 3, 2, 1]) };

  it('ranks test items among sampled negatives and labels every key', () => {
    const r = evaluateSampledRanking(model, train, test, { k: 5, negatives: 100, seed: 1 });
    expect(Object.keys(r).filter((key) => key.includes('@')).every((key) => key.startsWith('sampled100-'))).toBe(true);
    expect(r['sampled100-hit@5']).toBe(1);
    expect(r['sampled100-ndcg@5']).toBeCloseTo(1 / Math.log2(6), 12);
    const r2 = evaluateSampledRanking(model, train, test, { k: 2, negatives: 4, seed: 1 });
    expect(r2['sampled4-hit@2']).toBe(0);
  });
});
