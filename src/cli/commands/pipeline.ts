import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { backfill } from '../../pipeline/backfill.js';
import { schedule } from '../../pipeline/cron.js';
import { type Candidate, retrainDag } from '../../pipeline/retrain.js';
import { RETRAIN_FACTORY, type RetrainFactoryOptions } from '../../pipeline/distributed/dag-registry.js';
import { runDistributed } from '../../pipeline/distributed/dag-runner.js';
import type { Dag } from '../../pipeline/dag.js';
import type { RetrainParams } from '../../pipeline/retrain.js';
import { type RunOptions, type RunResult, runPipeline } from '../../pipeline/runner.js';
import '../../recommenders/index.js';
import { DEFAULTS, openContext } from '../../serve/server.js';
import { openStore } from '../../serve/store/open.js';
import { formatTable, printJson } from '../output.js';

interface RunFlags {
  store: string;
  cache: string;
  models: string;
  workDir: string;
  candidate: string[];
  metric: string;
  tolerance: string;
  holdout: string;
  warmUsers: string;
  until?: string;
  force?: boolean;
  schedule?: string;
  backfill?: string;
  json?: boolean;
  runner: string;
  redis: string;
  queue: string;
  concurrency: string;
}

/** "als:factors=64,epochs=15" -> { algorithm: "als", params: { factors: 64, epochs: 15 } }; "factors=32|64" makes a grid. */
export function parseCandidate(spec: string): Candidate {
  const [algorithm, rest] = spec.split(':', 2) as [string, string | undefined];
  if (algorithm === '') throw new InvalidArgumentError(`--candidate: expected ALGORITHM[:key=value,...], got "${spec}"`);
  const params: Record<string, unknown> = {};
  const grid: Record<string, unknown[]> = {};
  for (const kv of (rest ?? '').split(',').filter((x) => x !== '')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--candidate "${spec}": "${kv}" is not key=value`);
    const vals = kv.slice(eq + 1).split('|').map((v) => (v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
    if (vals.length > 1) grid[kv.slice(0, eq)] = vals;
    else params[kv.slice(0, eq)] = vals[0];
  }
  return Object.keys(grid).length === 0 ? { algorithm, params } : { algorithm, params, grid };
}

function num(flag: string, v: string, min: number, max: number): number {
  const x = Number(v);
  if (!(x >= min && x <= max)) throw new InvalidArgumentError(`${flag}: expected a number in [${min}, ${max}], got "${v}"`);
  return x;
}

function printRun(r: RunResult, json: boolean): void {
  if (json) return printJson(r);
  const rows = Object.values(r.tasks).map((t) => [t.task, t.status, t.attempts, t.finishedAt === null ? '' : `${t.finishedAt - t.startedAt} ms`, String(t.data['reason'] ?? t.data['error'] ?? '')]);
  process.stdout.write(formatTable(['task', 'status', 'attempts', 'time', 'note'], rows));
  process.stdout.write(`run ${r.runId}: ${r.status}${r.error === undefined ? '' : ` (${r.error})`}\n`);
}

/** `reckon pipeline run|list|status|logs`: the retraining pipeline and its run records. */
export function registerPipeline(program: Command): void {
  const p = program.command('pipeline').description('Retraining pipeline: run it (now, on a cron schedule or as a backfill) and inspect its runs');
  const storeOpt = ['--store <url>', 'store holding events and run records', process.env['RECKON_STORE'] ?? DEFAULTS.store] as const;

  p.command('run')
    .description('Run the standard retraining DAG: extract -> build -> train candidates -> evaluate -> gate -> publish -> warm')
    .option(...storeOpt)
    .option('--cache <url>', 'cache to warm: memory, none or redis://host:port', process.env['RECKON_CACHE'] ?? DEFAULTS.cache)
    .option('--models <dir>', 'model registry folder', process.env['RECKON_MODELS'] ?? DEFAULTS.modelsDir)
    .option('--work-dir <dir>', 'folder for intermediate files', join('.reckon', 'pipeline'))
    .option('--candidate <spec>', 'candidate ALGORITHM[:key=value,...] (repeatable; key=a|b|c searches a grid)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--metric <name>', 'primary metric of the gate', 'ndcg@10')
    .option('--tolerance <x>', 'promote when metric >= active - tolerance', '0')
    .option('--holdout <fraction>', 'latest fraction of pairs held out for evaluation', '0.2')
    .option('--warm-users <n>', 'most active users whose lists are cached after a promotion', '1000')
    .option('--until <iso>', 'use events before this time (default now)')
    .option('--force', 're-run tasks even when their inputs are unchanged')
    .option('--schedule <cron>', 'keep running on this 5-field UTC cron schedule')
    .option('--backfill <from..to>', 'one run per day YYYY-MM-DD..YYYY-MM-DD')
    .option('--json', 'print the run result as JSON')
    .option('--runner <kind>', 'local (in this process) or distributed (tasks run by `reckon worker` processes via Redis)', 'local')
    .option('--redis <url>', 'Redis URL of the distributed runner', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue the workers listen on', process.env['RECKON_QUEUE'] ?? 'reckon')
    .option('--concurrency <n>', 'tasks started at once when several are ready', '1')
    .action(async (f: RunFlags) => {
      if (f.runner !== 'local' && f.runner !== 'distributed') throw new InvalidArgumentError(`--runner: expected local or distributed, got "${f.runner}"`);
      const candidates = (f.candidate.length === 0 ? ['als'] : f.candidate).map(parseCandidate);
      const ctx = await openContext({ store: f.store, cache: f.cache, modelsDir: f.models });
      const factoryOptions: RetrainFactoryOptions = {
        store: f.store,
        cache: f.cache,
        models: f.models,
        workDir: f.workDir,
        candidates,
        metric: f.metric,
        tolerance: num('--tolerance', f.tolerance, 0, 1e9),
        holdout: num('--holdout', f.holdout, 0.01, 0.99),
        warmUsers: num('--warm-users', f.warmUsers, 0, 1e9),
      };
      const dag = retrainDag({ ...factoryOptions, store: ctx.store, registry: ctx.registry, service: ctx.service });
      const concurrency = num('--concurrency', f.concurrency, 1, 1024);
      // The distributed runner sends each task attempt to a worker, which rebuilds the same DAG from these options.
      const runPipelineWith = (d: Dag<RetrainParams>, o: RunOptions<RetrainParams>): Promise<RunResult> =>
        f.runner === 'distributed'
          ? runDistributed(d, { ...o, concurrency, redisUrl: f.redis, queue: f.queue, factory: RETRAIN_FACTORY, factoryOptions: { ...factoryOptions } })
          : runPipeline(d, { ...o, concurrency });
      const onTask = f.json === true ? undefined : (t: { task: string; status: string }) => process.stderr.write(`reckon pipeline: ${t.task} ${t.status}\n`);
      const base = { store: ctx.store, ...(f.force === true ? { force: true } : {}), ...(onTask === undefined ? {} : { onTask }) };
      try {
        if (f.backfill !== undefined) {
          const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(f.backfill);
          if (m === null) throw new InvalidArgumentError(`--backfill: expected YYYY-MM-DD..YYYY-MM-DD, got "${f.backfill}"`);
          const rs = await backfill(dag, m[1]!, m[2]!, { ...base, params: {} }, runPipelineWith);
          for (const r of rs) printRun(r, f.json === true);
          if (rs.some((r) => r.status !== 'succeeded')) process.exitCode = 1;
        } else if (f.schedule !== undefined) {
          const ac = new AbortController();
          process.once('SIGINT', () => ac.abort());
          process.once('SIGTERM', () => ac.abort());
          process.stderr.write(`reckon pipeline: scheduled "${f.schedule}" (UTC); Ctrl-C stops\n`);
          await new Promise<void>((resolve) => {
            schedule(f.schedule!, async (at) => printRun(await runPipelineWith(dag, { ...base, params: { until: at }, signal: ac.signal }), f.json === true), ac.signal);
            ac.signal.addEventListener('abort', () => resolve(), { once: true });
          });
        } else {
          const until = f.until === undefined ? Date.now() : Date.parse(f.until);
          if (!Number.isFinite(until)) throw new InvalidArgumentError(`--until: expected an ISO date, got "${f.until}"`);
          const r = await runPipelineWith(dag, { ...base, params: { until } });
          printRun(r, f.json === true);
          if (r.status !== 'succeeded') process.exitCode = 1;
        }
      } finally {
        await ctx.close();
      }
    });

  p.command('list')
    .description('Latest pipeline runs')
    .option(...storeOpt)
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'JSON output')
    .action(async (f: { store: string; limit: string; json?: boolean }) => {
      const store = await openStore(f.store);
      try {
        const runs = await store.listPipelineRuns(num('--limit', f.limit, 1, 1e6));
        if (f.json === true) return printJson(runs);
        const rows = runs.map((r) => [r.id, r.pipeline, r.status, new Date(r.startedAt).toISOString(), r.finishedAt === null ? '' : `${r.finishedAt - r.startedAt} ms`, String(r.data['reason'] ?? r.data['error'] ?? '')]);
        process.stdout.write(formatTable(['run', 'pipeline', 'status', 'started', 'time', 'note'], rows));
      } finally {
        await store.close();
      }
    });

  p.command('status <run>')
    .description('A run and its tasks')
    .option(...storeOpt)
    .option('--json', 'JSON output')
    .action(async (id: string, f: { store: string; json?: boolean }) => {
      const store = await openStore(f.store);
      try {
        const run = await store.getPipelineRun(id);
        if (run === undefined) throw new InvalidArgumentError(`pipeline run "${id}" not found (see reckon pipeline list)`);
        const tasks = await store.listPipelineTasks(id);
        if (f.json === true) return printJson({ run, tasks });
        process.stdout.write(`run ${run.id} (${run.pipeline}): ${run.status}\n${JSON.stringify({ ...run.data, params: undefined })}\n`);
        process.stdout.write(formatTable(['task', 'status', 'attempts', 'time', 'note'], tasks.map((t) => [t.task, t.status, t.attempts, t.finishedAt === null ? '' : `${t.finishedAt - t.startedAt} ms`, String(t.data['reason'] ?? t.data['error'] ?? '')])));
      } finally {
        await store.close();
      }
    });

  p.command('logs <run>')
    .description('Log lines of a run (all tasks or one)')
    .option(...storeOpt)
    .option('--task <name>', 'only this task')
    .option('--json', 'one JSON line per log line: {"task", "line"}')
    .action(async (id: string, f: { store: string; task?: string; json?: boolean }) => {
      const store = await openStore(f.store);
      try {
        const tasks = await store.listPipelineTasks(id);
        if (tasks.length === 0) throw new InvalidArgumentError(`pipeline run "${id}" has no task records (see reckon pipeline list)`);
        for (const t of tasks) {
          if (f.task !== undefined && t.task !== f.task) continue;
          for (const line of (t.data['logs'] as string[] | undefined) ?? []) process.stdout.write(f.json === true ? `${JSON.stringify({ task: t.task, line })}\n` : `[${t.task}] ${line}\n`);
        }
      } finally {
        await store.close();
      }
    });
}
