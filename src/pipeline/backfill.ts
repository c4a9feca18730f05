import { InvalidArgumentError } from '../core/errors.js';
import type { Dag } from './dag.js';
import { type RunOptions, type RunResult, runPipeline } from './runner.js';

const DAY = 86_400_000;

/** "YYYY-MM-DD" -> epoch ms at 00:00 UTC. */
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== s) throw new InvalidArgumentError(`date must be YYYY-MM-DD, got "${s}"`);
  return t;
}

/** Each day from `from` to `to` inclusive as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const a = parseDay(from);
  const b = parseDay(to);
  if (b < a) throw new InvalidArgumentError(`backfill: end date ${to} is before start date ${from}`);
  const out: string[] = [];
  for (let t = a; t <= b; t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Backfill: one run per day in [from, to], in order, each with params `{ ...params, date, windowStart, windowEnd }`
 * (window = that day in epoch ms, end exclusive). Days whose tasks already succeeded with the same inputs are reused
 * by the runner's idempotence, so re-running a backfill only does the missing work. Stops at the first failed day
 * unless `continueOnFailure`. `runner` runs each day (default the local `runPipeline`; the CLI passes the distributed one).
 */
export async function backfill<P extends Record<string, unknown>>(
  dag: Dag<P>,
  from: string,
  to: string,
  opts: Omit<RunOptions<P>, 'runId'> & { continueOnFailure?: boolean },
  runner: (dag: Dag<P>, opts: RunOptions<P>) => Promise<RunResult> = runPipeline,
): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (const day of daysBetween(from, to)) {
    const start = parseDay(day);
    const params = { ...(opts.params ?? {}), date: day, windowStart: start, windowEnd: start + DAY } as unknown as P;
    const r = await runner(dag, { ...opts, params, runId: `${dag.name}:${day}:${Date.now().toString(36)}` });
    out.push(r);
    if (r.status !== 'succeeded' && opts.continueOnFailure !== true) break;
  }
  return out;
}
