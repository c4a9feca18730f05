import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeHarness } from './test-support/harness.js';
import { TestFactorModel } from './test-support/factors.js';

interface RecBody {
  user: string;
  items: { id: string; score: number; reason: string }[];
  model: { version: string; algorithm: string; source: string };
  listId: string;
  experiment?: { name: string; variant: string };
}

describe('server app (inject)', () => {
  let h: Harness;
  const model = TestFactorModel.random(40, 4, 7);
  beforeAll(async () => {
    h = await makeHarness({
      tabular: async (name) => (name === 'churn' ? { predictProba: (rows) => rows.map((r) => (Number(r['tenure'] ?? 0) > 12 ? 0.1 : 0.8)) } : undefined),
    });
    await h.ctx.registry.publish('recommender', model.toArtifact(), { activate: true, metrics: { ndcg10: 0.3 } });
  });
  afterAll(async () => h.close());

  const get = async (url: string) => {
    const r = await h.app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json() as Record<string, unknown>, headers: r.headers };
  };
  const send = async (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const r = await h.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> };
  };

  it('health, readiness and docs', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', store: 'sqlite', cache: 'lru', model: 'v1' });
    const docs = await h.app.inject({ method: 'GET', url: '/docs/json' });
    const spec = docs.json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/users/{id}/recommendations', '/v1/events', '/v1/items/{id}/similar', '/healthz']));
  });

  it('items and users CRUD', async () => {
    const put = await send('PUT', '/v1/items/i1', { title: 'One', categories: ['books'], attributes: { price: 3 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'i1', title: 'One', categories: ['books'], attributes: { price: 3 }, hidden: false });
    expect(typeof put.body['createdAt']).toBe('string');
    expect((await send('POST', '/v1/items', { items: [{ id: 'i2', categories: ['books'] }, { id: 'i3', hidden: true }, { id: 'i4', categories: ['music'] }] })).body).toEqual({ written: 3 });
    expect((await get('/v1/items/i3')).body).toMatchObject({ hidden: true });
    expect((await get('/v1/items?limit=2')).body).toMatchObject({ next: 'i2' });
    expect((await get('/v1/items/zzz')).status).toBe(404);
    expect((await send('PUT', '/v1/users/alice', { attributes: { plan: 'pro' } })).body).toMatchObject({ id: 'alice', attributes: { plan: 'pro' } });
    await send('POST', '/v1/users', { users: [{ id: 'bob' }, { id: 'carol' }] });
    expect((await get('/v1/users?limit=2')).body).toEqual({ users: ['alice', 'bob'], next: 'bob' });
    expect((await send('DELETE', '/v1/users/carol', undefined)).body).toEqual({ ok: true });
    expect((await send('DELETE', '/v1/users/carol', undefined)).status).toBe(404);
  });

  it('a new user gets popular items; an event changes the list at once (fold-in), cache hit in between', async () => {
    await send('POST', '/v1/events', { events: [{ user: 'pop1', item: 'i5', type: 'view' }, { user: 'pop2', item: 'i5', type: 'view' }, { user: 'pop2', item: 'i6', type: 'view' }] });
    const fresh = await get('/v1/users/newbie/recommendations?k=2');
    expect(fresh.status).toBe(200);
    const fb = fresh.body as unknown as RecBody;
    expect(fb.model.source).toBe('popular');
    expect(fb.items[0]!.id).toBe('i5');
    expect(fb.items[0]!.reason).toMatch(/popular/);

    const first = await get('/v1/users/dave/recommendations?k=5');
    expect(first.headers['x-cache']).toBe('miss');
    expect((await get('/v1/users/dave/recommendations?k=5')).headers['x-cache']).toBe('hit');

    const ev = await send('POST', '/v1/events', { events: [{ id: 'd1', user: 'dave', item: 'i10', type: 'purchase' }, { id: 'd2', user: 'dave', item: 'i11', type: 'view' }] });
    expect(ev.body).toMatchObject({ accepted: 2, duplicates: 0, ids: ['d1', 'd2'] });
    const after = await get('/v1/users/dave/recommendations?k=5');
    expect(after.headers['x-cache']).toBe('miss');
    const ab = after.body as unknown as RecBody;
    expect(ab.model).toMatchObject({ version: 'v1', algorithm: 'test-factors', source: 'fold-in' });
    // the answer is exactly the fold-in of dave's history against the item factors, seen items excluded
    const vec = model.foldInUser(Int32Array.from([10, 11]), Float32Array.from([5, 1]));
    const expected = model.recommendForVector(vec, 5, Int32Array.from([10, 11]));
    expect(ab.items.map((x) => x.id)).toEqual(Array.from(expected.indices, (i) => `i${i}`));
    for (let k = 0; k < 5; k++) expect(ab.items[k]!.score).toBeCloseTo(expected.scores[k]!, 4);
    expect(ab.items[0]!.reason).toMatch(/^because you interacted with i1[01]$/);
    expect(ab.items.some((x) => x.id === 'i10' || x.id === 'i11')).toBe(false);

    // retrying the same batch stores nothing twice
    expect((await send('POST', '/v1/events', { events: [{ id: 'd1', user: 'dave', item: 'i10', type: 'purchase' }] })).body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('offset, category filter, hidden items and excludeSeen', async () => {
    const all = ((await get('/v1/users/dave/recommendations?k=6')).body as unknown as RecBody).items.map((x) => x.id);
    const page2 = ((await get('/v1/users/dave/recommendations?k=3&offset=3')).body as unknown as RecBody).items.map((x) => x.id);
    expect(page2).toEqual(all.slice(3, 6));
    expect(all).not.toContain('i3');
    const books = ((await get('/v1/users/dave/recommendations?k=5&category=books')).body as unknown as RecBody).items.map((x) => x.id);
    expect(books.sort()).toEqual(['i1', 'i2']);
    const withSeen = ((await get('/v1/users/dave/recommendations?k=40&excludeSeen=false')).body as unknown as RecBody).items.map((x) => x.id);
    expect(withSeen).toContain('i10');
  });

  it('similar items, bought together, popular and trending', async () => {
    const sim = await get('/v1/items/i1/similar?k=3');
    expect(sim.status).toBe(200);
    expect((sim.body['items'] as unknown[]).length).toBe(3);
    expect((await get('/v1/items/nope/similar')).status).toBe(404);
    await send('POST', '/v1/events', { events: [{ user: 'e1', item: 'i20', type: 'purchase' }, { user: 'e1', item: 'i21', type: 'purchase' }] });
    const bt = await get('/v1/items/i20/bought-together?k=3');
    expect(bt.body).toMatchObject({ items: [{ id: 'i21' }], model: { source: 'purchases' } });
    const pop = await get('/v1/popular?k=1');
    expect(pop.body).toMatchObject({ items: [{ id: 'i5' }] });
    expect((await get('/v1/trending?k=3')).status).toBe(200);
  });

  it('model registry: list, activate, rollback; cache keys carry the version', async () => {
    await h.ctx.registry.publish('recommender', TestFactorModel.random(40, 4, 99).toArtifact());
    const list = (await get('/v1/models')).body['models'] as { version: string; active: boolean; metrics: Record<string, number> }[];
    expect(list.map((m) => [m.version, m.active])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
    expect(list[0]!.metrics).toEqual({ ndcg10: 0.3 });
    expect((await send('POST', '/v1/models/v2/activate')).body).toMatchObject({ version: 'v2' });
    const r = (await get('/v1/users/dave/recommendations?k=5')).body as unknown as RecBody;
    expect(r.model.version).toBe('v2');
    expect((await send('POST', '/v1/models/rollback', {})).body).toMatchObject({ version: 'v1' });
    expect(((await get('/v1/users/dave/recommendations?k=5')).body as unknown as RecBody).model.version).toBe('v1');
    expect((await send('POST', '/v1/models/rollback', {})).status).toBe(400);
    expect((await send('POST', '/v1/models/v99/activate')).status).toBe(404);
  });

  it('A/B test: stable split, impressions and clicks per variant, z-test', async () => {
    const start = await send('POST', '/v1/experiments', { name: 'exp1', control: 'v1', treatment: 'v2', treatmentPercent: 50 });
    expect(start.status).toBe(200);
    const variants = new Map<string, string>();
    for (let u = 0; u < 40; u++) {
      const b = (await get(`/v1/users/ab${u}/recommendations?k=3`)).body as unknown as RecBody;
      variants.set(`ab${u}`, b.experiment!.variant);
      expect(b.model.version).toBe(b.experiment!.variant === 'control' ? 'v1' : 'v2');
      if (u % 2 === 0) await send('POST', '/v1/events', { events: [{ user: `ab${u}`, item: b.items[0]!.id, type: 'click', listId: b.listId }] });
    }
    // same user, same variant
    for (const [u, v] of variants) expect(((await get(`/v1/users/${u}/recommendations?k=3`)).body as unknown as RecBody).experiment!.variant).toBe(v);
    const res = (await get('/v1/experiments/exp1/results')).body as { control: { impressions: number; clicks: number }; treatment: { impressions: number; clicks: number }; pValue: number };
    expect(res.control.impressions + res.treatment.impressions).toBe(80);
    expect(res.control.clicks + res.treatment.clicks).toBe(20);
    expect(res.control.impressions).toBeGreaterThan(10);
    expect(res.pValue).toBeGreaterThan(0);
    expect((await send('DELETE', '/v1/experiments/exp1')).status).toBe(200);
    expect((await get('/v1/experiments/exp1/results')).status).toBe(404);
  });

  it('tabular predictions by model name', async () => {
    const r = await send('POST', '/v1/predictions/churn', { rows: [{ tenure: 24 }, { tenure: 2, contract: 'monthly' }] });
    expect(r.body).toEqual({ model: 'churn', probabilities: [0.1, 0.8] });
    expect((await send('POST', '/v1/predictions/nope', { rows: [{ a: 1 }] })).status).toBe(404);
  });

  it('metrics: latency histograms, cache hit ratio, events ingested', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toMatch(/reckon_http_request_duration_seconds_bucket\{route="\/v1\/users\/:id\/recommendations",method="GET",status="2xx",le="0.001"\} \d+/);
    expect(r.body).toMatch(/reckon_cache_hit_ratio\{cache="lru"\} 0\.\d+/);
    expect(r.body).toMatch(/reckon_events_ingested_total \d+/);
    expect(r.body).toMatch(/reckon_model_info\{version="v1",slot="recommender",algorithm="test-factors"\} 1/);
  });
});

describe('security', () => {
  it('keys with read and write scopes; anonymous writes refused beyond loopback; rate limit per key', async () => {
    const h = await makeHarness({ security: { loopbackOnly: false, apiKeys: [{ key: 'reader-key-1', scopes: ['read'] }, { key: 'writer-key-1', scopes: ['read', 'write'] }], ratePerSecond: 1, burst: 3 } });
    const ev = { events: [{ user: 'u', item: 'i', type: 'view' }] };
    expect((await h.app.inject({ method: 'GET', url: '/v1/popular' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/v1/popular', headers: { 'x-api-key': 'wrong-key-1' } })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/v1/popular', headers: { authorization: 'Bearer reader-key-1' } })).statusCode).toBe(200);
    const denied = await h.app.inject({ method: 'POST', url: '/v1/events', payload: ev, headers: { 'x-api-key': 'reader-key-1' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ message: expect.stringMatching(/needs the write scope/) });
    expect((await h.app.inject({ method: 'POST', url: '/v1/events', payload: ev, headers: { 'x-api-key': 'writer-key-1' } })).statusCode).toBe(200);
    // the reader used 1 of its 3 tokens (refused requests cost none); two more pass, then 429
    expect((await h.app.inject({ method: 'GET', url: '/v1/popular', headers: { 'x-api-key': 'reader-key-1' } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/v1/popular', headers: { 'x-api-key': 'reader-key-1' } })).statusCode).toBe(200);
    const limited = await h.app.inject({ method: 'GET', url: '/v1/popular', headers: { 'x-api-key': 'reader-key-1' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await h.close();

    const open = await makeHarness({ security: { loopbackOnly: false } });
    expect((await open.app.inject({ method: 'GET', url: '/v1/popular' })).statusCode).toBe(200);
    const w = await open.app.inject({ method: 'POST', url: '/v1/events', payload: ev });
    expect(w.statusCode).toBe(401);
    expect(w.json()).toMatchObject({ message: expect.stringMatching(/listens beyond loopback/) });
    await open.close();
  });
});
