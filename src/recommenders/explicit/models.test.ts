import { describe, expect, it } from 'vitest';
import { Interactions } from '../../data/interactions.js';
import { BaselineOnly } from './baseline-only.js';
import { CoClustering } from './co-clustering.js';
import { KNNBaseline, KNNBasic, KNNWithMeans } from './knn.js';
import { NMF } from './nmf.js';
import { NormalPredictor } from './normal.js';
import { SlopeOne } from './slope-one.js';
import { smallRatings } from './test-support/conformance.js';

// A tiny hand-checkable set: users a, b, c; items x, y, z.
const tiny = Interactions.fromRaw(['a', 'a', 'a', 'b', 'b', 'c', 'c'], ['x', 'y', 'z', 'x', 'y', 'x', 'z'], [5, 3, 4, 4, 2, 1, 5]);

describe('BaselineOnly', () => {
  it('one ALS epoch is the closed-form item then user step', async () => {
    const m = await new BaselineOnly({ epochs: 1, regUser: 2, regItem: 1 }).fit(tiny);
    const mu = 24 / 7;
    const bx = (5 + 4 + 1 - 3 * mu) / (1 + 3);
    const by = (3 + 2 - 2 * mu) / (1 + 2);
    const bz = (4 + 5 - 2 * mu) / (1 + 2);
    const ba = (5 - mu - bx + 3 - mu - by + 4 - mu - bz) / (2 + 3);
    const { bu, bi } = m.biases;
    expect(bi[0]).toBeCloseTo(bx, 12);
    expect(bi[1]).toBeCloseTo(by, 12);
    expect(bi[2]).toBeCloseTo(bz, 12);
    expect(bu[0]).toBeCloseTo(ba, 12);
    expect(m.predict('zz', 'y').estimate).toBeCloseTo(mu + by, 12);
  });

  it('SGD and ALS both beat the global mean on structured data', async () => {
    const x = smallRatings();
    const mu = x.meanValue();
    for (const method of ['als', 'sgd'] as const) {
      const m = await new BaselineOnly({ method }).fit(x);
      let se = 0;
      let se0 = 0;
      for (let u = 0; u < x.nUsers; u++) {
        for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) {
          se += (m.predictIndex(u, x.indices[k]!) - x.values[k]!) ** 2;
          se0 += (mu - x.values[k]!) ** 2;
        }
      }
      expect(se).toBeLessThan(se0 * 0.9);
    }
  });
});

describe('KNN', () => {
  it('KNNBasic user-based msd: weighted mean of the neighbours who rated the item', async () => {
    const m = await new KNNBasic({ k: 40 }).fit(tiny);
    // sim(b, a): common x, y: diffs (4-5, 2-3) -> msd 1 -> 1/2; sim(b, c): common x: (4-1)^2 = 9 -> 1/10
    // predict (b, z): raters of z are a (5... rating 4) and c (5): (0.5*4 + 0.1*5) / 0.6
    expect(m.predict('b', 'z').estimate).toBeCloseTo((0.5 * 4 + 0.1 * 5) / 0.6, 6);
    const k1 = await new KNNBasic({ k: 1 }).fit(tiny);
    expect(k1.predict('b', 'z').estimate).toBeCloseTo(4, 6);
  });

  it('falls back with not-enough-neighbours below minK', async () => {
    const m = await new KNNWithMeans({ minK: 3 }).fit(tiny);
    const p = m.predict('b', 'z');
    expect(p.fallback).toBe('not-enough-neighbours');
    expect(p.estimate).toBeCloseTo(3, 12); // mean of b
    const basic = await new KNNBasic({ minK: 3 }).fit(tiny);
    expect(basic.predict('b', 'z').estimate).toBeCloseTo(24 / 7, 12);
  });

  it('KNNBaseline falls back to the baseline for an unknown item', async () => {
    const m = await new KNNBaseline().fit(tiny);
    const b = await new BaselineOnly().fit(tiny);
    expect(m.predict('a', 'new').estimate).toBeCloseTo(b.predict('a', 'new').estimate, 12);
  });
});

describe('SlopeOne', () => {
  it('adds the mean deviation over co-rated items to the user mean', async () => {
    const m = await new SlopeOne().fit(tiny);
    // predict (b, z): b rated x (4), y (2); mean 3. dev(z, x) over a, c: ((4-5) + (5-1)) / 2 = 1.5; dev(z, y) over a: 4-3 = 1
    expect(m.predict('b', 'z').estimate).toBeCloseTo(3 + (1.5 + 1) / 2, 12);
    // predict (c, y): c rated x (1), z (5); mean 3. dev(y, x) over a, b: ((3-5)+(2-4))/2 = -2; dev(y, z) over a: 3-4 = -1
    expect(m.predict('c', 'y').estimate).toBeCloseTo(Math.max(1, 3 - 1.5), 12);
  });
});

describe('NMF, CoClustering, NormalPredictor', () => {
  it('NMF keeps factors non-negative', async () => {
    const m = await new NMF({ epochs: 20 }).fit(smallRatings());
    const t = m.toArtifact().tensors;
    for (const name of ['pu', 'qi']) for (const v of t[name]!.data) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('CoClustering estimate is the co-cluster mean plus user and item offsets', async () => {
    const m = await new CoClustering({ userClusters: 1, itemClusters: 1 }).fit(tiny);
    // one cluster: C̄ = μ, so r̂ = μ_u + μ_i - μ
    const mu = 24 / 7;
    expect(m.predict('b', 'z').estimate).toBeCloseTo(3 + 4.5 - mu, 12);
    expect(m.predict('b', 'new').estimate).toBeCloseTo(3, 12);
    expect(m.predict('new', 'z').estimate).toBeCloseTo(4.5, 12);
  });

  it('NormalPredictor draws from N(mu, sigma) and is a pure function of the pair', async () => {
    const x = smallRatings();
    const m = await new NormalPredictor({ ratingMin: -100, ratingMax: 100 }).fit(x);
    const vals: number[] = [];
    for (let u = 0; u < 60; u++) for (let i = 0; i < 40; i++) vals.push(m.predictIndex(u, i));
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    const mu = x.meanValue();
    let v = 0;
    for (const r of x.values) v += (r - mu) ** 2;
    const sigma = Math.sqrt(v / x.nnz);
    expect(Math.abs(mean - mu)).toBeLessThan(0.1 * sigma);
    expect(Math.abs(sd / sigma - 1)).toBeLessThan(0.1);
    expect(m.predictIndex(3, 4)).toBe(m.predictIndex(3, 4));
  });
});

describe('KNN similarities on worker threads', () => {
  it('threads=2 gives the same similarity matrix and predictions as one thread', async () => {
    const x = smallRatings(21, 300, 60, 0.2);
    const one = await new KNNBaseline({ similarity: 'pearson_baseline' }).fit(x);
    const two = await new KNNBaseline({ similarity: 'pearson_baseline', threads: 2 }).fit(x);
    expect(two.similarities.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(two.similarities)).toEqual(Array.from(one.similarities));
    expect(two.predict(x.users.idAt(5), x.items.idAt(7))).toEqual(one.predict(x.users.idAt(5), x.items.idAt(7)));
  });
});
