import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { type Harness, makeHarness } from './test-support/harness.js';
import { TestFactorModel } from './test-support/factors.js';

/** Every route of the API (method, path template); `:id`-like parts are filled by the fuzzer. */
const ROUTES: [string, string][] = [
  ['GET', '/v1/users'],
  ['POST', '/v1/users'],
  ['GET', '/v1/users/:id'],
  ['PUT', '/v1/users/:id'],
  ['DELETE', '/v1/users/:id'],
  ['GET', '/v1/users/:id/recommendations'],
  ['GET', '/v1/users/:id/session-recommendations'],
  ['GET', '/v1/items'],
  ['POST', '/v1/items'],
  ['GET', '/v1/items/:id'],
  ['PUT', '/v1/items/:id'],
  ['DELETE', '/v1/items/:id'],
  ['GET', '/v1/items/:id/similar'],
  ['GET', '/v1/items/:id/bought-together'],
  ['GET', '/v1/popular'],
  ['GET', '/v1/trending'],
  ['POST', '/v1/events'],
  ['GET', '/v1/models'],
  ['POST', '/v1/models/:version/activate'],
  ['POST', '/v1/models/rollback'],
  ['GET', '/v1/experiments'],
  ['POST', '/v1/experiments'],
  ['GET', '/v1/experiments/:name/results'],
  ['DELETE', '/v1/experiments/:name'],
  ['POST', '/v1/predictions/:model'],
];

const junkValues: unknown[] = [null, true, false, 0, -1, 1e308, -1e308, 3.5, '', 'x', 'ü💥\u0000', [], [1, 'a'], {}, { a: { b: { c: [] } } }, 'a'.repeat(5000)];

function junkObject(rng: Rng, depth = 0): unknown {
  const r = rng.nextUint32() % 6;
  if (depth > 3 || r < 2) return junkValues[rng.nextUint32() % junkValues.length];
  if (r < 4) return Array.from({ length: rng.nextUint32() % 4 }, () => junkObject(rng, depth + 1));
  const o: Record<string, unknown> = {};
  const keys = ['events', 'items', 'users', 'rows', 'id', 'user', 'item', 'type', 'value', 'timestamp', 'name', 'control', 'treatment', 'treatmentPercent', 'slot', 'attributes', 'title', 'categories', 'hidden', '__proto__', 'constructor'];
  for (let k = 0; k < 1 + (rng.nextUint32() % 4); k++) o[keys[rng.nextUint32() % keys.length]!] = junkObject(rng, depth + 1);
  return o;
}

const ids = ['nope', 'x'.repeat(300), 'v999999', '%00', '..%2F..%2Fetc', 'a%20b', "'; DROP TABLE users; --", '💥', 'v1'];

describe('fuzz: every route answers malformed input with a 4xx and a clear message, never a 5xx', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness({ tabular: async (name) => (name === 'churn' ? { predictProba: (rows) => rows.map(() => 0.5) } : undefined) });
    await h.ctx.registry.publish('recommender', TestFactorModel.random(20, 3, 1).toArtifact(), { activate: true });
  });
  afterAll(async () => h.close());

  const check = (res: { statusCode: number; body: string }, what: string) => {
    expect(res.statusCode, what).toBeLessThan(500);
    if (res.statusCode >= 400) {
      const body = JSON.parse(res.body) as { message?: unknown; code?: unknown };
      expect(typeof body.message, what).toBe('string');
      expect((body.message as string).length, what).toBeGreaterThan(3);
      expect(typeof body.code, what).toBe('string');
    }
  };

  it('random junk bodies, wrong types and unknown ids', async () => {
    const rng = new Rng(20261129);
    let requests = 0;
    for (const [method, template] of ROUTES) {
      for (let round = 0; round < 25; round++) {
        const url = template.replace(/:[a-z]+/g, () => encodeURIComponent(ids[rng.nextUint32() % ids.length]!).replace(/%25/g, '%'));
        const res = await h.app.inject({ method: method as 'GET', url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: JSON.stringify(junkObject(rng)), headers: { 'content-type': 'application/json' } }) });
        check(res, `${method} ${url}`);
        requests++;
      }
    }
    expect(requests).toBe(ROUTES.length * 25);
  });

  it('bad query strings', async () => {
    const qs = ['k=-1', 'k=abc', 'k=1e9', 'k=0', 'k=1.5', 'offset=-3', 'offset=x', 'foo=bar', 'category=', 'excludeSeen=maybe', 'limit=0', 'limit=99999999', 'k=10&k=20', 'slot=' + 'x'.repeat(100)];
    for (const [method, template] of ROUTES.filter(([m]) => m === 'GET')) {
      for (const q of qs) {
        const url = `${template.replace(/:[a-z]+/g, 'i1')}?${q}`;
        const res = await h.app.inject({ method: 'GET', url });
        check(res, `${method} ${url}`);
      }
    }
    const bad = await h.app.inject({ method: 'GET', url: '/v1/users/u1/recommendations?k=abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'RECKON_VALIDATION', message: expect.stringMatching(/k/) });
  });

  it('malformed JSON, wrong content type, empty and huge bodies', async () => {
    for (const [method, template] of ROUTES.filter(([m]) => m === 'POST' || m === 'PUT')) {
      const url = template.replace(/:[a-z]+/g, 'v1');
      for (const [payload, type] of [
        ['{"events": [', 'application/json'],
        ['not json', 'application/json'],
        ['', 'application/json'],
        ['{"a":1}', 'text/plain'],
        ['<xml/>', 'application/xml'],
        ['x'.repeat(2 * 1024 * 1024), 'application/json'],
      ] as const) {
        const res = await h.app.inject({ method: method as 'POST', url, payload, headers: { 'content-type': type } });
        check(res, `${method} ${url} ${type} ${payload.slice(0, 20)}`);
        // an empty body is valid for the rollback route only (its body is optional)
        // routes without a body schema (activate) and with an optional one (rollback) may accept an empty body
        if (!url.startsWith('/v1/models/')) expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      }
    }
    const huge = await h.app.inject({ method: 'POST', url: '/v1/events', payload: { events: Array.from({ length: 40000 }, (_, i) => ({ user: `u${i}`, item: 'i1', type: 'view' })) } });
    expect(huge.statusCode).toBe(413);
    const tooMany = await h.app.inject({ method: 'POST', url: '/v1/events', payload: { events: Array.from({ length: 6000 }, () => ({ user: 'u', item: 'i', type: 'v' })) } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ message: expect.stringMatching(/events/) });
  });

  it('event fields of the wrong type are refused with the field named, and nothing is stored', async () => {
    const before = await h.ctx.store.countEvents();
    for (const ev of [{ user: { id: 1 }, item: 'i', type: 'v' }, { user: null, item: 'i', type: 'v' }, { user: 'u', item: 'i' }, { user: 'u', item: 'i', type: 'v', value: 'high' }, { user: 'u', item: 'i', type: 'v', timestamp: 'yesterday' }, { user: 'u', item: 'i', type: 'v', extra: 1 }]) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ user: 'ok', item: 'ok', type: 'view' }, ev] } });
      expect(res.statusCode, JSON.stringify(ev)).toBe(400);
      expect((res.json() as { message: string }).message).toMatch(/events|timestamp/);
    }
    expect(await h.ctx.store.countEvents()).toBe(before);
  });
});
