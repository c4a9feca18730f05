import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlsModel } from '../recommenders/implicit/als.js';
import { trainSmallAls } from './test-support/als.js';
import { TcpProxy, hostPort, viaProxy } from './test-support/proxy.js';
import { type RunningServer, startServer } from './server.js';
import { openStore } from './store/open.js';
import type { PostgresStore } from './store/postgres.js';

const redisUrl = process.env['REDIS_URL'];
const pgUrl = process.env['DATABASE_URL'];
if (redisUrl === undefined || pgUrl === undefined) console.log('integration.test: REDIS_URL and DATABASE_URL are both needed; skipping the socket tests');

interface Rec {
  items: { id: string }[];
  model: { version: string; source: string };
}

describe.skipIf(redisUrl === undefined || pgUrl === undefined)('server over a real socket, PostgreSQL store, Redis cache', () => {
  const run = `${process.pid}_${Date.now() % 1_000_000}`;
  const schema = `reckon_it_${run}`;
  const dir = mkdtempSync(join(tmpdir(), 'reckon-it-'));
  const proxies: TcpProxy[] = [];
  let redisProxy: TcpProxy;
  let pgProxy: TcpProxy;
  let s: RunningServer;
  let base: string;
  let model: AlsModel;

  beforeAll(async () => {
    const r = hostPort(redisUrl!, 6379);
    const p = hostPort(pgUrl!, 5432);
    redisProxy = await new TcpProxy(r.host, r.port).start();
    pgProxy = await new TcpProxy(p.host, p.port).start();
    proxies.push(redisProxy, pgProxy);
    const pgVia = viaProxy(pgUrl!, pgProxy);
    s = await startServer({
      port: 0,
      store: `${pgVia}${pgVia.includes('?') ? '&' : '?'}schema=${schema}`,
      cache: viaProxy(redisUrl!, redisProxy),
      redisPrefix: `reckon-it-${run}`,
      modelsDir: join(dir, 'models'),
      logger: false,
    });
    base = s.url;
    // the real ALS of the implicit area, loaded back through the algorithm registry
    model = await trainSmallAls(200, 100, 3);
    await s.ctx.registry.publish('recommender', model.toArtifact(), { activate: true });
    await s.ctx.registry.publish('recommender', (await trainSmallAls(200, 100, 4)).toArtifact());
  });

  afterAll(async () => {
    await s?.close();
    for (const p of proxies) await p.close();
    const direct = await openStore(`${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}schema=${schema}`);
    await (direct as PostgresStore).dropSchema();
    await direct.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls `cond` every 10 ms until true (fails the test after 10 s). */
  const until = async (cond: () => boolean): Promise<void> => {
    for (let t = 0; !cond(); t += 10) {
      if (t > 10_000) throw new Error('condition not reached within 10 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const getRec = async (user: string, k = 5): Promise<{ status: number; body: Rec; cache: string | null }> => {
    const r = await fetch(`${base}/v1/users/${user}/recommendations?k=${k}`);
    return { status: r.status, body: (await r.json()) as Rec, cache: r.headers.get('x-cache') };
  };
  const post = (events: unknown[]) => fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });

  it('ingested events change the user\'s recommendations on the next request (no retraining)', async () => {
    const before = await getRec('rt-user');
    expect(before.body.model.source).toBe('popular');
    // the list is cached (retried a few times: under heavy machine load one Redis round trip can time out, which the
    // server treats as a miss by design)
    let again = await getRec('rt-user');
    for (let n = 0; again.cache !== 'hit' && n < 20; n++) again = await getRec('rt-user');
    expect(again.cache).toBe('hit');
    const ack = await post([{ id: `rt-${run}-1`, user: 'rt-user', item: 'i7', type: 'purchase' }, { id: `rt-${run}-2`, user: 'rt-user', item: 'i9', type: 'view' }]);
    expect(ack.status).toBe(200);
    const after = await getRec('rt-user');
    expect(after.cache).toBe('miss');
    expect(after.body.model).toMatchObject({ source: 'fold-in', version: 'v1' });
    // exactly ALS's closed-form fold-in of the two events against the fixed item factors, seen items excluded
    const idx = Int32Array.from([model.items.indexOf('i7'), model.items.indexOf('i9')]).sort();
    const vals = Float32Array.from(idx, (i) => (model.items.idAt(i) === 'i7' ? 5 : 1));
    const expected = model.recommendForVector(model.foldInUser(idx, vals), 5, idx);
    expect(after.body.items.map((x) => x.id)).toEqual(Array.from(expected.indices, (i) => model.items.idAt(i)));
    expect(after.body.items.map((x) => x.id)).not.toEqual(before.body.items.map((x) => x.id));
  });

  it('hot swap during a request loop: no failed request, both versions served', async () => {
    let stop = false;
    const statuses: number[] = [];
    const versions = new Set<string>();
    const worker = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const r = await getRec(`swap-${w}-${n % 7}`);
        statuses.push(r.status);
        versions.add(r.body.model.version);
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    for (let i = 0; i < 6; i++) {
      const v = i % 2 === 0 ? 'v2' : 'v1';
      const res = await fetch(`${base}/v1/models/${v}/activate`, { method: 'POST' });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 30));
    }
    stop = true;
    await Promise.all(workers);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((x) => x !== 200)).toEqual([]);
    expect([...versions].sort()).toEqual(['v1', 'v2']);
  });

  it('Redis cut mid-load: zero 5xx, degraded answers counted, cache used again once back', async () => {
    let stop = false;
    const bad: number[] = [];
    let served = 0;
    const worker = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const r = await getRec(`redis-${w}-${n % 5}`);
        served++;
        if (r.status >= 500) bad.push(r.status);
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await until(() => s.ctx.cache.stats.hits > 5);
    redisProxy.cut();
    const servedAtCut = served;
    await until(() => s.ctx.cache.degraded && served > servedAtCut + 20);
    redisProxy.restore();
    await (s.ctx.cache as unknown as { waitReady(ms: number): Promise<void> }).waitReady(5000);
    const hitsBefore = s.ctx.cache.stats.hits;
    await until(() => s.ctx.cache.stats.hits > hitsBefore + 5 && !s.ctx.cache.degraded);
    stop = true;
    await Promise.all(workers);
    expect(bad).toEqual([]);
    expect(served).toBeGreaterThan(20);
    expect(s.ctx.cache.stats.errors).toBeGreaterThan(0);
    expect(s.ctx.service.metrics.degraded.get()).toBeGreaterThan(0);
    expect(s.ctx.cache.stats.hits).toBeGreaterThan(hitsBefore);
    expect(s.ctx.cache.degraded).toBe(false);
  });

  it('PostgreSQL cut while ingesting: every acknowledged event is stored, every other request got an error', async () => {
    const acked: string[] = [];
    const failed: string[] = [];
    const statuses = new Set<number>();
    let stop = false;
    let seq = 0;
    const worker = async (w: number) => {
      while (!stop) {
        const ids = [0, 1, 2].map((j) => `pg-${run}-${w}-${seq++}-${j}`);
        try {
          const r = await post(ids.map((id, j) => ({ id, user: `pg-user-${w}`, item: `i${j}`, type: 'view' })));
          statuses.add(r.status);
          if (r.status === 200) acked.push(...ids);
          else {
            expect(r.status).toBe(503);
            expect(r.headers.get('retry-after')).not.toBeNull();
            failed.push(...ids);
          }
        } catch {
          failed.push(...ids);
        }
      }
    };
    const workers = [0, 1, 2].map(worker);
    await until(() => acked.length > 10);
    pgProxy.cut();
    await until(() => failed.length > 10);
    pgProxy.restore();
    const ackedAtRestore = acked.length;
    await until(() => acked.length > ackedAtRestore + 10);
    stop = true;
    await Promise.all(workers);
    expect(statuses.has(200)).toBe(true);
    expect(statuses.has(503)).toBe(true);
    const direct = await openStore(`${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}schema=${schema}`);
    const stored = await direct.existingEventIds(acked);
    await direct.close();
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    // after the outage the store accepts events again
    expect((await post([{ id: `pg-${run}-after`, user: 'pg-after', item: 'i1', type: 'view' }])).status).toBe(200);
  });
});
