import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { AbortedError, InvalidArgumentError } from '../../core/errors.js';
import { type RunOptions, type RunResult, describeError, runAttempt, runPipeline } from '../runner.js';
import type { Dag } from '../dag.js';
import { resolveDag } from './dag-registry.js';

/** BullMQ job name of one attempt of one DAG task. */
export const JOB_DAG_TASK = 'dag-task';

/** Data of a DAG task job: everything a worker needs to run the attempt (all JSON). */
export interface DagTaskJob {
  /** Registered factory name and its JSON options (see `registerDagFactory`). */
  factory: string;
  options: Record<string, unknown>;
  task: string;
  params: Record<string, unknown>;
  /** Outputs of the task's dependencies by name. */
  inputs: Record<string, unknown>;
  runId: string;
  attempt: number;
}

/** What a worker returns for a DAG task job. */
export interface DagTaskResult {
  output: unknown;
  logs: string[];
  metrics: Record<string, number>;
  /** Process id of the worker that ran it. */
  pid: number;
}

/**
 * Runs one DAG task attempt in a worker: resolves the DAG from the registry, runs the task with its timeout (same
 * `runAttempt` as the local runner) and returns output, log lines and metrics. A failure is rethrown with the same
 * message the local runner records, so the coordinator's record reads the same.
 */
export async function processDagTask(job: Job<DagTaskJob>): Promise<DagTaskResult> {
  const d = job.data;
  const dag = await resolveDag(d.factory, d.options);
  const task = dag.tasks.find((t) => t.name === d.task);
  if (task === undefined) throw new InvalidArgumentError(`distributed pipeline: DAG "${dag.name}" of factory "${d.factory}" has no task "${d.task}"`);
  const logs: string[] = [];
  const metrics: Record<string, number> = {};
  const base = { params: d.params, inputs: d.inputs, runId: d.runId, log: (line: string) => void logs.push(`${new Date().toISOString()} ${line}`), metric: (n: string, v: number) => void (metrics[n] = v) };
  try {
    const output = await runAttempt(task, base, d.attempt, undefined);
    return { output: output ?? null, logs, metrics, pid: process.pid };
  } catch (e) {
    for (const l of logs) await job.log(l);
    throw new Error(describeError(e));
  }
}

/** Options of the distributed runner: the local runner's plus where the workers listen and which DAG they build. */
export interface DistributedRunOptions<P extends Record<string, unknown>> extends Omit<RunOptions<P>, 'executeAttempt'> {
  redisUrl: string;
  /** Queue the workers listen on (default "reckon"). */
  queue?: string;
  /** Registered DAG factory and its JSON options; must build the same DAG as the one passed to `runDistributed`. */
  factory: string;
  factoryOptions: Record<string, unknown>;
}

/**
 * Runs `dag` on `reckon worker` processes (the distributed runner). This process is the coordinator: it keeps the
 * DAG state, enqueues one BullMQ job per task attempt as soon as the task's dependencies have succeeded (up to
 * `concurrency` at once), waits for the job, and applies the local runner's rules unchanged (reuse by input hash,
 * retries with exponential backoff, failed tasks cancelling their dependants, cancellation) and writes the same run
 * and task records to the store. Workers run the attempt with the task's timeout; a worker that dies mid-job stops
 * renewing its lock and BullMQ hands the job to another worker (stalled-job check).
 */
export async function runDistributed<P extends Record<string, unknown>>(dag: Dag<P>, opts: DistributedRunOptions<P>): Promise<RunResult> {
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queueName = opts.queue ?? 'reckon';
  const queue = new Queue<DagTaskJob, DagTaskResult>(queueName, { connection });
  const eventsConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const events = new QueueEvents(queueName, { connection: eventsConnection });
  // Both must finish connecting before anything can close them (a run whose tasks are all reused enqueues nothing).
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  try {
    const { factory, factoryOptions, redisUrl: _r, queue: _q, ...local } = opts;
    return await runPipeline(dag, {
      ...local,
      executeAttempt: async (task, base, attempt, runSignal) => {
        const isAborted = (): boolean => runSignal?.aborted === true;
        if (isAborted()) throw new AbortedError('pipeline run');
        const job = await queue.add(
          JOB_DAG_TASK,
          { factory, options: factoryOptions, task: task.name, params: base.params, inputs: base.inputs, runId: base.runId, attempt },
          { jobId: `${base.runId}|${task.name}|${attempt}`.replace(/:/g, '~'), attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 },
        );
        const wait = job.waitUntilFinished(events) as Promise<DagTaskResult>;
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(new AbortedError('pipeline run'));
          runSignal?.addEventListener('abort', onAbort, { once: true });
        });
        aborted.catch(() => undefined);
        try {
          const r = await Promise.race([wait, aborted]);
          for (const l of r.logs) base.log(`[worker ${r.pid}] ${l.replace(/^\S+ /, '')}`);
          for (const [n, v] of Object.entries(r.metrics)) base.metric(n, v);
          return r.output;
        } catch (e) {
          if (isAborted()) await job.remove().catch(() => undefined);
          throw e;
        } finally {
          if (onAbort !== undefined) runSignal?.removeEventListener('abort', onAbort);
        }
      },
    });
  } finally {
    await events.close();
    await queue.close();
    eventsConnection.disconnect();
    connection.disconnect();
  }
}

/** Re-export so callers of the distributed runner need one import. */
export { resolveDag };
