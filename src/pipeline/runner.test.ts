import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../serve/store/open.js';
import type { PostgresStore } from '../serve/store/postgres.js';
import type { Store } from '../serve/store/store.js';
import { daysBetween, backfill } from './backfill.js';
import type { Dag } from './dag.js';
import { topoOrder } from './dag.js';
import { runPipeline } from './runner.js';

const noSleep = async (): Promise<void> => undefined;

function suite(name: string, open: () => Promise<Store>, drop: (s: Store) => Promise<void>): void {
  describe(`pipeline runner on ${name}`, () => {
    let store: Store | undefined;
    const get = async (): Promise<Store> => (store ??= await open());
    afterAll(async () => {
      if (store !== undefined) {
        await drop(store);
        await store.close();
      }
    });

    it('runs tasks in dependency order, passes outputs, records logs and metrics', async () => {
      const s = await get();
      const seen: string[] = [];
      const dag: Dag = {
        name: 'order',
        tasks: [
          { name: 'c', deps: ['a', 'b'], run: async (ctx) => (seen.push('c'), (ctx.inputs['a'] as number) + (ctx.inputs['b'] as number)) },
          { name: 'a', run: async (ctx) => (seen.push('a'), ctx.log('hello'), ctx.metric('rows', 3), 1) },
          { name: 'b', deps: ['a'], run: async (ctx) => (seen.push('b'), (ctx.inputs['a'] as number) + 10) },
        ],
      };
      const r = await runPipeline(dag, { store: s, params: { x: 1 } });
      expect(r.status).toBe('succeeded');
      expect(seen).toEqual(['a', 'b', 'c']);
      expect(r.outputs['c']).toBe(12);
      const tasks = await s.listPipelineTasks(r.runId);
      expect(tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      const a = tasks.find((t) => t.task === 'a')!;
      expect((a.data['logs'] as string[])[0]).toMatch(/hello$/);
      expect(a.data['metrics']).toEqual({ rows: 3 });
      expect((await s.getPipelineRun(r.runId))?.status).toBe('succeeded');
    });

    it('a failing task retries with backoff then fails cleanly; dependants are cancelled with the reason', async () => {
      const s = await get();
      let calls = 0;
      const waits: number[] = [];
      const dag: Dag = {
        name: 'failing',
        tasks: [
          { name: 'flaky', attempts: 3, backoffMs: 100, run: async () => {
            calls++;
            throw new Error(`boom ${calls}`);
          } },
          { name: 'after', deps: ['flaky'], run: async () => 1 },
        ],
      };
      const r = await runPipeline(dag, { store: s, sleep: async (ms) => void waits.push(ms) });
      expect(calls).toBe(3);
      expect(waits).toEqual([100, 200]);
      expect(r.status).toBe('failed');
      expect(r.error).toBe('flaky: attempt 3: boom 3');
      const run = await s.getPipelineRun(r.runId);
      expect(run?.status).toBe('failed');
      expect(run?.data['error']).toBe('flaky: attempt 3: boom 3');
      const tasks = await s.listPipelineTasks(r.runId);
      const flaky = tasks.find((t) => t.task === 'flaky')!;
      expect(flaky).toMatchObject({ status: 'failed', attempts: 3 });
      expect(flaky.data['errors']).toEqual(['attempt 1: boom 1', 'attempt 2: boom 2', 'attempt 3: boom 3']);
      expect(tasks.find((t) => t.task === 'after')).toMatchObject({ status: 'cancelled', data: { reason: 'upstream task flaky failed' } });
    });

    it('a retry that succeeds makes the run succeed', async () => {
      const s = await get();
      let calls = 0;
      const r = await runPipeline({ name: 'flaky-ok', tasks: [{ name: 't', attempts: 2, run: async () => (++calls === 1 ? Promise.reject(new Error('once')) : 'ok') }] }, { store: s, sleep: noSleep });
      expect(r.status).toBe('succeeded');
      expect(r.tasks['t']).toMatchObject({ status: 'succeeded', attempts: 2 });
    });

    it('an attempt over its timeout is aborted and counted as failed', async () => {
      const s = await get();
      let sawAbort = false;
      const dag: Dag = {
        name: 'slow',
        tasks: [{ name: 'hang', timeoutMs: 20, run: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => ((sawAbort = true), resolve(0)))) }],
      };
      const r = await runPipeline(dag, { store: s });
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/timed out after 20 ms/);
      expect(sawAbort).toBe(true);
    });

    it('cancellation stops the run and marks the rest cancelled', async () => {
      const s = await get();
      const ac = new AbortController();
      const dag: Dag = {
        name: 'cancel',
        tasks: [
          { name: 'first', run: async () => (ac.abort(), 1) },
          { name: 'second', deps: ['first'], run: async () => 2 },
        ],
      };
      const r = await runPipeline(dag, { store: s, signal: ac.signal });
      expect(r.status).toBe('cancelled');
      expect(r.tasks['second']?.status).toBe('cancelled');
    });

    it('idempotent rerun: unchanged inputs are skipped and outputs reused; changed params re-run', async () => {
      const s = await get();
      let runs = 0;
      const dag: Dag = {
        name: 'idem',
        tasks: [
          { name: 'extract', cacheKey: ['day'], run: async (ctx) => (runs++, `data-${String(ctx.params['day'])}`) },
          { name: 'use', deps: ['extract'], cacheKey: false, run: async (ctx) => ctx.inputs['extract'] },
        ],
      };
      await runPipeline(dag, { store: s, params: { day: 1, noise: 'a' } });
      const again = await runPipeline(dag, { store: s, params: { day: 1, noise: 'b' } });
      expect(runs).toBe(1);
      expect(again.tasks['extract']?.status).toBe('skipped');
      expect(again.outputs['use']).toBe('data-1');
      await runPipeline(dag, { store: s, params: { day: 2 } });
      expect(runs).toBe(2);
      await runPipeline(dag, { store: s, params: { day: 2 }, force: true });
      expect(runs).toBe(3);
      expect((await s.listPipelineRuns(10, 'idem')).length).toBe(4);
    });

    it('backfill runs one day at a time with its window', async () => {
      const s = await get();
      const windows: number[] = [];
      const dag: Dag = { name: 'bf', tasks: [{ name: 'day', run: async (ctx) => void windows.push(ctx.params['windowEnd'] as number) }] };
      const rs = await backfill(dag, '2026-02-27', '2026-03-01', { store: s });
      expect(rs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(windows).toEqual([Date.UTC(2026, 1, 28), Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 2)]);
    });
  });
}

suite('sqlite', () => openStore('sqlite::memory:'), async () => undefined);
const pgUrl = process.env['DATABASE_URL'];
if (pgUrl === undefined) {
  console.log('runner.test: DATABASE_URL is not set; skipping the PostgreSQL run');
} else {
  const schema = `reckon_pl${process.pid}_${Date.now() % 100000}`;
  suite('postgres', () => openStore(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`), (s) => (s as PostgresStore).dropSchema());
}

describe('DAG validation', () => {
  it('rejects cycles, unknown deps and duplicate names', () => {
    const run = async (): Promise<null> => null;
    expect(() => topoOrder({ name: 'x', tasks: [{ name: 'a', deps: ['b'], run }, { name: 'b', deps: ['a'], run }] })).toThrow(/dependency cycle among tasks a, b/);
    expect(() => topoOrder({ name: 'x', tasks: [{ name: 'a', deps: ['zz'], run }] })).toThrow(/unknown task "zz"/);
    expect(() => topoOrder({ name: 'x', tasks: [{ name: 'a', run }, { name: 'a', run }] })).toThrow(/declared twice/);
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(/YYYY-MM-DD/);
  });
});
