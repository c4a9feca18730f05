import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interactions } from '../data/interactions.js';
import { ItemKnnModel } from '../recommenders/implicit/item-knn.js';
import { defaultLoader } from './registry.js';
import { trainSmallAls } from './test-support/als.js';
import { type Harness, makeHarness } from './test-support/harness.js';

interface Rec {
  items: { id: string; score: number; reason: string }[];
  model: { version: string; algorithm: string; source: string };
}

describe('real-time updates with the real models (no retraining)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness({ serve: { loader: defaultLoader } });
  });
  afterAll(async () => h.close());

  const rec = async (user: string, k = 5) => (await h.app.inject({ method: 'GET', url: `/v1/users/${user}/recommendations?k=${k}` })).json() as Rec;
  const ingest = (events: unknown[]) => h.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });

  it('ALS: a new user gets popular items, then the fold-in of their events at the next request', async () => {
    const als = await trainSmallAls(60, 40, 9);
    await h.ctx.registry.publish('recommender', als.toArtifact(), { activate: true });
    await ingest([{ user: 'crowd', item: 'i50', type: 'view' }]);
    const first = await rec('fresh');
    expect(first.model.source).toBe('popular');
    expect(first.items[0]!.id).toBe('i50');
    expect((await ingest([{ user: 'fresh', item: 'i3', type: 'purchase' }, { user: 'fresh', item: 'i4', type: 'view' }, { user: 'fresh', item: 'i3', type: 'view' }])).statusCode).toBe(200);
    const after = await rec('fresh');
    expect(after.model).toMatchObject({ algorithm: 'als', source: 'fold-in' });
    const idx = Int32Array.from([als.items.indexOf('i3'), als.items.indexOf('i4')]).sort();
    const vals = Float32Array.from(idx, (i) => (als.items.idAt(i) === 'i3' ? 6 : 1));
    const expected = als.recommendForVector(als.foldInUser(idx, vals), 5, idx);
    expect(after.items.map((x) => x.id)).toEqual(Array.from(expected.indices, (i) => als.items.idAt(i)));
    for (let k = 0; k < 5; k++) expect(after.items[k]!.score).toBeCloseTo(expected.scores[k]!, 5);
    expect(after.items[0]!.reason).toMatch(/^because you interacted with i[34]$/);
    const sim = (await h.app.inject({ method: 'GET', url: '/v1/items/i3/similar?k=3' })).json() as Rec;
    expect(sim.items.map((x) => x.id)).toEqual(als.similarItems('i3', 3).map((x) => x.id));
  });

  it('ItemKNN: recommendations follow the live history through recommendFromHistory', async () => {
    const users: string[] = [];
    const items: string[] = [];
    for (let u = 0; u < 30; u++) {
      for (let j = 0; j < 4; j++) {
        users.push(`k${u}`);
        items.push(`i${(u + j * 7) % 40}`);
      }
    }
    const knn = await new ItemKnnModel({}).fit(Interactions.fromRaw(users, items, new Array<number>(users.length).fill(1)));
    await h.ctx.registry.publish('recommender', knn.toArtifact(), { activate: true });
    await ingest([{ user: 'kfresh', item: 'i7', type: 'view' }, { user: 'kfresh', item: 'i14', type: 'view' }]);
    const r = await rec('kfresh', 4);
    expect(r.model).toMatchObject({ algorithm: 'item-knn', source: 'history' });
    const expected = knn.recommendFromHistory(['i14', 'i7'], [1, 1], 4).map((x) => x.id);
    expect(r.items.map((x) => x.id)).toEqual(expected);
  });

  it('bought-together: a published basket model answers; without one, live purchase co-occurrence', async () => {
    await ingest([{ user: 'b1', item: 'p1', type: 'purchase' }, { user: 'b1', item: 'p3', type: 'purchase' }]);
    const live = (await h.app.inject({ method: 'GET', url: '/v1/items/p1/bought-together?k=3' })).json() as Rec;
    expect(live).toMatchObject({ items: [{ id: 'p3' }], model: { source: 'purchases' } });
    const { BoughtTogether } = await import('../recommenders/implicit/bought-together.js');
    const bt = BoughtTogether.fromBaskets([
      ['p1', 'p2'],
      ['p1', 'p2'],
      ['p1', 'p4'],
    ]);
    await h.ctx.registry.publish('bought-together', bt.toArtifact(), { activate: true });
    const r = (await h.app.inject({ method: 'GET', url: '/v1/items/p1/bought-together?k=3' })).json() as Rec;
    expect(r.model).toMatchObject({ algorithm: 'bought-together', source: 'model', slot: 'bought-together' });
    expect(r.items.map((x) => x.id)).toEqual(bt.boughtTogether('p1', 3).map((x) => x.id));
    expect(r.items[0]).toMatchObject({ id: 'p2', reason: 'bought together with p1 in 2 orders' });
  });

  it('session recommendations follow the recent activity only', async () => {
    const old = Date.now() - 3 * 3600_000;
    // co-occurrence: s-old pairs with s-old-friend, s-new with s-new-friend
    await ingest([{ user: 'o1', item: 's-old', type: 'view' }, { user: 'o1', item: 's-old-friend', type: 'view' }, { user: 'o2', item: 's-new', type: 'view' }, { user: 'o2', item: 's-new-friend', type: 'view' }]);
    const ack = await ingest([{ user: 'sess', item: 's-old', type: 'view', timestamp: old }, { user: 'sess', item: 's-new', type: 'view' }]);
    expect(ack.json()).toMatchObject({ accepted: 2 });
    const r = (await h.app.inject({ method: 'GET', url: '/v1/users/sess/session-recommendations?k=5&windowMinutes=30' })).json() as Rec & { session: string[] };
    expect(r.session).toEqual(['s-new']);
    expect(r.items.map((x) => x.id)).toContain('s-new-friend');
    expect(r.items.map((x) => x.id)).not.toContain('s-old-friend');
    const wide = (await h.app.inject({ method: 'GET', url: '/v1/users/sess/session-recommendations?k=5&windowMinutes=600' })).json() as Rec & { session: string[] };
    expect(wide.session.sort()).toEqual(['s-new', 's-old']);
  });

  it('co-occurrence counts update per event for items no model knows', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/items/new-a/similar' })).statusCode).toBe(404);
    await ingest([{ user: 'c1', item: 'new-a', type: 'view' }, { user: 'c1', item: 'new-b', type: 'view' }]);
    const sim = (await h.app.inject({ method: 'GET', url: '/v1/items/new-a/similar?k=3' })).json() as Rec;
    expect(sim.items.map((x) => x.id)).toEqual(['new-b']);
    expect(sim.model.source).toBe('cooccurrence');
  });
});
