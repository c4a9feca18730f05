/**
 * Rows of the pipeline run record (tables `pipeline_runs` and `pipeline_tasks`, migration 2). The store keeps the
 * queryable columns (ids, status, times, input hash) as columns and everything else (params, logs, metrics, error,
 * output) as one JSON document, so the pipeline can grow fields without a migration.
 */

/** Status of a run or a task. */
export type PipelineStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** One pipeline run. Times are epoch milliseconds; `finishedAt` is null while running. */
export interface PipelineRunRow {
  id: string;
  pipeline: string;
  status: PipelineStatus;
  startedAt: number;
  finishedAt: number | null;
  /** JSON-serializable details: params, error, summary. */
  data: Record<string, unknown>;
}

/** One task of a run. `inputHash` identifies the task's inputs for idempotent reruns. */
export interface PipelineTaskRow {
  runId: string;
  pipeline: string;
  task: string;
  status: PipelineStatus;
  inputHash: string;
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
  /** JSON-serializable details: logs, metrics, error, output. */
  data: Record<string, unknown>;
}

/** Raw SQL row of `pipeline_runs` (both dialects). */
export interface RunSqlRow {
  id: string;
  pipeline: string;
  status: string;
  started_at: unknown;
  finished_at: unknown;
  data: unknown;
}

/** Raw SQL row of `pipeline_tasks` (both dialects). */
export interface TaskSqlRow {
  run_id: string;
  pipeline: string;
  task: string;
  status: string;
  input_hash: string;
  attempts: unknown;
  started_at: unknown;
  finished_at: unknown;
  data: unknown;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function json(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** SQL row -> run record. */
export function runFromSql(r: RunSqlRow): PipelineRunRow {
  return { id: r.id, pipeline: r.pipeline, status: r.status as PipelineStatus, startedAt: num(r.started_at), finishedAt: r.finished_at === null ? null : num(r.finished_at), data: json(r.data) };
}

/** SQL row -> task record. */
export function taskFromSql(r: TaskSqlRow): PipelineTaskRow {
  return {
    runId: r.run_id,
    pipeline: r.pipeline,
    task: r.task,
    status: r.status as PipelineStatus,
    inputHash: r.input_hash,
    attempts: num(r.attempts),
    startedAt: num(r.started_at),
    finishedAt: r.finished_at === null ? null : num(r.finished_at),
    data: json(r.data),
  };
}
