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

/** The job data of one row block (score or KNN), as queued. */
type ShardData = ScoreJob | KnnJob;

/**
 * Runs one job per contiguous row block [start, end) of `rows` on the workers, waits for all of them, and gathers
 * each block's top-k output files (`<outPath(start)>.i32` / `.f32`) into one rows x k batch, removing the files.
 * Jobs are retried up to 3 times (another worker picks up a job whose worker died).
 */
async function runTopKBlocks<J extends ShardData>(o: {
  redisUrl: string;
  queue?: string;
  jobName: string;
  rows: number;
  perBlock: number;
  k: number;
  makeJob: (start: number, end: number) => J;
  outPath: (start: number) => string;
}): Promise<TopKBatch> {
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queueName = o.queue ?? 'reckon';
  const queue = new Queue<ShardData, unknown, string>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection: new Redis(o.redisUrl, { maxRetriesPerRequest: null }) });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  const id = randomUUID().slice(0, 8);
  try {
    const per = Math.max(1, o.perBlock);
    const blocks: J[] = [];
    for (let start = 0; start < o.rows; start += per) blocks.push(o.makeJob(start, Math.min(o.rows, start + per)));
    const jobs = await queue.addBulk(
      blocks.map((d) => ({ name: o.jobName, data: d, opts: { jobId: `${o.jobName}-${id}-${d.start}`, attempts: 3, removeOnComplete: false, removeOnFail: 100 } })),
    );
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    await Promise.all(jobs.map((j) => j.remove().catch(() => undefined)));
    const indices = new Int32Array(o.rows * o.k);
    const scores = new Float32Array(o.rows * o.k);
    for (const d of blocks) {
      const p = o.outPath(d.start);
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
 * Batch scoring by user shard on `reckon worker` processes: top-k unseen items for every user from the factor files a
 * `distributedAls` fit left in `dir` (`x.f32`, `y.f32`, `u.*`). Returns the rows x k batch, padded with -1.
 */
export async function distributedTopK(o: { redisUrl: string; queue?: string; dir: string; nUsers: number; nItems: number; f: number; k: number; usersPerShard?: number }): Promise<TopKBatch> {
  return runTopKBlocks<ScoreJob>({
    redisUrl: o.redisUrl,
    ...(o.queue === undefined ? {} : { queue: o.queue }),
    jobName: JOB_SCORE_SHARD,
    rows: o.nUsers,
    perBlock: o.usersPerShard ?? Math.ceil(o.nUsers / 12),
    k: o.k,
    makeJob: (start, end) => ({ dir: o.dir, start, end, f: o.f, k: o.k, nItems: o.nItems }),
    outPath: (start) => scoreOutPath(o.dir, start),
  });
}

/**
 * Item-item cosine KNN by item block on `reckon worker` processes, from the CSR files of a `distributedAls` folder
 * (or any folder with `u.*` / `i.*`). Returns the nItems x k neighbour batch, padded with -1.
 */
export async function distributedItemKnn(o: { redisUrl: string; queue?: string; dir: string; nItems: number; k: number; itemsPerBlock?: number }): Promise<TopKBatch> {
  return runTopKBlocks<KnnJob>({
    redisUrl: o.redisUrl,
    ...(o.queue === undefined ? {} : { queue: o.queue }),
    jobName: JOB_KNN_BLOCK,
    rows: o.nItems,
    perBlock: o.itemsPerBlock ?? Math.ceil(o.nItems / 12),
    k: o.k,
    makeJob: (start, end) => ({ dir: o.dir, start, end, k: o.k, nItems: o.nItems }),
    outPath: (start) => knnOutPath(o.dir, start),
  });
}
