import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { TopKBatch } from '../../core/topk.js';
import { type KnnJob, type ScoreJob, knnOutPath, readF32, scoreOutPath } from './als-files.js';
import { JOB_KNN_BLOCK, JOB_SCORE_SHARD } from './worker.js';

function readI32(path: string): Int32Array {
  const f = readF32(path);
  return new Int32Array(f.buffer, f.byteOffset, f.length);
}

/**
 * Batch scoring by user shard on `reckon worker` processes: top-k unseen items for every user from the factor files a
 * `distributedAls` fit left in `dir` (`x.f32`, `y.f32`, `u.*`). Returns the rows x k batch, padded with -1.
 */
export async function distributedTopK(o: { redisUrl: string; queue?: string; dir: string; nUsers: number; nItems: number; f: number; k: number; usersPerShard?: number }): Promise<TopKBatch> {
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queueName = o.queue ?? 'reckon';
  const queue = new Queue<ScoreJob>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection: new Redis(o.redisUrl, { maxRetriesPerRequest: null }) });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  const id = randomUUID().slice(0, 8);
  try {
    const per = Math.max(1, o.usersPerShard ?? Math.ceil(o.nUsers / 12));
    const shards: ScoreJob[] = [];
    for (let start = 0; start < o.nUsers; start += per) shards.push({ dir: o.dir, start, end: Math.min(o.nUsers, start + per), f: o.f, k: o.k, nItems: o.nItems });
    const jobs = await queue.addBulk(shards.map((d) => ({ name: JOB_SCORE_SHARD, data: d, opts: { jobId: `score-${id}-${d.start}`, attempts: 3, removeOnComplete: false, removeOnFail: 100 } })));
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    await Promise.all(jobs.map((j) => j.remove().catch(() => undefined)));
    const indices = new Int32Array(o.nUsers * o.k);
    const scores = new Float32Array(o.nUsers * o.k);
    for (const d of shards) {
      const p = scoreOutPath(o.dir, d.start);
      indices.set(readI32(`${p}.i32`), d.start * o.k);
      scores.set(readF32(`${p}.f32`), d.start * o.k);
      rmSync(`${p}.i32`, { force: true });
      rmSync(`${p}.f32`, { force: true });
    }
    return { k: o.k, indices, scores };
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}

/**
 * Item-item cosine KNN by item block on `reckon worker` processes, from the CSR files of a `distributedAls` folder
 * (or any folder with `u.*` / `i.*`). Returns the nItems x k neighbour batch, padded with -1.
 */
export async function distributedItemKnn(o: { redisUrl: string; queue?: string; dir: string; nItems: number; k: number; itemsPerBlock?: number }): Promise<TopKBatch> {
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queueName = o.queue ?? 'reckon';
  const queue = new Queue<KnnJob>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection: new Redis(o.redisUrl, { maxRetriesPerRequest: null }) });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  const id = randomUUID().slice(0, 8);
  try {
    const per = Math.max(1, o.itemsPerBlock ?? Math.ceil(o.nItems / 12));
    const blocks: KnnJob[] = [];
    for (let start = 0; start < o.nItems; start += per) blocks.push({ dir: o.dir, start, end: Math.min(o.nItems, start + per), k: o.k, nItems: o.nItems });
    const jobs = await queue.addBulk(blocks.map((d) => ({ name: JOB_KNN_BLOCK, data: d, opts: { jobId: `knn-${id}-${d.start}`, attempts: 3, removeOnComplete: false, removeOnFail: 100 } })));
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    await Promise.all(jobs.map((j) => j.remove().catch(() => undefined)));
    const indices = new Int32Array(o.nItems * o.k);
    const scores = new Float32Array(o.nItems * o.k);
    for (const d of blocks) {
      const p = knnOutPath(o.dir, d.start);
      indices.set(readI32(`${p}.i32`), d.start * o.k);
      scores.set(readF32(`${p}.f32`), d.start * o.k);
      rmSync(`${p}.i32`, { force: true });
      rmSync(`${p}.f32`, { force: true });
    }
    return { k: o.k, indices, scores };
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}
