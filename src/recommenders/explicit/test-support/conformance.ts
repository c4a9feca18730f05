import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../../../core/artifact.js';
import { NotFittedError } from '../../../core/errors.js';
import type { IdMap } from '../../../core/ids.js';
import { Rng } from '../../../core/rng.js';
import { Interactions } from '../../../data/interactions.js';
import { getAlgorithm } from '../../registry.js';
import type { ExplicitModel } from '../base.js';
import type { ParamSpecs } from '../../../core/params.js';

/** A planted-factor rating set: r = mu + b_u + b_i + p_u·q_i + N(0, noise²), for tests. */
export interface Planted {
  /** All ratings. */
  data: Interactions;
  /** The noise standard deviation (the best RMSE any model can reach). */
  noise: number;
}

/**
 * Builds a planted low-rank rating set: `users` x `items`, each pair rated with probability `density`, `rank` true
 * factors of scale 1/sqrt(rank)·`signal`, biases N(0, 0.3²), mean 3, Gaussian noise. Ratings are not rounded or
 * clipped, so the noise floor is exactly `noise`.
 */
export function plantedRatings(opts: { users?: number; items?: number; rank?: number; density?: number; noise?: number; signal?: number; seed?: number } = {}): Planted {
  const nU = opts.users ?? 200;
  const nI = opts.items ?? 150;
  const rank = opts.rank ?? 4;
  const density = opts.density ?? 0.3;
  const noise = opts.noise ?? 0.25;
  const signal = opts.signal ?? 1;
  const rng = new Rng(opts.seed ?? 7);
  const scale = signal / Math.sqrt(rank);
  const P = Float64Array.from({ length: nU * rank }, () => rng.normal(0, scale));
  const Q = Float64Array.from({ length: nI * rank }, () => rng.normal(0, 1));
  const bu = Float64Array.from({ length: nU }, () => rng.normal(0, 0.3));
  const bi = Float64Array.from({ length: nI }, () => rng.normal(0, 0.3));
  const us: string[] = [];
  const is: string[] = [];
  const vs: number[] = [];
  for (let u = 0; u < nU; u++) {
    for (let i = 0; i < nI; i++) {
      if (rng.uniform() >= density) continue;
      let dot = 0;
      for (let f = 0; f < rank; f++) dot += P[u * rank + f]! * Q[i * rank + f]!;
      us.push(`u${u}`);
      is.push(`i${i}`);
      vs.push(3 + bu[u]! + bi[i]! + dot + rng.normal(0, noise));
    }
  }
  return { data: Interactions.fromRaw(us, is, vs), noise };
}

/** A small integer-rated set on the 1..5 scale with some structure (for KNN/SlopeOne/CoClustering tests). */
export function smallRatings(seed = 3, users = 60, items = 40, density = 0.35): Interactions {
  const p = plantedRatings({ users, items, density, seed, noise: 0.4, rank: 2 });
  const t = p.data.toTriples();
  for (let k = 0; k < t.values.length; k++) t.values[k] = Math.min(5, Math.max(1, Math.round(t.values[k]!)));
  return Interactions.fromTriples(t, p.data.users, p.data.items);
}

/** Splits off every `every`-th rating as a test set (deterministic), sharing id maps. */
export function holdOut(x: Interactions, every = 5): { train: Interactions; test: Interactions } {
  const m = new Uint8Array(x.nnz);
  for (let k = 0; k < x.nnz; k++) m[k] = k % every === every - 1 ? 1 : 0;
  const inv = new Uint8Array(x.nnz);
  for (let k = 0; k < x.nnz; k++) inv[k] = m[k] ? 0 : 1;
  return { train: x.selectEntries(inv), test: x.selectEntries(m) };
}

type Model = ExplicitModel<ParamSpecs>;

function predictAll(m: Model, users: IdMap, items: IdMap): Float64Array {
  const out = new Float64Array(users.size * items.size);
  let w = 0;
  for (const u of users.list) for (const i of items.list) out[w++] = m.predict(u, i).estimate;
  return out;
}

/**
 * The conformance suite every explicit model joins with one line: `explicitConformance('svd', { epochs: 5 })`.
 * Checks fallbacks for unknown ids, clipping, determinism by seed, fit twice == fit once, artifact round trip,
 * recommend's exclusion of rated items, and NotFittedError before fit.
 */
export function explicitConformance(algorithm: string, params: Record<string, unknown> = {}): void {
  const entry = getAlgorithm(algorithm, 'rating');
  const data = smallRatings();
  const make = (): Model => entry.create(params) as unknown as Model;
  const users = data.users;
  const items = data.items;

  it(`${algorithm}: unknown user/item fall back to a finite in-scale estimate with the reason`, async () => {
    const m = await make().fit(data);
    const knownU = users.idAt(0);
    const knownI = items.idAt(0);
    const a = m.predict('nobody', knownI);
    const b = m.predict(knownU, 'nothing');
    const c = m.predict('nobody', 'nothing');
    expect(a.fallback).toBe('unknown-user');
    expect(b.fallback).toBe('unknown-item');
    expect(c.fallback).toBe('unknown-user-and-item');
    for (const p of [a, b, c]) {
      expect(p.known).toBe(false);
      expect(Number.isFinite(p.estimate)).toBe(true);
      expect(p.estimate).toBeGreaterThanOrEqual(1);
      expect(p.estimate).toBeLessThanOrEqual(5);
    }
    const k = m.predict(knownU, knownI);
    expect(k.known).toBe(true);
  });

  it(`${algorithm}: every prediction is finite and clipped to the scale`, async () => {
    const m = await make().fit(data);
    const all = predictAll(m, users, items);
    for (let k = 0; k < all.length; k++) {
      expect(Number.isFinite(all[k]!)).toBe(true);
      expect(all[k]!).toBeGreaterThanOrEqual(1);
      expect(all[k]!).toBeLessThanOrEqual(5);
    }
  });

  it(`${algorithm}: same seed gives the same model; fitting twice equals fitting once`, async () => {
    const a = await make().fit(data, { seed: 11 });
    const b = await make().fit(data, { seed: 11 });
    const twice = make();
    await twice.fit(data, { seed: 11 });
    await twice.fit(data, { seed: 11 });
    const pa = predictAll(a, users, items);
    expect(predictAll(b, users, items)).toEqual(pa);
    expect(predictAll(twice, users, items)).toEqual(pa);
  });

  it(`${algorithm}: save/load round trip gives identical predictions and recommendations`, async () => {
    const m = await make().fit(data);
    const dir = await mkdtemp(join(tmpdir(), 'reckon-conf-'));
    try {
      await saveArtifact(join(dir, 'model'), m.toArtifact());
      const back = entry.fromArtifact(await loadArtifact(join(dir, 'model'), algorithm)) as unknown as Model;
      expect(predictAll(back, users, items)).toEqual(predictAll(m, users, items));
      expect(back.recommend(users.idAt(3), 5)).toEqual(m.recommend(users.idAt(3), 5));
      expect(back.predict('nobody', items.idAt(1))).toEqual(m.predict('nobody', items.idAt(1)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it(`${algorithm}: recommend excludes already-rated items unless asked not to`, async () => {
    const m = await make().fit(data);
    const u = users.idAt(2);
    const rated = new Set(Array.from(data.rowIndices(2), (i) => items.idAt(i)));
    const recs = m.recommend(u, items.size);
    expect(recs.length).toBe(items.size - rated.size);
    for (const r of recs) expect(rated.has(r.id)).toBe(false);
    for (let k = 1; k < recs.length; k++) expect(recs[k]!.score).toBeLessThanOrEqual(recs[k - 1]!.score + 1e-12);
    const all = m.recommend(u, items.size, { excludeSeen: false });
    expect(all.length).toBe(items.size);
    const cand = m.recommend(u, 3, { candidates: [items.idAt(0), items.idAt(1), 'unknown-item'], excludeSeen: false });
    expect(cand.map((s) => s.id).sort()).toEqual([items.idAt(0), items.idAt(1)].sort());
    expect(m.recommend('stranger', 4).length).toBe(4);
  });

  it(`${algorithm}: predict before fit throws NotFittedError`, () => {
    expect(() => make().predict(users.idAt(0), items.idAt(0))).toThrow(NotFittedError);
  });
}
