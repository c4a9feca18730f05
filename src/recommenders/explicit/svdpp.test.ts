import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { SVDpp } from './svdpp.js';
import { smallRatings } from './test-support/conformance.js';

/**
 * Reference twin: Surprise's SVD++ loop as written (every y_j updated after every rating, O(|I_u|) per factor).
 * Same initialization order (pu, qi, yj from one seeded generator) so the results must agree to rounding.
 */
function referenceSvdpp(x: Interactions, F: number, epochs: number, lr: number, reg: number, seed: number): (u: number, i: number) => number {
  const rng = new Rng(seed);
  const nU = x.nUsers;
  const nI = x.nItems;
  const pu = Array.from({ length: nU }, () => Array.from({ length: F }, () => 0));
  const qi = Array.from({ length: nI }, () => Array.from({ length: F }, () => 0));
  const yj = Array.from({ length: nI }, () => Array.from({ length: F }, () => 0));
  for (const m of [pu, qi, yj]) for (const row of m) for (let f = 0; f < F; f++) row[f] = rng.normal(0, 0.1);
  const bu = new Array<number>(nU).fill(0);
  const bi = new Array<number>(nI).fill(0);
  const mu = x.meanValue();
  for (let e = 0; e < epochs; e++) {
    for (let u = 0; u < nU; u++) {
      const Iu = Array.from(x.rowIndices(u));
      const sq = Math.sqrt(Iu.length);
      const vals = x.rowValues(u);
      Iu.forEach((i, n) => {
        const impl = Array.from({ length: F }, (_, f) => Iu.reduce((s, j) => s + yj[j]![f]!, 0) / sq);
        let dot = 0;
        for (let f = 0; f < F; f++) dot += qi[i]![f]! * (pu[u]![f]! + impl[f]!);
        const err = vals[n]! - (mu + bu[u]! + bi[i]! + dot);
        bu[u] = bu[u]! + lr * (err - reg * bu[u]!);
        bi[i] = bi[i]! + lr * (err - reg * bi[i]!);
        for (let f = 0; f < F; f++) {
          const puf = pu[u]![f]!;
          const qif = qi[i]![f]!;
          pu[u]![f] = puf + lr * (err * qif - reg * puf);
          qi[i]![f] = qif + lr * (err * (puf + impl[f]!) - reg * qif);
          for (const j of Iu) yj[j]![f] = yj[j]![f]! + lr * ((err * qif) / sq - reg * yj[j]![f]!);
        }
      });
    }
  }
  return (u, i) => {
    const Iu = Array.from(x.rowIndices(u));
    let est = mu + bu[u]! + bi[i]!;
    for (let f = 0; f < F; f++) est += qi[i]![f]! * (pu[u]![f]! + Iu.reduce((s, j) => s + yj[j]![f]!, 0) / Math.sqrt(Iu.length));
    return est;
  };
}

describe('SVDpp', () => {
  it('matches the per-rating reference loop of Surprise to 1e-9 (lazy y_j updates are exact)', async () => {
    const x = smallRatings(9, 25, 20, 0.4);
    const ref = referenceSvdpp(x, 4, 6, 0.007, 0.02, 3);
    const m = await new SVDpp({ factors: 4, epochs: 6, seed: 3, ratingMin: -100, ratingMax: 100 }).fit(x);
    for (let u = 0; u < x.nUsers; u++) {
      for (let i = 0; i < x.nItems; i++) {
        if (x.rowLength(u) === 0 || x.itemCounts()[i] === 0) continue;
        expect(Math.abs(m.predictIndex(u, i) - ref(u, i))).toBeLessThan(1e-9);
      }
    }
  });

  it('defaults equal Surprise', () => {
    const p = new SVDpp().getParams();
    expect([p.factors, p.epochs, p.learningRate, p.regularization, p.initStd]).toEqual([20, 20, 0.007, 0.02, 0.1]);
  });
});
