import { InvalidArgumentError } from '../core/errors.js';

/** What a task function receives. */
export interface TaskContext<P extends Record<string, unknown> = Record<string, unknown>> {
  /** The run's params (JSON values). */
  params: P;
  /** Outputs of the task's dependencies by task name (JSON values, as stored in the record). */
  inputs: Record<string, unknown>;
  /** Aborted on run cancellation or when this attempt times out. */
  signal: AbortSignal;
  /** 1-based attempt number. */
  attempt: number;
  /** Id of the run. */
  runId: string;
  /** Appends a line to the task's log (kept in the run record). */
  log(line: string): void;
  /** Records a numeric metric of the task (kept in the run record). */
  metric(name: string, value: number): void;
}

/** One named task of a DAG. Its output must be JSON-serializable (it is stored and fed to dependants). */
export interface TaskSpec<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** Names of tasks that must succeed first. */
  deps?: readonly string[];
  run(ctx: TaskContext<P>): Promise<unknown>;
  /** Attempts in all (default 1 = no retry). */
  attempts?: number;
  /** Delay before the second attempt in ms; doubles each further attempt (default 1000), capped by `maxBackoffMs`. */
  backoffMs?: number;
  /** Cap of the backoff delay (default 60 000 ms). */
  maxBackoffMs?: number;
  /** Milliseconds one attempt may take before it is aborted and counted as failed (default: none). */
  timeoutMs?: number;
  /**
   * Which params enter the input hash (default all). A task whose input hash (name, version, these params, the
   * dependencies' outputs) matches a succeeded record is skipped and its stored output reused. `false` disables reuse
   * (tasks with side effects, e.g. publishing).
   */
  cacheKey?: readonly string[] | false;
  /** Bump to invalidate earlier records of this task. */
  version?: number;
  /** Extra JSON that enters the input hash (e.g. a candidate's hyper-parameters fixed when the DAG was built). */
  cacheSalt?: unknown;
}

/** A named DAG of tasks. */
export interface Dag<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  tasks: readonly TaskSpec<P>[];
  /** Fields added to the run record from the outputs at the end (e.g. why a model was or was not promoted). */
  summary?(outputs: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Checks names (unique, non-empty), dependencies (known) and acyclicity, and returns the tasks in a topological order
 * (stable: declaration order among ready tasks). O(tasks^2), fine for DAGs of tens of tasks.
 */
export function topoOrder<P extends Record<string, unknown>>(dag: Dag<P>): TaskSpec<P>[] {
  const byName = new Map<string, TaskSpec<P>>();
  for (const t of dag.tasks) {
    if (!/^[A-Za-z0-9_.:#-]+$/.test(t.name)) throw new InvalidArgumentError(`pipeline "${dag.name}": task name must match [A-Za-z0-9_.:#-]+, got "${t.name}"`);
    if (byName.has(t.name)) throw new InvalidArgumentError(`pipeline "${dag.name}": task "${t.name}" is declared twice`);
    byName.set(t.name, t);
  }
  for (const t of dag.tasks) {
    for (const d of t.deps ?? []) {
      if (!byName.has(d)) throw new InvalidArgumentError(`pipeline "${dag.name}": task "${t.name}" depends on unknown task "${d}"`);
    }
  }
  const out: TaskSpec<P>[] = [];
  const done = new Set<string>();
  while (out.length < dag.tasks.length) {
    const ready = dag.tasks.find((t) => !done.has(t.name) && (t.deps ?? []).every((d) => done.has(d)));
    if (ready === undefined) {
      const left = dag.tasks.filter((t) => !done.has(t.name)).map((t) => t.name);
      throw new InvalidArgumentError(`pipeline "${dag.name}": dependency cycle among tasks ${left.join(', ')}`);
    }
    done.add(ready.name);
    out.push(ready);
  }
  return out;
}

/** Backoff before attempt `attempt` (2-based: the first retry waits `base`). */
export function backoffDelay(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 2));
}
