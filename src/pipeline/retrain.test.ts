import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import '../recommenders/index.js';
import { Rng } from '../core/rng.js';
import { writeParquet } from '../data/duckdb.js';
import { Frame, encodeStrings, numericColumn } from '../data/frame.js';
import { buildApp } from '../serve/app.js';
import { ModelRegistry } from '../serve/registry.js';
import { type ServerContext, openContext } from '../serve/server.js';
import type { PostgresStore } from '../serve/store/postgres.js';
import type { EventRecord } from '../serve/types.js';
import { expandCandidates, retrainDag } from './retrain.js';
import { runPipeline } from './runner.js';

const pgUrl = process.env['DATABASE_URL'];
const redisUrl = process.env['REDIS_URL'];
if (pgUrl === undefined) console.log('retrain.test: DATABASE_URL is not set; running on SQLite instead of PostgreSQL');
if (redisUrl === undefined) console.log('retrain.test: REDIS_URL is not set; using the in-memory cache instead of Redis');

/** Planted data: 4 taste clusters of 12 items; each user reads 8 items of their cluster, one per day. */
function plantedEvents(): EventRecord[] {
  const rng = new Rng(7);
  const out: EventRecord[] = [];
  const day = 86_400_000;
  for (let u = 0; u < 120; u++) {
    const cluster = u % 4;
    const seen = new Set<number>();
    for (let t = 0; t < 8; t++) {
      let it: number;
      do it = cluster * 12 + Math.floor(rng.float() * 12);
      while (seen.has(it));
      seen.add(it);
      out.push({ id: `e${u}_${t}`, user: `u${u}`, item: `i${it}`, type: 'view', value: 1, timestamp: Date.UTC(2026, 0, 1) + t * day + u * 1000, listId: '' });
    }
  }
  return out;
}

describe('standard retraining DAG end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-retrain-'));
  const schema = `reckon_rt${process.pid}_${Date.now() % 100000}`;
  let ctx: ServerContext;
  let app: FastifyInstance;
  const served = async (): Promise<string> => {
    const r = await app.inject({ method: 'GET', url: '/v1/users/u1/recommendations?k=5' });
    return (JSON.parse(r.body) as { model: { version: string } }).model.version;
  };

  beforeAll(async () => {
    ctx = await openContext({
      store: pgUrl === undefined ? 'sqlite::memory:' : `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`,
      cache: redisUrl ?? 'memory',
      redisPrefix: `reckon_rt${process.pid}`,
      modelsDir: join(dir, 'models'),
    });
    app = await buildApp({ service: ctx.service, security: { loopbackOnly: true }, logger: false, docs: false });
    await app.ready();
    await ctx.store.insertEvents(plantedEvents());
  });
  afterAll(async () => {
    await app.close();
    if (pgUrl !== undefined) await (ctx.store as PostgresStore).dropSchema();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = () => ({ store: ctx.store, registry: ctx.registry, service: ctx.service, workDir: join(dir, 'work'), warmUsers: 10, metric: 'ndcg@5' });

  it('promotes a first model, then a better one (hot swap, no restart), and refuses a worse one', async () => {
    expect(await served()).toBe('live');
    const r1 = await runPipeline(retrainDag({ ...base(), candidates: [{ algorithm: 'popular' }] }), { store: ctx.store, params: { until: Date.UTC(2027, 0, 1) } });
    expect(r1.status).toBe('succeeded');
    expect((r1.outputs['publish'] as { published: string }).published).toBe('v1');
    expect(await served()).toBe('v1');

    const als = { algorithm: 'als', params: { factors: 8, epochs: 10, regularization: 0.05 } };
    const r2 = await runPipeline(retrainDag({ ...base(), candidates: [als, { algorithm: 'popular' }] }), { store: ctx.store, params: { until: Date.UTC(2027, 0, 2) } });
    expect(r2.status).toBe('succeeded');
    const g2 = r2.outputs['gate'] as { promote: boolean; candidate: string; metric: number; activeMetric: number };
    expect(g2).toMatchObject({ promote: true, candidate: 'train:als#0' });
    expect(g2.metric).toBeGreaterThan(g2.activeMetric + 0.1);
    expect(ctx.registry.activeModel()?.info.version).toBe('v2');
    expect(await served()).toBe('v2');
    // warm: the most active users' lists for v2 are already cached.
    expect(r2.outputs['warm']).toEqual({ warmed: 10 });
    const hit = await ctx.service.recommend('u0', { k: 5, offset: 0, excludeSeen: true, slot: 'recommender' });
    expect(hit.cached).toBe(true);

    const r3 = await runPipeline(retrainDag({ ...base(), candidates: [{ algorithm: 'popular' }] }), { store: ctx.store, params: { until: Date.UTC(2027, 0, 3) } });
    expect(r3.status).toBe('succeeded');
    expect(r3.outputs['publish']).toMatchObject({ published: null });
    const run3 = await ctx.store.getPipelineRun(r3.runId);
    expect(run3?.data).toMatchObject({ decision: 'refused', active: 'v2', published: null });
    expect(String(run3?.data['reason'])).toMatch(/< active v2 .*keeping v2/);
    expect(await served()).toBe('v2');
    expect(ctx.registry.list().map((v) => v.version)).toEqual(['v1', 'v2']);
  });

  it('a server with its own registry (another process) picks up the promotion on refresh, without restart', async () => {
    const other = await ModelRegistry.open(join(dir, 'models'));
    expect(other.activeModel()?.info.version).toBe('v2');
    const r = await runPipeline(retrainDag({ ...base(), tolerance: 1, candidates: [{ algorithm: 'popular' }] }), { store: ctx.store, params: { until: Date.UTC(2027, 0, 5) } });
    expect(r.outputs['publish']).toMatchObject({ published: 'v3' });
    expect(other.activeModel()?.info.version).toBe('v2');
    expect(await other.refresh()).toEqual(['recommender']);
    expect(other.activeModel()?.info.version).toBe('v3');
    expect(await other.refresh()).toEqual([]);
    // Back to v2 for the remaining tests.
    await ctx.registry.rollback();
    expect(await served()).toBe('v2');
  });

  it('a run whose training fails leaves the active model serving and says why', async () => {
    const dag = retrainDag({ ...base(), candidates: [{ algorithm: 'als', params: { factors: 4, epochs: 1 } }] });
    const broken = { ...dag, tasks: dag.tasks.map((t) => (t.name.startsWith('train:') ? { ...t, attempts: 2, backoffMs: 1, run: async () => Promise.reject(new Error('out of memory (planted)')) } : t)) };
    const r = await runPipeline(broken, { store: ctx.store, params: { until: Date.UTC(2027, 0, 4) } });
    expect(r.status).toBe('failed');
    expect(r.error).toBe('train:als#0: attempt 2: out of memory (planted)');
    expect(r.tasks['publish']).toMatchObject({ status: 'cancelled', data: { reason: 'upstream task gate cancelled' } });
    expect((await ctx.store.getPipelineRun(r.runId))?.data['active']).toBe('v2');
    expect(await served()).toBe('v2');
  });

  it('a rerun with the same inputs reuses extract/build/train from the record', async () => {
    const als = { algorithm: 'als', params: { factors: 8, epochs: 10, regularization: 0.05 } };
    const r = await runPipeline(retrainDag({ ...base(), candidates: [als] }), { store: ctx.store, params: { until: Date.UTC(2027, 0, 2) } });
    expect(r.tasks['extract']?.status).toBe('skipped');
    expect(r.tasks['build']?.status).toBe('skipped');
    expect(r.tasks['train:als#0']?.status).toBe('skipped');
    expect(r.status).toBe('succeeded');
  });

  it('a grid candidate becomes one train task per point (the hyper-parameter search), judged on the same holdout', async () => {
    expect(expandCandidates([{ algorithm: 'als', params: { epochs: 5 }, grid: { factors: [4, 8], alpha: [1, 2] } }])).toHaveLength(4);
    const r = await runPipeline(retrainDag({ ...base(), tolerance: 1, candidates: [{ algorithm: 'als', params: { epochs: 5, regularization: 0.05 }, grid: { factors: [1, 8] } }] }), {
      store: ctx.store,
      params: { until: Date.UTC(2027, 0, 6) },
    });
    expect(r.status).toBe('succeeded');
    expect(Object.keys(r.tasks).filter((t) => t.startsWith('train:'))).toEqual(['train:als#0', 'train:als#1']);
    const ev = r.outputs['evaluate'] as { params: { factors: number } }[];
    expect(ev.map((e) => e.params.factors)).toEqual([1, 8]);
    expect((r.outputs['gate'] as { candidate: string }).candidate).toBe('train:als#1');
  });

  it('out of core: the DAG can read a Parquet event log through DuckDB instead of the store', async () => {
    const ev = plantedEvents();
    const logDir = join(dir, 'log', 'date=2026-01-01');
    mkdirSync(logDir, { recursive: true });
    await writeParquet(
      new Frame([
        encodeStrings('user_id', ev.map((e) => e.user)),
        encodeStrings('item_id', ev.map((e) => e.item)),
        encodeStrings('type', ev.map((e) => e.type)),
        numericColumn('value', Float64Array.from(ev.map((e) => e.value))),
        numericColumn('ts', Float64Array.from(ev.map((e) => e.timestamp))),
      ]),
      join(logDir, 'part-0.parquet'),
    );
    const dag = retrainDag({ ...base(), tolerance: 1, eventLog: { source: join(dir, 'log', '*', '*.parquet'), memoryLimit: '256MB' }, candidates: [{ algorithm: 'als', params: { factors: 8, epochs: 10, regularization: 0.05 } }] });
    const r = await runPipeline(dag, { store: ctx.store, params: { until: Date.UTC(2027, 0, 7) } });
    expect(r.status).toBe('succeeded');
    expect(r.outputs['build']).toMatchObject({ users: 120, items: 48, pairs: 960 });
    expect((r.outputs['gate'] as { promote: boolean }).promote).toBe(true);
  });
});
