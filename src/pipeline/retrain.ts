import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadArtifact, saveArtifact } from '../core/artifact.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Interactions } from '../data/interactions.js';
import { timeCutoff } from '../data/splits.js';
import { evaluateRanking, type RankingEvaluable } from '../eval/ranking-eval.js';
import { type ParamGrid, expandGrid } from '../eval/search.js';
import { getAlgorithm } from '../recommenders/registry.js';
import type { ModelRegistry } from '../serve/registry.js';
import type { RecommendService } from '../serve/service.js';
import type { Store } from '../serve/store/store.js';
import type { Dag, TaskSpec } from './dag.js';
import { type AggregateOptions, aggregateEventLog, readAggregated } from './out-of-core.js';
import { buildInteractions, extractEvents, holdoutCutoff, writeEvents } from './retrain-data.js';

/** One candidate model: a registered ranking algorithm and its params. */
export interface Candidate {
  algorithm: string;
  params?: Record<string, unknown>;
  /** Hyper-parameter grid: one train task per point (merged over `params`), all judged on the same holdout. */
  grid?: ParamGrid;
}

/** Candidates with their grids expanded into one candidate per grid point. */
export function expandCandidates(cs: readonly Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of cs) {
    if (c.grid === undefined || Object.keys(c.grid).length === 0) out.push({ algorithm: c.algorithm, params: c.params ?? {} });
    else for (const p of expandGrid(c.grid)) out.push({ algorithm: c.algorithm, params: { ...(c.params ?? {}), ...p } });
  }
  return out;
}

/** What the standard retraining DAG works with. Services are objects of this process (the local runner). */
export interface RetrainEnv {
  store: Store;
  registry: ModelRegistry;
  /** When given, the cache is warmed through it after a promotion. */
  service?: RecommendService;
  /**
   * Read events from a partitioned Parquet/CSV log through DuckDB (out of core) instead of the store: `extract`
   * aggregates it (weights, decay, k-core, bounded memory) and `build` reads the result as CSR.
   */
  eventLog?: Omit<AggregateOptions, 'outDir' | 'until'>;
  /** Folder for the run's intermediate files (events, candidate artifacts). */
  workDir: string;
  candidates: readonly Candidate[];
  /** Registry slot to publish to (default "recommender"). */
  slot?: string;
  /** Primary metric (default "ndcg@10"); k is read from its "@k" suffix. */
  metric?: string;
  /** Promote when candidate >= active - tolerance (default 0). */
  tolerance?: number;
  /** Fraction of the latest pairs held out for evaluation (default 0.2). */
  holdout?: number;
  /** Users whose lists are pre-computed into the cache after a promotion (default 100, most active first). */
  warmUsers?: number;
  seed?: number;
}

/** Params of one retraining run (JSON; part of the run record). */
export interface RetrainParams extends Record<string, unknown> {
  /** Events with timestamp < until are used (epoch ms; default: the run's start time). */
  until?: number;
}

/** The gate's decision, as recorded in the run. */
export interface GateDecision {
  promote: boolean;
  reason: string;
  candidate: string | null;
  metric: number | null;
  activeMetric: number | null;
  activeVersion: string | null;
}

const memo = new Map<string, Interactions>();

async function loadBuilt(path: string): Promise<Interactions> {
  let d = memo.get(path);
  if (d === undefined) {
    d = path.endsWith('.json') ? (await buildInteractions(path)).data : await readAggregated(path);
    memo.clear();
    memo.set(path, d);
  }
  return d;
}

function metricK(metric: string): number {
  const m = /@(\d+)$/.exec(metric);
  if (m === null) throw new InvalidArgumentError(`retrain: metric must end in @K (e.g. ndcg@10), got "${metric}"`);
  return Number(m[1]);
}

/**
 * The standard retraining DAG (tasks in order): `extract` events up to `until` (and how many arrived since the last
 * run) -> `build` the cleaned interaction matrix and its time-based holdout cutoff -> `train:<algo>#<n>` one task per
 * candidate (grids expanded: the hyper-parameter search), fitted on the part before the cutoff -> `evaluate` every candidate on the held-out part -> `gate`: the
 * best candidate is promoted only if its primary metric >= the active version's recorded metric - tolerance ->
 * `publish`: the promoted candidate is refitted on all data and published + activated in the registry (a hot swap in
 * the serving process) -> `warm`: the most active users' lists are computed into the cache. A refused or failed run
 * leaves the active version serving; the gate output says why.
 */
export function retrainDag(env: RetrainEnv): Dag<RetrainParams> {
  if (env.candidates.length === 0) throw new InvalidArgumentError('retrain: at least one candidate model is needed');
  const slot = env.slot ?? 'recommender';
  const metric = env.metric ?? 'ndcg@10';
  const k = metricK(metric);
  const tolerance = env.tolerance ?? 0;
  const holdout = env.holdout ?? 0.2;
  const seed = env.seed ?? 42;
  const candidates = expandCandidates(env.candidates);
  const trainNames = candidates.map((c, n) => `train:${c.algorithm}#${n}`);
  for (const c of candidates) getAlgorithm(c.algorithm, 'ranking');

  const extract: TaskSpec<RetrainParams> = {
    name: 'extract',
    cacheKey: ['until'],
    attempts: 3,
    backoffMs: 500,
    run: async (ctx) => {
      const until = typeof ctx.params.until === 'number' ? ctx.params.until : Date.now();
      if (env.eventLog !== undefined) {
        const outDir = join(env.workDir, 'aggregated', `until-${until}`);
        const rep = await aggregateEventLog({ ...env.eventLog, outDir, until });
        ctx.log(`aggregated the event log before ${new Date(until).toISOString()} into ${rep.pairs} pairs (${rep.users} users x ${rep.items} items) with DuckDB`);
        ctx.metric('pairs', rep.pairs);
        return { path: outDir, until, since: null, events: null, newEvents: null };
      }
      const last = (await env.store.listPipelineRuns(20, 'retrain')).find((r) => r.status === 'succeeded' && r.id !== ctx.runId);
      const since = typeof last?.data['until'] === 'number' ? (last.data['until'] as number) : 0;
      const ev = await extractEvents(env.store, until);
      let fresh = 0;
      for (const t of ev.ts) if (t >= since) fresh++;
      const dir = join(env.workDir, 'events');
      await mkdir(dir, { recursive: true });
      const path = await writeEvents(dir, `events-${until}.json`, ev);
      ctx.log(`extracted ${ev.ts.length} events before ${new Date(until).toISOString()}, ${fresh} since the last run`);
      ctx.metric('events', ev.ts.length);
      ctx.metric('newEvents', fresh);
      return { path, until, since, events: ev.ts.length, newEvents: fresh };
    },
  };

  const build: TaskSpec<RetrainParams> = {
    name: 'build',
    deps: ['extract'],
    run: async (ctx) => {
      const { path } = ctx.inputs['extract'] as { path: string };
      const { data, report } = path.endsWith('.json') ? await buildInteractions(path) : { data: await readAggregated(path), report: { kept: 0, droppedInvalid: 0 } };
      memo.clear();
      memo.set(path, data);
      const cutoff = holdoutCutoff(data, holdout);
      ctx.log(`${data.nUsers} users x ${data.nItems} items, ${data.nnz} pairs; ${report.droppedInvalid} invalid events dropped`);
      ctx.metric('pairs', data.nnz);
      if (data.nnz === 0) throw new InvalidArgumentError('retrain: no valid events to train on');
      return { path, cutoff, users: data.nUsers, items: data.nItems, pairs: data.nnz };
    },
  };

  const trains: TaskSpec<RetrainParams>[] = candidates.map((c, n) => ({
    name: trainNames[n]!,
    deps: ['build'],
    cacheKey: [],
    cacheSalt: { params: c.params ?? {}, seed },
    run: async (ctx) => {
      const b = ctx.inputs['build'] as { path: string; cutoff: number };
      const { train } = timeCutoff(await loadBuilt(b.path), { cutoff: b.cutoff });
      const model = getAlgorithm(c.algorithm, 'ranking').create(c.params ?? {});
      await model.fit(train, { seed, signal: ctx.signal });
      const dir = join(env.workDir, 'candidates', ctx.runId, `${n}`);
      await saveArtifact(dir, model.toArtifact());
      ctx.log(`trained ${c.algorithm} on ${train.nnz} pairs before the cutoff`);
      return { algorithm: c.algorithm, params: c.params ?? {}, path: dir };
    },
  }));

  const evaluate: TaskSpec<RetrainParams> = {
    name: 'evaluate',
    deps: ['build', ...trainNames],
    cacheKey: [],
    run: async (ctx) => {
      const b = ctx.inputs['build'] as { path: string; cutoff: number };
      const { train, test } = timeCutoff(await loadBuilt(b.path), { cutoff: b.cutoff });
      const results: { name: string; algorithm: string; params: Record<string, unknown>; path: string; metrics: Record<string, number> }[] = [];
      for (const name of trainNames) {
        const c = ctx.inputs[name] as { algorithm: string; params: Record<string, unknown>; path: string };
        const model = getAlgorithm(c.algorithm).fromArtifact(await loadArtifact(c.path)) as unknown as RankingEvaluable;
        const report = evaluateRanking(model, train, test, { k, diversity: false });
        ctx.log(`${name}: ${metric} = ${report[metric]?.toFixed(5)} over ${report['users']} users`);
        ctx.metric(`${name}.${metric}`, report[metric] ?? NaN);
        results.push({ name, ...c, metrics: report });
      }
      return results;
    },
  };

  const gate: TaskSpec<RetrainParams> = {
    name: 'gate',
    deps: ['evaluate'],
    cacheKey: false,
    run: async (ctx) => {
      const results = ctx.inputs['evaluate'] as { name: string; metrics: Record<string, number> }[];
      let best = results[0]!;
      for (const r of results) if ((r.metrics[metric] ?? -Infinity) > (best.metrics[metric] ?? -Infinity)) best = r;
      const m = best.metrics[metric] ?? NaN;
      const active = env.registry.activeModel(slot);
      const activeMetric = active?.info.metrics[metric];
      let d: GateDecision;
      if (!Number.isFinite(m)) {
        d = { promote: false, reason: `best candidate ${best.name} has no finite ${metric}`, candidate: best.name, metric: null, activeMetric: activeMetric ?? null, activeVersion: active?.info.version ?? null };
      } else if (active === undefined || activeMetric === undefined) {
        d = { promote: true, reason: active === undefined ? 'no active model' : `active ${active.info.version} has no recorded ${metric}`, candidate: best.name, metric: m, activeMetric: null, activeVersion: active?.info.version ?? null };
      } else if (m >= activeMetric - tolerance) {
        d = { promote: true, reason: `${metric} ${m.toFixed(5)} >= active ${active.info.version} ${activeMetric.toFixed(5)} - tolerance ${tolerance}`, candidate: best.name, metric: m, activeMetric, activeVersion: active.info.version };
      } else {
        d = { promote: false, reason: `${metric} ${m.toFixed(5)} < active ${active.info.version} ${activeMetric.toFixed(5)} - tolerance ${tolerance}; keeping ${active.info.version}`, candidate: best.name, metric: m, activeMetric, activeVersion: active.info.version };
      }
      ctx.log(`gate: ${d.promote ? 'promote' : 'refuse'} (${d.reason})`);
      return d;
    },
  };

  const publish: TaskSpec<RetrainParams> = {
    name: 'publish',
    deps: ['gate', 'evaluate', 'build'],
    cacheKey: false,
    run: async (ctx) => {
      const d = ctx.inputs['gate'] as GateDecision;
      if (!d.promote) return { published: null, reason: d.reason };
      const c = (ctx.inputs['evaluate'] as { name: string; algorithm: string; params: Record<string, unknown>; metrics: Record<string, number> }[]).find((r) => r.name === d.candidate)!;
      const b = ctx.inputs['build'] as { path: string; cutoff: number };
      const model = getAlgorithm(c.algorithm, 'ranking').create(c.params);
      await model.fit(await loadBuilt(b.path), { seed, signal: ctx.signal });
      // Keyed by the run: a retried attempt (e.g. after a worker died mid-publish) returns the version already published.
      const info = await env.registry.publish(slot, model.toArtifact(), { activate: true, metrics: { [metric]: d.metric ?? NaN }, key: `retrain:${ctx.runId}` });
      ctx.log(`published and activated ${info.version} (${c.algorithm})`);
      return { published: info.version, reason: d.reason };
    },
  };

  const warm: TaskSpec<RetrainParams> = {
    name: 'warm',
    deps: ['publish', 'build'],
    cacheKey: false,
    run: async (ctx) => {
      const p = ctx.inputs['publish'] as { published: string | null };
      if (p.published === null || env.service === undefined) return { warmed: 0 };
      const data = await loadBuilt((ctx.inputs['build'] as { path: string }).path);
      const n = Math.min(env.warmUsers ?? 100, data.nUsers);
      const order = Array.from({ length: data.nUsers }, (_, u) => u).sort((a, b) => data.rowLength(b) - data.rowLength(a) || a - b);
      for (let r = 0; r < n; r++) {
        if (ctx.signal.aborted) break;
        await env.service.recommend(data.users.idAt(order[r]!), { k, offset: 0, excludeSeen: true, slot });
      }
      ctx.metric('warmedUsers', n);
      return { warmed: n };
    },
  };

  const summary = (outputs: Record<string, unknown>): Record<string, unknown> => {
    const ex = outputs['extract'] as { until?: number; newEvents?: number } | undefined;
    const g = outputs['gate'] as GateDecision | undefined;
    const p = outputs['publish'] as { published: string | null } | undefined;
    return {
      ...(ex?.until === undefined ? {} : { until: ex.until, newEvents: ex.newEvents }),
      ...(g === undefined ? {} : { decision: g.promote ? 'promoted' : 'refused', reason: g.reason, candidateMetric: g.metric, activeMetric: g.activeMetric }),
      published: p?.published ?? null,
      active: env.registry.activeModel(slot)?.info.version ?? null,
    };
  };
  return { name: 'retrain', tasks: [extract, build, ...trains, evaluate, gate, publish, warm], summary };
}
