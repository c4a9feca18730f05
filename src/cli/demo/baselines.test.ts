import { describe, expect, it } from 'vitest';
import { Interactions } from '../../data/interactions.js';
import { generateSynthetic, syntheticRatingInteractions } from '../../data/synthetic.js';
import { fitBiasBaseline, scoreRatings, scoreTopLists } from './baselines.js';

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k]! / n;
    mb += b[k]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('demo baselines', () => {
  it('one ALS epoch matches the closed form on a tiny matrix', () => {
    const x = Interactions.fromRaw(['a', 'a', 'b'], ['x', 'y', 'x'], [5, 3, 1]);
    const m = fitBiasBaseline(x, { epochs: 1, regUser: 1, regItem: 2 });
    const mu = 3;
    const bx = (5 - mu + (1 - mu)) / (2 + 2);
    const by = (3 - mu) / (2 + 1);
    expect(m.mu).toBeCloseTo(mu, 12);
    expect(m.itemBias[0]).toBeCloseTo(bx, 12);
    expect(m.itemBias[1]).toBeCloseTo(by, 12);
    expect(m.userBias[0]).toBeCloseTo((5 - mu - bx + (3 - mu - by)) / (1 + 2), 12);
    expect(m.userBias[1]).toBeCloseTo((1 - mu - bx) / (1 + 1), 12);
    const s = scoreRatings(m, x, 1, 5, false);
    expect(s.rmse).toBeCloseTo(Math.sqrt((4 + 0 + 4) / 3), 12);
  });

  it('recovers the planted item biases of the synthetic data', () => {
    const d = generateSynthetic({ users: 1500, items: 200, seed: 4 });
    const m = fitBiasBaseline(syntheticRatingInteractions(d));
    // the fitted bias also absorbs each item's mean planted dot product, so the match is strong but not exact
    expect(corr(m.itemBias, d.truth.itemBias)).toBeGreaterThan(0.6);
  });

  it('ranking metrics match hand-computed values', () => {
    // user 0: relevant {1, 3}; list [3, 0, 1] -> hits at ranks 1 and 3
    const test = Interactions.fromTriples(
      { users: Int32Array.of(0, 0), items: Int32Array.of(1, 3), values: Float32Array.of(1, 1) },
      Interactions.fromRaw(['u'], ['a'], [1]).users,
      Interactions.fromRaw(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'], [1, 1, 1, 1]).items,
    );
    const s = scoreTopLists(() => Int32Array.of(3, 0, 1), test, 3);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3);
    expect(s.users).toBe(1);
    expect(s.hitRate).toBe(1);
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(1, 12);
    expect(s.ndcg).toBeCloseTo(dcg / idcg, 12);
  });
});
