import type { Artifact } from '../core/artifact.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { BaseModel, RatingPredictor, Recommender } from '../core/model.js';
import type { ParamSpecs } from '../core/params.js';

/** What a recommender algorithm is for: predicting ratings, or ranking items. */
export type AlgorithmTask = 'rating' | 'ranking';

/** A recommender model as the CLI, search and server see it. */
export type AnyRecommender = BaseModel<ParamSpecs> & Recommender & Partial<RatingPredictor>;

/** One registered algorithm: its CLI/HTTP name, what it does, its params, and how to make or load it. */
export interface AlgorithmEntry {
  name: string;
  task: AlgorithmTask;
  description: string;
  specs: ParamSpecs;
  create(params?: Record<string, unknown>): AnyRecommender;
  fromArtifact(artifact: Artifact): AnyRecommender;
}

const entries = new Map<string, AlgorithmEntry>();

/** Registers algorithms (each area's registry module calls this once at import). */
export function registerAlgorithms(list: readonly AlgorithmEntry[]): void {
  for (const e of list) {
    if (entries.has(e.name)) throw new InvalidArgumentError(`algorithm "${e.name}" registered twice`);
    entries.set(e.name, e);
  }
}

/** The entry for `name`, or a clear error listing the known names. */
export function getAlgorithm(name: string, task?: AlgorithmTask): AlgorithmEntry {
  const e = entries.get(name);
  if (e === undefined || (task !== undefined && e.task !== task)) {
    const known = listAlgorithms(task).map((a) => a.name);
    throw new InvalidArgumentError(`unknown algorithm "${name}"${task ? ` for task ${task}` : ''}; expected one of: ${known.join(', ')}`, { name, known });
  }
  return e;
}

/** All registered algorithms (optionally of one task), in registration order. */
export function listAlgorithms(task?: AlgorithmTask): AlgorithmEntry[] {
  return [...entries.values()].filter((e) => task === undefined || e.task === task);
}
