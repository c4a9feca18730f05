import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, NotFittedError, UnknownParamError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { Interactions } from '../../data/interactions.js';
import { plantedInteractions } from '../implicit/test-support.js';
import { getAlgorithm } from '../registry.js';
import type { NeuralModel } from './base.js';
import './registry.js';

type Model = NeuralModel<never>;

/** Every neural model, small and fast, through the registry (the way the CLI and the server create them). */
const CASES: [string, Record<string, unknown>][] = [
  ['gmf', { factors: 4, epochs: 2, patience: 0 }],
  ['mlp', { factors: 4, layers: 2, epochs: 2, patience: 1 }],
  ['neumf', { factors: 4, layers: 2, epochs: 1, patience: 0, pretrain: true }],
  ['gru4rec', { factors: 8, maxLen: 5, epochs: 2, patience: 1 }],
  ['sasrec', { factors: 8, maxLen: 5, blocks: 1, epochs: 2, patience: 1 }],
  ['two-tower', { factors: 8, epochs: 2, batchSize: 64, patience: 0, hashBuckets: 256 }],
];

const data = plantedInteractions({ users: 40, items: 30, perUser: 6 });
const make = (name: string, params: Record<string, unknown>): Model => getAlgorithm(name, 'ranking').create(params) as unknown as Model;
const someUsers = ['u0', 'u1', 'u7', 'u33'];

describe.each(CASES)('neural conformance: %s %j', (name, params) => {
  it('refuses use before fit and rejects unknown params', () => {
    expect(() => make(name, params).recommend('u0', 5)).toThrow(NotFittedError);
    expect(() => make(name, { ...params, factorz: 3 })).toThrow(UnknownParamError);
  });

  it('fallbacks, exclusion of seen items, candidates, k bounds, batch equals single, fit twice equals fit once', async () => {
    const m = await make(name, params).fit(data, { seed: 3 });
    expect(m.recommend('nobody', 4).every((s) => s.reason === 'popular')).toBe(true);
    expect(m.similarItems('no-such-item', 3)).toEqual([]);
    expect(m.similarItems('i3', 3)).toHaveLength(3);
    const u = data.users.indexOf('u1');
    const seen = new Set(Array.from(data.rowIndices(u), (i) => data.items.idAt(i)));
    const all = m.recommend('u1', 1000);
    expect(all).toHaveLength(data.nItems - seen.size);
    expect(all.some((s) => seen.has(s.id))).toBe(false);
    for (let r = 1; r < all.length; r++) expect(all[r]!.score).toBeLessThanOrEqual(all[r - 1]!.score);
    expect(m.recommend('u1', 5, { candidates: ['i5', 'i6', 'zzz'], excludeSeen: false }).map((s) => s.id).sort()).toEqual(['i5', 'i6']);
    expect(m.recommend('u1', 0)).toEqual([]);
    expect(() => m.recommend('u1', -1)).toThrow(InvalidArgumentError);
    const users = Int32Array.from(someUsers, (id) => data.users.indexOf(id));
    const batch = m.recommendIndices(users, 6);
    someUsers.forEach((id, r) => {
      const single = m.recommend(id, 6).map((s) => data.items.indexOf(s.id));
      expect(Array.from(batch.indices.subarray(r * 6, r * 6 + 6))).toEqual(single);
    });
    const before = JSON.stringify(someUsers.map((id) => m.recommend(id, 5)));
    await m.fit(data, { seed: 3 });
    expect(JSON.stringify(someUsers.map((id) => m.recommend(id, 5)))).toBe(before);
    const emb = m.itemEmbeddings();
    expect(emb.data.length).toBe(emb.rows * emb.cols);
    expect(emb.rows).toBe(data.nItems);
  });

  it('rejects negative confidences and empty data with clear errors', async () => {
    const bad = new Interactions(data.users, data.items, data.indptr, data.indices, Float32Array.from(data.values, (x, k) => (k === 3 ? -1 : x)), data.timestamps);
    await expect(make(name, params).fit(bad)).rejects.toThrow(/is -1/);
    const empty = new Interactions(new IdMap(), new IdMap(), new Int32Array(1), new Int32Array(0), new Float32Array(0));
    await expect(make(name, params).fit(empty)).rejects.toThrow(EmptyInputError);
  });
});
