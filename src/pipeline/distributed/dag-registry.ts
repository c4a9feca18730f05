import { InvalidArgumentError } from '../../core/errors.js';
import '../../recommenders/index.js';
import { openContext } from '../../serve/server.js';
import type { Dag } from '../dag.js';
import { stableJson } from '../hash.js';
import { type Candidate, retrainDag } from '../retrain.js';

/** Any DAG, as the registry holds it (params are JSON). */
export type AnyDag = Dag<Record<string, unknown>>;

/**
 * Builds a DAG from JSON options. The coordinator and every worker call the same factory with the same options, so
 * both sides hold the same task list (names, deps, retries, timeouts, cache keys) and a worker can run any task by name.
 */
export type DagFactory = (options: Record<string, unknown>) => Promise<AnyDag>;

const factories = new Map<string, DagFactory>();
const built = new Map<string, Promise<AnyDag>>();

/** Registers `factory` under `name` (a later registration replaces an earlier one). */
export function registerDagFactory(name: string, factory: DagFactory): void {
  factories.set(name, factory);
  for (const k of [...built.keys()]) if (k.startsWith(`${name}\u0000`)) built.delete(k);
}

/** Names of the registered DAG factories. */
export function dagFactoryNames(): string[] {
  return [...factories.keys()].sort();
}

/**
 * The DAG of factory `name` for `options`, built once per (name, options) in this process and then reused (a worker
 * keeps e.g. the store connection of the retraining DAG open between tasks).
 */
export function resolveDag(name: string, options: Record<string, unknown>): Promise<AnyDag> {
  const f = factories.get(name);
  if (f === undefined) throw new InvalidArgumentError(`distributed pipeline: unknown DAG factory "${name}" (registered: ${dagFactoryNames().join(', ') || 'none'}); load its module in the worker with --dag-module`);
  const key = `${name}\u0000${stableJson(options)}`;
  let d = built.get(key);
  if (d === undefined) {
    d = f(options);
    built.set(key, d);
    d.catch(() => built.delete(key));
  }
  return d;
}

/** JSON options of the built-in "retrain" factory (the flags of `reckon pipeline run`). */
export interface RetrainFactoryOptions {
  store: string;
  cache: string;
  models: string;
  /** Must be a folder every worker sees (shared filesystem) when workers run on several hosts. */
  workDir: string;
  candidates: Candidate[];
  metric: string;
  tolerance: number;
  holdout: number;
  warmUsers: number;
}

/** Name of the built-in standard retraining DAG factory. */
export const RETRAIN_FACTORY = 'retrain';

registerDagFactory(RETRAIN_FACTORY, async (o) => {
  const opts = o as unknown as RetrainFactoryOptions;
  const ctx = await openContext({ store: opts.store, cache: opts.cache, modelsDir: opts.models });
  const dag = retrainDag({
    store: ctx.store,
    registry: ctx.registry,
    service: ctx.service,
    workDir: opts.workDir,
    candidates: opts.candidates,
    metric: opts.metric,
    tolerance: opts.tolerance,
    holdout: opts.holdout,
    warmUsers: opts.warmUsers,
  });
  return dag as unknown as AnyDag;
});
