import { randomUUID } from 'node:crypto';
import { AbortedError, ReckonError } from '../core/errors.js';
import type { PipelineRunRow, PipelineStatus, PipelineTaskRow } from '../serve/store/pipeline-rows.js';
import type { Store } from '../serve/store/store.js';
import { type Dag, type TaskContext, type TaskSpec, backoffDelay, topoOrder } from './dag.js';
import { hashOf } from './hash.js';

/** How a run is executed. */
export interface RunOptions<P extends Record<string, unknown>> {
  /** Where runs and tasks are recorded (and idempotent reruns looked up). */
  store: Store;
  params?: P;
  /** Run id (default a random UUID). */
  runId?: string;
  /** Cancels the run: running attempts see their signal abort, no further task starts. */
  signal?: AbortSignal;
  /** Re-run every task even when a succeeded record with the same inputs exists. */
  force?: boolean;
  /** Tasks started at once when several are ready (default 1). */
  concurrency?: number;
  /** Called on every task state change (e.g. to print progress). */
  onTask?: (row: PipelineTaskRow) => void;
  /** Injected for tests: waits `ms` (default setTimeout honouring the run signal). */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /**
   * Runs one attempt of a task and resolves with its output (default `runAttempt`: in this process, with the task's
   * timeout). The distributed runner sends the attempt to a `reckon worker` instead; retries, backoff, reuse and the
   * store records stay here, so both runners write the same records.
   */
  executeAttempt?: AttemptExecutor<P>;
}

/** What an attempt executor receives: the task, its context without signal/attempt, the attempt number, the run's signal. */
export type AttemptExecutor<P extends Record<string, unknown>> = (
  task: TaskSpec<P>,
  base: Omit<TaskContext<P>, 'signal' | 'attempt'>,
  attempt: number,
  runSignal: AbortSignal | undefined,
) => Promise<unknown>;

/** The outcome of a run. */
export interface RunResult {
  runId: string;
  status: PipelineStatus;
  /** Output of every task that succeeded or was reused. */
  outputs: Record<string, unknown>;
  tasks: Record<string, PipelineTaskRow>;
  /** First failure, as "task: message". */
  error?: string;
}

function defaultSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('pipeline run'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError('pipeline run'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Serializes an error for the record: message and code when it is a ReckonError. */
export function describeError(e: unknown): string {
  if (e instanceof ReckonError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** The input hash of `task`: name, version, the params it declares, its dependencies' outputs. */
export function taskInputHash<P extends Record<string, unknown>>(task: TaskSpec<P>, params: P, outputs: Record<string, unknown>): string {
  const keys = task.cacheKey === false || task.cacheKey === undefined ? Object.keys(params).sort() : [...task.cacheKey].sort();
  const picked: Record<string, unknown> = {};
  for (const k of keys) picked[k] = params[k];
  const deps = (task.deps ?? []).map((d) => outputs[d]);
  return hashOf(task.name, task.version ?? 0, task.cacheSalt ?? null, picked, deps);
}

/** Runs one attempt in this process with its own timeout signal chained to the run's (`runSignal`). */
export async function runAttempt<P extends Record<string, unknown>>(task: TaskSpec<P>, base: Omit<TaskContext<P>, 'signal' | 'attempt'>, attempt: number, runSignal: AbortSignal | undefined): Promise<unknown> {
  const ac = new AbortController();
  const onRunAbort = (): void => ac.abort(new AbortedError('pipeline run'));
  runSignal?.addEventListener('abort', onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    // The guard listens before the task does, so an abort always wins over whatever the task resolves with then.
    const guards: Promise<never>[] = [
      new Promise<never>((_, reject) => {
        ac.signal.addEventListener('abort', () => reject(ac.signal.reason instanceof Error ? ac.signal.reason : new AbortedError(`task ${task.name}`)), { once: true });
      }),
    ];
    guards[0]!.catch(() => undefined);
    const work = task.run({ ...base, signal: ac.signal, attempt });
    if (task.timeoutMs !== undefined) {
      const ms = task.timeoutMs;
      timer = setTimeout(() => ac.abort(new AbortedError(`task ${task.name} (timed out after ${ms} ms)`)), ms);
    }
    return await Promise.race([work, ...guards]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    runSignal?.removeEventListener('abort', onRunAbort);
    if (!ac.signal.aborted) ac.abort();
  }
}

/**
 * Runs `dag` in this process (the local runner): tasks start in dependency order (up to `concurrency` at once); each
 * attempt gets a timeout; a failed attempt is retried after an exponential backoff; a task whose input hash matches a
 * succeeded record is skipped and its stored output reused; a failed task cancels its dependants; cancellation stops
 * the run. Every run and task state (status, times, attempts, logs, metrics, error, output) is written to the store.
 */
export async function runPipeline<P extends Record<string, unknown>>(dag: Dag<P>, opts: RunOptions<P>): Promise<RunResult> {
  const order = topoOrder(dag);
  const params = (opts.params ?? {}) as P;
  const runId = opts.runId ?? randomUUID();
  const store = opts.store;
  const sleep = opts.sleep ?? defaultSleep;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const run: PipelineRunRow = { id: runId, pipeline: dag.name, status: 'running', startedAt: Date.now(), finishedAt: null, data: { params } };
  await store.savePipelineRun(run);

  const outputs: Record<string, unknown> = {};
  const rows: Record<string, PipelineTaskRow> = {};
  const state = new Map<string, PipelineStatus>();
  let firstError: string | undefined;

  const save = async (row: PipelineTaskRow): Promise<void> => {
    rows[row.task] = row;
    await store.savePipelineTask(row);
    opts.onTask?.(row);
  };

  const execute = async (task: TaskSpec<P>): Promise<void> => {
    const inputs: Record<string, unknown> = {};
    for (const d of task.deps ?? []) inputs[d] = outputs[d];
    const inputHash = taskInputHash(task, params, outputs);
    const logs: string[] = [];
    const metrics: Record<string, number> = {};
    const row: PipelineTaskRow = { runId, pipeline: dag.name, task: task.name, status: 'running', inputHash, attempts: 0, startedAt: Date.now(), finishedAt: null, data: {} };
    if (task.cacheKey !== false && opts.force !== true) {
      const prev = await store.findSucceededTask(dag.name, task.name, inputHash);
      if (prev !== undefined) {
        outputs[task.name] = prev.data['output'];
        state.set(task.name, 'skipped');
        await save({ ...row, status: 'skipped', finishedAt: Date.now(), data: { reason: `inputs unchanged since run ${prev.runId}`, reusedFrom: prev.runId, output: prev.data['output'] ?? null, metrics: prev.data['metrics'] ?? {} } });
        return;
      }
    }
    const base = { params, inputs, runId, log: (line: string) => void logs.push(`${new Date().toISOString()} ${line}`), metric: (n: string, v: number) => void (metrics[n] = v) };
    const attempts = Math.max(1, task.attempts ?? 1);
    const errors: string[] = [];
    for (let a = 1; a <= attempts; a++) {
      if (a > 1) {
        const wait = backoffDelay(a, task.backoffMs ?? 1000, task.maxBackoffMs ?? 60_000);
        logs.push(`${new Date().toISOString()} retrying in ${wait} ms (attempt ${a} of ${attempts})`);
        try {
          await sleep(wait, opts.signal);
        } catch {
          break;
        }
      }
      if (opts.signal?.aborted === true) break;
      await save({ ...row, attempts: a, data: { logs, metrics, errors } });
      try {
        const out = await (opts.executeAttempt ?? runAttempt)(task, base, a, opts.signal);
        outputs[task.name] = out ?? null;
        state.set(task.name, 'succeeded');
        await save({ ...row, status: 'succeeded', attempts: a, finishedAt: Date.now(), data: { logs, metrics, errors, output: out ?? null } });
        return;
      } catch (e) {
        errors.push(`attempt ${a}: ${describeError(e)}`);
        logs.push(`${new Date().toISOString()} attempt ${a} failed: ${describeError(e)}`);
      }
    }
    const cancelled = opts.signal?.aborted === true;
    const status: PipelineStatus = cancelled ? 'cancelled' : 'failed';
    state.set(task.name, status);
    const error = cancelled ? 'cancelled' : (errors[errors.length - 1] ?? 'failed');
    firstError ??= `${task.name}: ${error}`;
    await save({ ...row, status, attempts: Math.max(1, errors.length), finishedAt: Date.now(), data: { logs, metrics, errors, error } });
  };

  const running = new Map<string, Promise<void>>();
  for (;;) {
    // Dependants of a failed/cancelled task are cancelled with the reason.
    for (const t of order) {
      if (state.has(t.name)) continue;
      const bad = (t.deps ?? []).find((d) => state.get(d) === 'failed' || state.get(d) === 'cancelled');
      if (bad !== undefined || opts.signal?.aborted === true) {
        state.set(t.name, 'cancelled');
        const reason = bad !== undefined ? `upstream task ${bad} ${state.get(bad)}` : 'run cancelled';
        await save({ runId, pipeline: dag.name, task: t.name, status: 'cancelled', inputHash: '', attempts: 0, startedAt: Date.now(), finishedAt: Date.now(), data: { reason } });
      }
    }
    for (const t of order) {
      if (running.size >= concurrency) break;
      if (state.has(t.name) || running.has(t.name)) continue;
      if (!(t.deps ?? []).every((d) => state.get(d) === 'succeeded' || state.get(d) === 'skipped')) continue;
      const p = execute(t).finally(() => running.delete(t.name));
      running.set(t.name, p);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const statuses = [...state.values()];
  run.status = opts.signal?.aborted === true ? 'cancelled' : statuses.some((s) => s === 'failed' || s === 'cancelled') ? 'failed' : 'succeeded';
  run.finishedAt = Date.now();
  let summary: Record<string, unknown> = {};
  try {
    summary = dag.summary?.(outputs) ?? {};
  } catch (e) {
    summary = { summaryError: describeError(e) };
  }
  run.data = { params, ...summary, ...(firstError === undefined ? {} : { error: firstError }) };
  await store.savePipelineRun(run);
  return { runId, status: run.status, outputs, tasks: rows, ...(firstError === undefined ? {} : { error: firstError }) };
}
