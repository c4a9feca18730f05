import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../serve/store/open.js';
import type { PipelineTaskRow } from '../../serve/store/pipeline-rows.js';
import type { Store } from '../../serve/store/store.js';
import type { EventRecord } from '../../serve/types.js';
import { runPipeline } from '../runner.js';
import { chainDag, flakyDag } from './dag-fixtures.js';
import { RETRAIN_FACTORY, type RetrainFactoryOptions, resolveDag } from './dag-registry.js';
import { runDistributed } from './dag-runner.js';

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) console.log('dag.distributed.spec: REDIS_URL is not set; skipping the distributed DAG runner tests');

const workerMain = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('./dag-fixtures.ts', import.meta.url));

/** The parts of a task record both runners must agree on (times, log timestamps and worker pids differ). */
function comparable(rows: readonly PipelineTaskRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    const d = r.data;
    out[r.task] = { status: r.status, attempts: r.attempts, inputHash: r.inputHash, output: d['output'], metrics: d['metrics'], errors: d['errors'], error: d['error'], reason: d['reason'], finished: r.finishedAt !== null };
  }
  return out;
}

function pidsOf(rows: readonly PipelineTaskRow[]): Set<number> {
  const pids = new Set<number>();
  for (const r of rows) for (const l of (r.data['logs'] as string[] | undefined) ?? []) {
    const m = /\[worker (\d+)\]/.exec(l);
    if (m !== null) pids.add(Number(m[1]));
  }
  return pids;
}

describe.skipIf(redisUrl === undefined)('distributed DAG runner on BullMQ workers (real Redis)', () => {
  const queue = `dagtest_${process.pid}_${Date.now() % 1_000_000}`;
  const workers: ChildProcess[] = [];
  const stores: Store[] = [];
  const store = async (): Promise<Store> => {
    const s = await openStore('sqlite::memory:');
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    const ready: Promise<void>[] = [];
    for (let w = 0; w < 2; w++) {
      const p = spawn(process.execPath, ['--import', 'tsx', workerMain], { env: { ...process.env, REDIS_URL: redisUrl!, RECKON_QUEUE: queue, RECKON_DAG_MODULES: fixtures }, stdio: ['ignore', 'pipe', 'inherit'] });
      workers.push(p);
      ready.push(new Promise<void>((resolve, reject) => {
        p.stdout!.on('data', (b: Buffer) => (b.toString().includes('ready') ? resolve() : undefined));
        p.once('exit', (c) => reject(new Error(`worker exited early with ${c}`)));
      }));
    }
    await Promise.all(ready);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.exitCode !== null || w.signalCode !== null) return resolve();
      w.once('exit', () => resolve());
      w.kill('SIGTERM');
      setTimeout(() => w.kill('SIGKILL'), 5000).unref();
    })));
    for (const s of stores) await s.close();
    const r = new Redis(redisUrl!);
    const keys = await r.keys(`bull:${queue}:*`);
    if (keys.length > 0) await r.del(...keys);
    r.disconnect();
  });

  it('runs a chain with a fan-out across 2 worker processes with results and records equal to the local runner', async () => {
    const params = { n: 5 };
    const ls = await store();
    const local = await runPipeline(chainDag(300), { store: ls, params, concurrency: 3 });
    const ds = await store();
    const dist = await runDistributed(chainDag(300), { store: ds, params, concurrency: 3, redisUrl: redisUrl!, queue, factory: 'test-chain', factoryOptions: { pauseMs: 300 } });

    expect(local.status).toBe('succeeded');
    expect(dist.status).toBe('succeeded');
    // b = 5*2+1 = 11; d = 11*(1+2+3) = 66
    expect(dist.outputs['d']).toEqual({ sum: 66 });
    expect(dist.outputs).toEqual(local.outputs);

    const lrows = await ls.listPipelineTasks(local.runId);
    const drows = await ds.listPipelineTasks(dist.runId);
    expect(drows.length).toBe(6);
    expect(comparable(drows)).toEqual(comparable(lrows));
    const lrun = await ls.getPipelineRun(local.runId);
    const drun = await ds.getPipelineRun(dist.runId);
    expect(drun?.status).toBe('succeeded');
    expect(drun?.data).toEqual(lrun?.data);
    expect(drun?.data['sum']).toBe(66);

    // Every task ran in a worker, and the fan-out spread over both processes.
    const pids = pidsOf(drows);
    expect(pids.has(process.pid)).toBe(false);
    const workerPids = new Set(workers.map((w) => w.pid!));
    for (const p of pids) expect(workerPids.has(p)).toBe(true);
    expect(pidsOf(drows.filter((r) => r.task.startsWith('c'))).size).toBe(2);

    // Idempotent rerun on the same store: every task is reused, nothing is enqueued.
    const again = await runDistributed(chainDag(300), { store: ds, params, redisUrl: redisUrl!, queue, factory: 'test-chain', factoryOptions: { pauseMs: 300 } });
    expect(again.status).toBe('succeeded');
    expect(Object.values(again.tasks).every((t) => t.status === 'skipped')).toBe(true);
    expect(again.outputs).toEqual(local.outputs);
  });

  it('retries a failing task on the workers, then fails the run cleanly like the local runner', async () => {
    const ls = await store();
    const local = await runPipeline(flakyDag(), { store: ls });
    const ds = await store();
    const dist = await runDistributed(flakyDag(), { store: ds, redisUrl: redisUrl!, queue, factory: 'test-flaky', factoryOptions: {} });

    expect(dist.status).toBe('failed');
    expect(dist.error).toBe(local.error);
    expect(dist.error).toMatch(/^bad: .*planted failure on attempt 2/);
    const drows = await ds.listPipelineTasks(dist.runId);
    const byTask = comparable(drows) as Record<string, { status: string; attempts: number; errors: string[]; reason: string }>;
    expect(byTask['ok']!.status).toBe('succeeded');
    expect(byTask['bad']!.status).toBe('failed');
    expect(byTask['bad']!.attempts).toBe(2);
    expect(byTask['bad']!.errors).toHaveLength(2);
    expect(byTask['after']!.status).toBe('cancelled');
    expect(byTask['after']!.reason).toBe('upstream task bad failed');
    expect(comparable(drows)).toEqual(comparable(await ls.listPipelineTasks(local.runId)));
    const drun = await ds.getPipelineRun(dist.runId);
    expect(drun?.status).toBe('failed');
    expect(drun?.finishedAt).not.toBeNull();
  });

  it('runs the standard retraining DAG (factory "retrain") on the workers and promotes the first model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-ddag-'));
    try {
      const db = `sqlite:${join(dir, 'db.sqlite')}`;
      const seed = await openStore(db);
      const ev: EventRecord[] = [];
      for (let u = 0; u < 30; u++) for (let t = 0; t < 5; t++) ev.push({ id: `e${u}_${t}`, user: `u${u}`, item: `i${(u + t * 3) % 17}`, type: 'view', value: 1, timestamp: 1_000_000 + t * 1000 + u, listId: '' });
      await seed.insertEvents(ev);
      await seed.close();
      const options: RetrainFactoryOptions = { store: db, cache: 'none', models: join(dir, 'models'), workDir: join(dir, 'work'), candidates: [{ algorithm: 'popular', params: {} }], metric: 'ndcg@5', tolerance: 0, holdout: 0.2, warmUsers: 5 };
      const dag = await resolveDag(RETRAIN_FACTORY, { ...options });
      const rs = await store();
      const r = await runDistributed(dag, { store: rs, params: { until: 2_000_000 }, concurrency: 2, redisUrl: redisUrl!, queue, factory: RETRAIN_FACTORY, factoryOptions: { ...options } });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe('succeeded');
      const rows = await rs.listPipelineTasks(r.runId);
      expect(rows.map((t) => t.status).sort()).toEqual(Array(rows.length).fill('succeeded'));
      const run = await rs.getPipelineRun(r.runId);
      expect(run?.data['decision']).toBe('promoted');
      const workerPids = new Set(workers.map((w) => w.pid!));
      const pids = pidsOf(rows);
      expect(pids.size).toBeGreaterThan(0);
      for (const p of pids) expect(workerPids.has(p)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
