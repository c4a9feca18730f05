import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { Interactions } from '../../data/interactions.js';
import { AlsModel } from './als.js';
import { EaseModel, invertSpdInPlace } from './ease.js';
import { ItemKnnModel } from './item-knn.js';
import { TrendingModel } from './popularity.js';
import { SarModel } from './sar.js';
import { plantedInteractions } from './test-support.js';

const data = plantedInteractions({ users: 90, items: 50, perUser: 9 });

describe('model-specific behaviour', () => {
  it('ALS foldInUser solves the normal equations (YtCY + lambda I) x = YtCp', async () => {
    const m = await new AlsModel({ factors: 6, epochs: 4, alpha: 3, regularization: 0.5 }).fit(data);
    const items = Int32Array.of(7, 2, 30);
    const values = Float32Array.of(1, 4, 2);
    const x = m.foldInUser(items, values);
    const f = 6;
    const y = m.itemFactors;
    // residual r = b - A x, with A = YtY + reg I + sum (c-1) y y^T and b = sum c y
    const r = new Float64Array(f);
    for (let i = 0; i < m.nItems; i++) {
      let d = 0;
      for (let c = 0; c < f; c++) d += y[i * f + c]! * x[c]!;
      for (let c = 0; c < f; c++) r[c] -= d * y[i * f + c]!;
    }
    for (let c = 0; c < f; c++) r[c] -= 0.5 * x[c]!;
    items.forEach((i, t) => {
      const conf = 1 + 3 * values[t]!;
      let d = 0;
      for (let c = 0; c < f; c++) d += y[i * f + c]! * x[c]!;
      for (let c = 0; c < f; c++) r[c] += (conf - (conf - 1) * d) * y[i * f + c]!;
    });
    for (let c = 0; c < f; c++) expect(Math.abs(r[c]!)).toBeLessThan(1e-4);
    expect(Array.from(m.foldInUser(new Int32Array(0), new Float32Array(0)))).toEqual(new Array(f).fill(0));
    expect(() => m.foldInUser(Int32Array.of(999), Float32Array.of(1))).toThrow(/outside/);
    expect(() => m.foldInUser(Int32Array.of(1), Float32Array.of(-1))).toThrow(/finite and >= 0/);
    const top = m.recommendForVector(x, 5, Int32Array.from(items).sort());
    expect(top.indices).toHaveLength(5);
    expect(Array.from(top.indices).some((i) => items.includes(i))).toBe(false);
  });

  it('EASE inversion matches a hand-inverted 2x2 and refuses catalogs over maxItems', async () => {
    const a = Float64Array.of(4, 1, 1, 3);
    invertSpdInPlace(a, 2);
    const det = 11;
    expect(Array.from(a).map((v) => v * det)).toEqual([3, -1, -1, 4].map((v) => expect.closeTo(v, 10) as unknown as number));
    await expect(new EaseModel({ maxItems: 10 }).fit(data)).rejects.toThrow(/50 items exceed maxItems = 10/);
  });

  it('trending weights events by 2^(-age / halfLife)', async () => {
    const day = 86400;
    const users = IdMap.fromIds(['a', 'b']);
    const items = IdMap.fromIds(['old', 'new']);
    const x = Interactions.fromTriples(
      { users: Int32Array.of(0, 1, 0), items: Int32Array.of(0, 0, 1), values: Float32Array.of(1, 1, 1), timestamps: Float64Array.of(0, 0, 14 * day) },
      users,
      items,
    );
    const m = await new TrendingModel({ halfLifeDays: 7 }).fit(x);
    const r = m.recommend('nobody', 2);
    // "old": two events 14 days before now -> 2 x 0.25; "new": one event now -> 1
    expect(r.map((s) => s.id)).toEqual(['new', 'old']);
    expect(r[0]!.score).toBeCloseTo(1, 6);
    expect(r[1]!.score).toBeCloseTo(0.5, 6);
    await expect(new TrendingModel().fit(new Interactions(x.users, x.items, x.indptr, x.indices, x.values))).rejects.toThrow(/no timestamps/);
  });

  it('ItemKNN and SAR score ad-hoc histories with reasons; unknown ids are ignored', async () => {
    for (const m of [await new ItemKnnModel({ neighbours: 20 }).fit(data), await new SarModel().fit(data)]) {
      const r = m.recommendFromHistory(['i3', 'i5', 'nope'], undefined, 4);
      expect(r.length).toBeGreaterThan(0);
      expect(r.some((s) => s.id === 'i3' || s.id === 'i5')).toBe(false);
      expect(r[0]!.reason).toMatch(/^because you liked i[35]$/);
      expect(m.recommendFromHistory(['nope'], undefined, 4)).toEqual([]);
      // a known user's recommendations carry the same kind of reason
      expect(m.recommend('u4', 3)[0]!.reason).toMatch(/^because you liked i\d+$/);
    }
  });

  it('SAR lift and Jaccard follow their definitions on a hand-made case', async () => {
    // users: a {x, y}, b {x, y}, c {x, z}: c_xy = 2, c_xx = 3, c_yy = 2, c_xz = 1, c_zz = 1
    const x = Interactions.fromRaw(['a', 'a', 'b', 'b', 'c', 'c'], ['x', 'y', 'x', 'y', 'x', 'z'], [1, 1, 1, 1, 1, 1], { timestamps: [0, 0, 0, 0, 0, 0] });
    const jac = await new SarModel({ similarity: 'jaccard' }).fit(x);
    const sj = jac.similarItems('x', 2);
    expect(sj[0]).toMatchObject({ id: 'y' });
    expect(sj[0]!.score).toBeCloseTo(2 / (3 + 2 - 2), 6);
    expect(sj[1]!.score).toBeCloseTo(1 / (3 + 1 - 1), 6);
    const lift = await new SarModel({ similarity: 'lift' }).fit(x);
    const sl = lift.similarItems('x', 2);
    expect(sl.find((s) => s.id === 'y')!.score).toBeCloseTo(2 / 6, 6);
    expect(sl.find((s) => s.id === 'z')!.score).toBeCloseTo(1 / 3, 6);
  });
});
