import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeHarness } from '../test-support/harness.js';
import { APP_JS } from './assets.js';
import { eventsPerHour, histogramQuantile } from './stats.js';

describe('histogramQuantile', () => {
  const text = [
    'x_bucket{route="/a",le="0.1"} 50',
    'x_bucket{route="/a",le="1"} 90',
    'x_bucket{route="/a",le="+Inf"} 100',
    'x_bucket{route="/b",le="0.1"} 50',
    'x_bucket{route="/b",le="1"} 100',
    'x_bucket{route="/b",le="+Inf"} 100',
    'y_bucket{le="+Inf"} 7',
  ].join('\n');

  it('sums label sets and interpolates inside the bucket like histogram_quantile', () => {
    // totals: le 0.1 -> 100, le 1 -> 190, +Inf -> 200. Median rank 100 -> 0.1; rank 150 -> 0.1 + 0.9 * 50/90
    expect(histogramQuantile(text, 'x', 0.5)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(text, 'x', 0.75)).toBeCloseTo(0.1 + (0.9 * 50) / 90, 12);
    // rank 198 lies in +Inf: the highest finite bound
    expect(histogramQuantile(text, 'x', 0.99)).toBe(1);
    expect(histogramQuantile('', 'x', 0.5)).toBeNaN();
  });
});

describe('eventsPerHour', () => {
  it('counts the 24 hours ending at the latest event, oldest first', () => {
    const H = 3_600_000;
    const t0 = Date.UTC(2026, 0, 2, 10, 30);
    const r = eventsPerHour([t0, t0 - 10 * 60_000, t0 - H, t0 - 30 * H]);
    expect(r).toHaveLength(24);
    expect(r[23]).toEqual({ hour: '2026-01-02T10:00:00.000Z', count: 2 });
    expect(r[22]!.count).toBe(1);
    expect(r.reduce((a, b) => a + b.count, 0)).toBe(3);
    expect(eventsPerHour([])).toEqual([]);
  });
});

describe('dashboard routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness();
    await h.ctx.store.upsertItems([{ id: 'i1', title: 'One' }, { id: 'i2', title: 'Two' }]);
    await h.ctx.store.upsertUsers([{ id: 'u1' }, { id: 'u2' }]);
    await h.ctx.service.ingest([
      { user: 'u1', item: 'i1', type: 'view', timestamp: '2026-01-01T00:00:00Z' },
      { user: 'u1', item: 'i2', type: 'purchase', timestamp: '2026-01-01T01:00:00Z' },
    ]);
  });
  afterAll(async () => h.close());

  it('serves the page, script and style without a key', async () => {
    const page = await h.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/dashboard/app.js');
    const js = await h.app.inject({ url: '/dashboard/app.js' });
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body).toBe(APP_JS);
    expect((await h.app.inject({ url: '/dashboard/style.css' })).statusCode).toBe(200);
  });

  it('/v1/stats reports counts, events per hour, cache and latency', async () => {
    await h.app.inject({ url: '/v1/users/u1/recommendations' });
    await h.app.inject({ url: '/v1/users/u1/recommendations' });
    const r = await h.app.inject({ url: '/v1/stats' });
    expect(r.statusCode).toBe(200);
    const s = r.json() as { users: number; items: number; events: number; eventsPerHour: { count: number }[]; cache: { hits: number; hitRatio: number }; latencySeconds: { p99: number } };
    expect([s.users, s.items, s.events]).toEqual([2, 2, 2]);
    expect(s.eventsPerHour.reduce((a, b) => a + b.count, 0)).toBe(2);
    expect(s.cache.hits).toBe(1);
    expect(s.cache.hitRatio).toBeCloseTo(0.5, 12);
    expect(s.latencySeconds.p99).toBeGreaterThan(0);
  });

  it('/v1/users/{id}/history lists items with titles, most recent first; unknown user is 404', async () => {
    const r = await h.app.inject({ url: '/v1/users/u1/history' });
    const b = r.json() as { items: { item: string; title: string; value: number }[] };
    expect(b.items.map((x) => [x.item, x.title])).toEqual([
      ['i2', 'Two'],
      ['i1', 'One'],
    ]);
    expect((await h.app.inject({ url: '/v1/users/nobody/history' })).statusCode).toBe(404);
  });
});

describe('pipeline run history', () => {
  it('is 404 without pipeline support in the store, and lists runs and tasks (with logs) when the store has them', async () => {
    const h = await makeHarness();
    try {
      expect((await h.app.inject({ url: '/v1/pipelines/runs' })).statusCode).toBe(404);
      const run = { id: 'r1', pipeline: 'retrain', status: 'succeeded', startedAt: Date.UTC(2026, 0, 1), finishedAt: Date.UTC(2026, 0, 1) + 2500, data: {} };
      const task = { task: 'train', status: 'succeeded', attempts: 1, startedAt: run.startedAt, finishedAt: run.finishedAt, data: { logs: ['fitted'], metrics: { ndcg: 0.3 } } };
      Object.assign(h.ctx.store, {
        listPipelineRuns: async () => [run],
        getPipelineRun: async (id: string) => (id === 'r1' ? run : undefined),
        listPipelineTasks: async () => [task],
      });
      const list = (await h.app.inject({ url: '/v1/pipelines/runs' })).json() as { runs: { id: string; seconds: number; startedAt: string }[] };
      expect(list.runs).toHaveLength(1);
      expect(list.runs[0]).toMatchObject({ id: 'r1', seconds: 2.5, startedAt: '2026-01-01T00:00:00.000Z' });
      const one = (await h.app.inject({ url: '/v1/pipelines/runs/r1' })).json() as { tasks: { task: string; logs: string[]; metrics: Record<string, number> }[] };
      expect(one.tasks[0]).toMatchObject({ task: 'train', logs: ['fitted'], metrics: { ndcg: 0.3 } });
      expect((await h.app.inject({ url: '/v1/pipelines/runs/nope' })).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe('dashboard script', () => {
  it('parses as JavaScript', () => {
    expect(() => new Function(APP_JS)).not.toThrow();
  });
});

describe('dashboard with API keys', () => {
  it('the page stays open while /v1 needs a key', async () => {
    const h = await makeHarness({ security: { loopbackOnly: true, apiKeys: [{ key: 'readkey123', scopes: ['read'] }] } });
    try {
      expect((await h.app.inject({ url: '/' })).statusCode).toBe(200);
      expect((await h.app.inject({ url: '/v1/stats' })).statusCode).toBe(401);
      expect((await h.app.inject({ url: '/v1/stats', headers: { 'x-api-key': 'readkey123' } })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });
});
