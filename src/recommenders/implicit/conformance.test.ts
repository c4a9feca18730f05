import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Artifact, loadArtifact, saveArtifact } from '../../core/artifact.js';
import { EmptyInputError, InvalidArgumentError, NotFittedError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { Interactions } from '../../data/interactions.js';
import { getAlgorithm } from '../registry.js';
import './registry.js';
import type { ImplicitModel } from './base.js';
import type { ParamSpecs } from '../../core/params.js';
import { plantedInteractions } from './test-support.js';

type Model = ImplicitModel<ParamSpecs>;

/** Every implicit model joins the conformance suite with one line: a registry name and small fast params. */
const CASES: [string, Record<string, unknown>][] = [
  ['popular', {}],
  ['trending', {}],
  ['item-knn', { neighbours: 20 }],
  ['item-knn', { similarity: 'jaccard' }],
  ['item-knn', { similarity: 'asymmetric-cosine', asymmetricAlpha: 0.3, weighting: 'bm25' }],
  ['item-knn', { similarity: 'dot', weighting: 'tfidf' }],
  ['ease', { regularization: 50 }],
  ['als', { factors: 8, epochs: 4 }],
  ['bpr', { factors: 8, epochs: 3 }],
  ['bpr', { factors: 8, epochs: 3, threads: 3 }],
  ['sar', {}],
  ['sar', { similarity: 'lift', timeDecay: false, threshold: 2 }],
  ['user-knn', { neighbours: 10 }],
  ['user-knn', { similarity: 'jaccard', binary: false }],
];

const data = plantedInteractions({ users: 60, items: 40, perUser: 8 });
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function make(name: string, params: Record<string, unknown>): Model {
  return getAlgorithm(name, 'ranking').create(params) as unknown as Model;
}

function recs(m: Model, users: readonly string[], k = 10): string {
  return JSON.stringify(users.map((u) => m.recommend(u, k)));
}

const someUsers = ['u0', 'u1', 'u7', 'u33', 'u59'];

describe.each(CASES)('implicit conformance: %s %j', (name, params) => {
  it('refuses use before fit', () => {
    expect(() => make(name, params).recommend('u0', 5)).toThrow(NotFittedError);
  });

  it('unknown users fall back to popular items; unknown items give []', async () => {
    const m = await make(name, params).fit(data);
    const r = m.recommend('nobody', 5);
    expect(r).toHaveLength(5);
    expect(r.every((s) => s.reason === 'popular')).toBe(true);
    expect(m.similarItems?.('no-such-item', 5) ?? []).toEqual([]);
  });

  it('same seed, same model; fit twice equals fit once', async () => {
    const a = await make(name, params).fit(data);
    const b = await make(name, params).fit(data);
    expect(recs(a, someUsers)).toBe(recs(b, someUsers));
    await b.fit(data);
    expect(recs(a, someUsers)).toBe(recs(b, someUsers));
  });

  it('save/load gives identical recommendations', async () => {
    const m = await make(name, params).fit(data);
    const dir = await mkdtemp(join(tmpdir(), 'reckon-implicit-'));
    dirs.push(dir);
    await saveArtifact(join(dir, 'm'), m.toArtifact());
    const back = getAlgorithm(name).fromArtifact(await loadArtifact(join(dir, 'm'), m.algorithm) as Artifact) as unknown as Model;
    expect(recs(back, [...someUsers, 'nobody'])).toBe(recs(m, [...someUsers, 'nobody']));
    expect(JSON.stringify(back.similarItems?.('i3', 5))).toBe(JSON.stringify(m.similarItems?.('i3', 5)));
  });

  it('excludes seen items, honours candidates, and handles k over the catalog size', async () => {
    const m = await make(name, params).fit(data);
    const u = data.users.indexOf('u1');
    const seen = new Set(Array.from(data.rowIndices(u), (i) => data.items.idAt(i)));
    const all = m.recommend('u1', 1000);
    expect(all.length).toBeLessThanOrEqual(data.nItems - seen.size);
    expect(all.some((s) => seen.has(s.id))).toBe(false);
    for (let r = 1; r < all.length; r++) expect(all[r]!.score).toBeLessThanOrEqual(all[r - 1]!.score);
    const withSeen = m.recommend('u1', 1000, { excludeSeen: false });
    expect(withSeen).toHaveLength(data.nItems);
    const cand = m.recommend('u1', 5, { candidates: ['i5', 'i6', 'zzz'], excludeSeen: false });
    expect(cand.map((s) => s.id).sort()).toEqual(['i5', 'i6']);
    expect(m.recommend('u1', 0)).toEqual([]);
    expect(() => m.recommend('u1', -1)).toThrow(InvalidArgumentError);
  });

  it('batch recommendIndices and recommendAll equal per-user recommend', async () => {
    const m = await make(name, params).fit(data);
    const all = await m.recommendAll(7);
    expect(all.indices.length).toBe(data.nUsers * 7);
    const u7 = m.recommend('u7', 7).map((s) => data.items.indexOf(s.id));
    expect(Array.from(all.indices.subarray(7 * 7, 7 * 7 + u7.length))).toEqual(u7);
    const users = Int32Array.from(someUsers, (u) => data.users.indexOf(u));
    const batch = m.recommendIndices(users, 7);
    someUsers.forEach((u, r) => {
      const single = m.recommend(u, 7).map((s) => data.items.indexOf(s.id));
      expect(Array.from(batch.indices.subarray(r * 7, r * 7 + single.length))).toEqual(single);
    });
  });

  it('users without interactions get the popularity fallback', async () => {
    const users = IdMap.fromIds([...data.users.list, 'empty-user']);
    const indptr = new Int32Array(users.size + 1);
    indptr.set(data.indptr);
    indptr[users.size] = data.nnz;
    const withEmpty = new Interactions(users, data.items, indptr, data.indices, data.values, data.timestamps);
    const m = await make(name, params).fit(withEmpty);
    const r = m.recommend('empty-user', 3);
    expect(r).toHaveLength(3);
    expect(r[0]!.reason).toBe('popular');
  });

  it('rejects negative or NaN confidences and empty data with clear errors', async () => {
    const bad = (v: number) => new Interactions(data.users, data.items, data.indptr, data.indices, Float32Array.from(data.values, (x, k) => (k === 3 ? v : x)), data.timestamps);
    await expect(make(name, params).fit(bad(-1))).rejects.toThrow(/confidence for \(user "u0", item "i\d+"\) is -1/);
    await expect(make(name, params).fit(bad(NaN))).rejects.toThrow(/is NaN/);
    const empty = new Interactions(new IdMap(), new IdMap(), new Int32Array(1), new Int32Array(0), new Float32Array(0));
    await expect(make(name, params).fit(empty)).rejects.toThrow(EmptyInputError);
  });
});
