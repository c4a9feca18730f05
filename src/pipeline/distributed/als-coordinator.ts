import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { Rng } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { gramPlusReg } from '../../recommenders/implicit/als-solve.js';
import { alsSimdUsable } from '../../recommenders/implicit/als-simd.js';
import { type ShardJob, readF32, shardOutPath, writeArray } from './als-files.js';
import { JOB_ALS_SHARD } from './worker.js';

/** ALS hyper-parameters (names and defaults as in `AlsModel`). */
export interface DistributedAlsParams {
  factors: number;
  epochs: number;
  regularization: number;
  alpha: number;
  cgSteps: number;
  seed: number;
}

/** Where and how the shards run. */
export interface DistributedAlsOptions {
  redisUrl: string;
  queue?: string;
  /** Shared folder every worker can read and write. */
  dir: string;
  /** Rows per shard job (default: rows / 12, at least 1). */
  rowsPerShard?: number;
  /** Attempts per shard job (default 3). */
  attempts?: number;
  /** Called after each half-step with the epoch and side. */
  onHalfStep?: (epoch: number, side: 'u' | 'i') => void;
}

/**
 * Implicit ALS with each half-step split into row shards run as BullMQ jobs by `reckon worker` processes. The
 * coordinator owns the order: it writes the fixed side's Gram matrix, enqueues one job per shard, waits for all of
 * them, then assembles the solved rows into the new factor file. A row's solve depends only on its own CSR row, its
 * previous factors and the fixed side, so the result equals the single-process `AlsModel` fit with the same seed
 * (same initialisation, same kernel), whatever the number of workers and however often a shard is retried.
 */
export async function distributedAls(data: Interactions, p: DistributedAlsParams, o: DistributedAlsOptions): Promise<{ userFactors: Float32Array; itemFactors: Float32Array }> {
  const f = p.factors;
  const nU = data.nUsers;
  const nI = data.nItems;
  mkdirSync(o.dir, { recursive: true });
  const rng = new Rng(p.seed);
  const x = new Float32Array(nU * f);
  const y = new Float32Array(nI * f);
  for (let k = 0; k < x.length; k++) x[k] = rng.float() * 0.01;
  for (let k = 0; k < y.length; k++) y[k] = rng.float() * 0.01;
  const csc = data.csc();
  writeArray(join(o.dir, 'u.indptr'), data.indptr);
  writeArray(join(o.dir, 'u.indices'), data.indices);
  writeArray(join(o.dir, 'u.values'), data.values);
  writeArray(join(o.dir, 'i.indptr'), csc.indptr);
  writeArray(join(o.dir, 'i.indices'), csc.indices);
  writeArray(join(o.dir, 'i.values'), csc.values);
  writeArray(join(o.dir, 'x.f32'), x);
  writeArray(join(o.dir, 'y.f32'), y);

  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queueName = o.queue ?? 'reckon';
  // Job ids are unique per fit, so a later fit on the same queue never collides with this one's records.
  const fitId = randomUUID().slice(0, 8);
  const queue = new Queue<ShardJob>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection: new Redis(o.redisUrl, { maxRetriesPerRequest: null }) });
  // One waitUntilFinished listener per shard job: not a leak.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  // the same kernel choice as AlsModel.fit, so the distributed factors equal the single-process ones
  const simd = alsSimdUsable(f);
  try {
    const cur = { u: x, i: y };
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      for (const side of ['u', 'i'] as const) {
        const fixed = side === 'u' ? cur.i : cur.u;
        const rows = side === 'u' ? nU : nI;
        writeArray(join(o.dir, `gram-${side}-${epoch}.f64`), gramPlusReg(fixed, side === 'u' ? nI : nU, f, p.regularization));
        const per = Math.max(1, o.rowsPerShard ?? Math.ceil(rows / 12));
        const shards: ShardJob[] = [];
        for (let s = 0, start = 0; start < rows; s++, start += per) {
          shards.push({ dir: o.dir, side, epoch, shard: s, start, end: Math.min(rows, start + per), f, alpha: p.alpha, cgSteps: p.cgSteps, simd });
        }
        const jobs = await queue.addBulk(
          shards.map((d) => ({
            name: JOB_ALS_SHARD,
            data: d,
            // Kept until every shard is known finished (removing on completion races with waitUntilFinished).
            opts: { jobId: `als-${fitId}-${side}-${epoch}-${d.shard}`, attempts: o.attempts ?? 3, backoff: { type: 'exponential', delay: 200 }, removeOnComplete: false, removeOnFail: 100 },
          })),
        );
        await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
        await Promise.all(jobs.map((j) => j.remove().catch(() => undefined)));
        const next = new Float32Array(rows * f);
        for (const d of shards) next.set(readF32(shardOutPath(o.dir, side, epoch, d.shard)), d.start * f);
        writeArray(join(o.dir, side === 'u' ? 'x.f32' : 'y.f32'), next);
        cur[side] = next;
        for (const d of shards) rmSync(shardOutPath(o.dir, side, epoch, d.shard), { force: true });
        rmSync(join(o.dir, `gram-${side}-${epoch}.f64`), { force: true });
        o.onHalfStep?.(epoch, side);
      }
    }
    return { userFactors: cur.u, itemFactors: cur.i };
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}
