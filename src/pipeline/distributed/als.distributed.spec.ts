import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Interactions } from '../../data/interactions.js';
import { AlsModel } from '../../recommenders/implicit/als.js';
import { distributedAls } from './als-coordinator.js';
import { distributedItemKnn, distributedTopK } from './score-coordinator.js';

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) console.log('als.distributed.spec: REDIS_URL is not set; skipping the distributed ALS tests');

const workerMain = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
const params = { factors: 8, epochs: 3, regularization: 0.05, alpha: 2, cgSteps: 3, seed: 11 };

function planted(): Interactions {
  const rng = new Rng(3);
  const u: string[] = [];
  const i: string[] = [];
  const v: number[] = [];
  for (let a = 0; a < 400; a++) {
    const n = 3 + Math.floor(rng.float() * 12);
    for (let k = 0; k < n; k++) {
      u.push(`u${a}`);
      i.push(`i${(a % 7) * 20 + Math.floor(rng.float() * 40)}`);
      v.push(1 + Math.floor(rng.float() * 3));
    }
  }
  return Interactions.fromRaw(u, i, v);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

function spawnWorkers(n: number, queue: string, extra: Record<string, string> = {}): ChildProcess[] {
  const out: ChildProcess[] = [];
  for (let w = 0; w < n; w++) {
    out.push(spawn(process.execPath, ['--import', 'tsx', workerMain], { env: { ...process.env, REDIS_URL: redisUrl!, RECKON_QUEUE: queue, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] }));
  }
  return out;
}

async function stopAll(ws: ChildProcess[]): Promise<void> {
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
          setTimeout(() => w.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
}

async function dropQueue(queue: string): Promise<void> {
  const r = new Redis(redisUrl!);
  const keys = await r.keys(`bull:${queue}:*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
}

describe.skipIf(redisUrl === undefined)('distributed ALS on BullMQ workers (real Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-dals-'));
  const data = planted();
  const reference = new AlsModel(params);
  const tag = `${process.pid}_${Date.now() % 1_000_000}`;
  const queues: string[] = [];
  afterAll(async () => {
    for (const q of queues) await dropQueue(q);
    rmSync(dir, { recursive: true, force: true });
  });

  it('3 worker processes give the single-process factors (within 1e-5, same seed)', async () => {
    await reference.fit(data, { seed: params.seed });
    const queue = `reckon-dals-a-${tag}`;
    queues.push(queue);
    const ws = spawnWorkers(3, queue);
    try {
      const r = await distributedAls(data, params, { redisUrl: redisUrl!, queue, dir: join(dir, 'a'), rowsPerShard: 40 });
      expect(maxDiff(r.userFactors, reference.userFactors)).toBeLessThanOrEqual(1e-5);
      expect(maxDiff(r.itemFactors, reference.itemFactors)).toBeLessThanOrEqual(1e-5);

      // Batch scoring by user shard on the same workers = the model's own top-k (scores within 1e-5; ties may swap).
      const k = 5;
      const top = await distributedTopK({ redisUrl: redisUrl!, queue, dir: join(dir, 'a'), nUsers: data.nUsers, nItems: data.nItems, f: params.factors, k, usersPerShard: 50 });
      const all = Int32Array.from({ length: data.nUsers }, (_, u) => u);
      const want = reference.recommendIndices(all, k, true);
      let sameIdx = 0;
      for (let c = 0; c < want.indices.length; c++) {
        expect(Math.abs(top.scores[c]! - want.scores[c]!)).toBeLessThanOrEqual(1e-5);
        if (top.indices[c] === want.indices[c]) sameIdx++;
      }
      expect(sameIdx / want.indices.length).toBeGreaterThan(0.99);

      // Item KNN by item block = brute-force cosine over the item columns (similarities within 1e-5).
      const knn = await distributedItemKnn({ redisUrl: redisUrl!, queue, dir: join(dir, 'a'), nItems: data.nItems, k: 4, itemsPerBlock: 30 });
      const csc = data.csc();
      const col = (i: number): Map<number, number> => {
        const m = new Map<number, number>();
        for (let p = csc.indptr[i]!; p < csc.indptr[i + 1]!; p++) m.set(csc.indices[p]!, csc.values[p]!);
        return m;
      };
      for (const i of [0, 17, data.nItems - 1]) {
        const a = col(i);
        const cos: number[] = [];
        for (let j2 = 0; j2 < data.nItems; j2++) {
          if (j2 === i) continue;
          const b = col(j2);
          let d = 0;
          let na = 0;
          let nb = 0;
          for (const [u, v] of a) {
            na += v * v;
            d += v * (b.get(u) ?? 0);
          }
          for (const v of b.values()) nb += v * v;
          if (d > 0) cos.push(d / Math.sqrt(na * nb));
        }
        cos.sort((x, y) => y - x);
        for (let c = 0; c < Math.min(4, cos.length); c++) expect(Math.abs(knn.scores[i * 4 + c]! - cos[c]!)).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      await stopAll(ws);
    }
  });

  it('the same when one worker is SIGKILLed mid-iteration (its job is retried elsewhere)', async () => {
    const queue = `reckon-dals-b-${tag}`;
    queues.push(queue);
    const ws = spawnWorkers(3, queue, { RECKON_WORKER_DELAY_MS: '150', RECKON_LOCK_MS: '1500' });
    const events = new QueueEvents(queue, { connection: new Redis(redisUrl!, { maxRetriesPerRequest: null }) });
    await events.waitUntilReady();
    let killed: number | undefined;
    events.on('progress', ({ jobId, data: progress }) => {
      const pid = (progress as { pid?: number }).pid;
      // Kill the worker that picked up the first job of the second epoch's user half-step, while it sleeps in the job.
      if (killed === undefined && /-u-1-\d+$/.test(jobId) && pid !== undefined) {
        const victim = ws.find((w) => w.pid === pid);
        if (victim !== undefined) {
          killed = pid;
          victim.kill('SIGKILL');
        }
      }
    });
    try {
      const r = await distributedAls(data, params, { redisUrl: redisUrl!, queue, dir: join(dir, 'b'), rowsPerShard: 40 });
      expect(killed).toBeDefined();
      expect(ws.find((w) => w.pid === killed)?.signalCode).toBe('SIGKILL');
      expect(maxDiff(r.userFactors, reference.userFactors)).toBeLessThanOrEqual(1e-5);
      expect(maxDiff(r.itemFactors, reference.itemFactors)).toBeLessThanOrEqual(1e-5);
    } finally {
      await events.close();
      await stopAll(ws);
    }
  });
});
