import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type DagTaskJob, JOB_DAG_TASK, processDagTask } from './dag-runner.js';
import { type KnnJob, type ScoreJob, type ShardJob, knnBlock, scoreShard, solveShard } from './als-files.js';

/** Options of a `reckon worker` process. */
export interface WorkerOptions {
  redisUrl: string;
  /** Queue name (default "reckon"). */
  queue?: string;
  /** Jobs processed at once by this process (default 1; ALS shards are CPU-bound). */
  concurrency?: number;
  /**
   * Milliseconds a job's lock lives without renewal (default 10 000). A worker that dies (SIGKILL, host loss) stops
   * renewing; after this time BullMQ's stalled-job check hands the job to another worker.
   */
  lockDurationMs?: number;
  /** Test hook: called with each job before it is solved (e.g. to slow it down). */
  beforeJob?: (job: Job<ShardJob | ScoreJob | KnnJob | DagTaskJob>) => Promise<void>;
}

/** Job names the worker understands. */
export const JOB_ALS_SHARD = 'als-shard';
/** Batch scoring of a user shard (top-k from the factor files). */
export const JOB_SCORE_SHARD = 'score-shard';
/** KNN similarity of an item block. */
export const JOB_KNN_BLOCK = 'knn-block';

/**
 * Starts a BullMQ worker on `queue`: picks up DAG task jobs (see `processDagTask`; the DAG factories must be
 * registered in this process), ALS shard jobs (see `solveShard`) and batch-scoring jobs (`scoreShard`) and reports its pid as job progress.
 * Stalled jobs (their worker died) are retried elsewhere up to 5 times; each job has its own retry budget too.
 */
export function startWorker(opts: WorkerOptions): { worker: Worker<ShardJob | ScoreJob | KnnJob | DagTaskJob>; close(): Promise<void> } {
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const lock = opts.lockDurationMs ?? 10_000;
  const worker = new Worker<ShardJob | ScoreJob | KnnJob | DagTaskJob>(
    opts.queue ?? 'reckon',
    async (job) => {
      await job.updateProgress({ pid: process.pid });
      if (opts.beforeJob !== undefined) await opts.beforeJob(job);
      if (job.name === JOB_DAG_TASK) return processDagTask(job as Job<DagTaskJob>);
      if (job.name === JOB_ALS_SHARD) solveShard(job.data as ShardJob);
      else if (job.name === JOB_SCORE_SHARD) scoreShard(job.data as ScoreJob);
      else if (job.name === JOB_KNN_BLOCK) knnBlock(job.data as KnnJob);
      else throw new Error(`unknown job name "${job.name}"`);
      return { pid: process.pid };
    },
    { connection, concurrency: opts.concurrency ?? 1, lockDuration: lock, stalledInterval: Math.max(500, Math.floor(lock / 2)), maxStalledCount: 5 },
  );
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}
