import { Frame, type Column, categoricalColumn, numericColumn } from '../../data/frame.js';
import type { TabularTask } from '../base.js';
import { createTabularModel, defaultPipeline } from '../registry.js';
import type { TabularInput } from '../schema.js';
import { crossValidate } from './cross-validate.js';
import type { Estimator } from './estimator.js';
import { splitsFromAssignment } from './splits.js';

/** A Frame or Matrix in a form structured clone can carry (typed arrays; shared memory stays shared). */
export type PortableInput =
  | { kind: 'matrix'; data: Float64Array | Float32Array; rows: number; cols: number }
  | { kind: 'frame'; columns: ({ kind: 'numeric'; name: string; values: Float64Array } | { kind: 'categorical'; name: string; codes: Int32Array; dictionary: string[] })[] };

export function toPortable(X: TabularInput): PortableInput {
  if (!(X instanceof Frame)) return { kind: 'matrix', data: X.data, rows: X.rows, cols: X.cols };
  return { kind: 'frame', columns: X.columns.map((c) => (c.kind === 'numeric' ? { kind: 'numeric', name: c.name, values: c.values } : { kind: 'categorical', name: c.name, codes: c.codes, dictionary: [...c.dictionary] })) };
}

export function fromPortable(p: PortableInput): TabularInput {
  if (p.kind === 'matrix') return { data: p.data, rows: p.rows, cols: p.cols };
  const cols: Column[] = p.columns.map((c) => (c.kind === 'numeric' ? numericColumn(c.name, c.values) : categoricalColumn(c.name, c.codes, c.dictionary)));
  return new Frame(cols);
}

/** A registry model, optionally behind the default preprocessing pipeline. */
export interface RegistrySpec {
  model: string;
  task: TabularTask;
  /** Wrap in `defaultPipeline` (needed for Frames with categorical columns). */
  pipeline: boolean;
}

export function buildEstimator(spec: RegistrySpec, X: TabularInput, params: Record<string, unknown>): Estimator {
  if (spec.pipeline && X instanceof Frame) return defaultPipeline(spec.model, spec.task, X, params) as unknown as Estimator;
  return createTabularModel(spec.model, spec.task, params) as unknown as Estimator;
}

/** Arguments of {@link scoreCandidates}. */
export interface SearchKernelArgs {
  spec: RegistrySpec;
  candidates: Record<string, unknown>[];
  X: PortableInput;
  y: Float64Array;
  folds: Int32Array;
  metric: string;
  seed: number;
}

/** Pool kernel: cross-validated score of candidates [start, end) (inner models single-threaded). */
export async function scoreCandidates(a: SearchKernelArgs, start: number, end: number): Promise<number[][]> {
  const X = fromPortable(a.X);
  const splits = splitsFromAssignment(a.folds);
  const out: number[][] = [];
  for (let c = start; c < end; c++) {
    const params = { ...a.candidates[c] };
    const est = buildEstimator(a.spec, X, withOneThread(a.spec, params));
    const r = await crossValidate(est, X, a.y, { cv: splits, metrics: [a.metric], seed: a.seed });
    out.push(r.metrics[a.metric].folds);
  }
  return out;
}

/** Inner models of a parallel search run on one thread each (the search itself is the parallel part). */
export function withOneThread(spec: RegistrySpec, params: Record<string, unknown>): Record<string, unknown> {
  return spec.model === 'forest' || spec.model === 'gbdt' ? { threads: 1, ...params } : params;
}
