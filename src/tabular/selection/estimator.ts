import type { FitOptions } from '../../core/model.js';
import type { Frame } from '../../data/frame.js';
import type { LabelledData, TabularFitOptions, TabularLearningCurve, TabularTask } from '../base.js';
import { type Matrix, isMatrix, takeRows } from '../matrix.js';
import type { TabularInput } from '../schema.js';

/** What model selection needs of a model or pipeline. */
export interface Estimator {
  readonly task: TabularTask;
  readonly classes: number[];
  fit(X: TabularInput, y: ArrayLike<number>, opts?: TabularFitOptions & FitOptions): Promise<unknown>;
  predict(X: TabularInput): Float64Array;
  predictProba(X: TabularInput): Float64Array;
  getParams(): Record<string, unknown>;
  withParams(patch: never): Estimator;
  /** Loss or error per boosting round / solver iteration / tree after fit (models that have one; see the models). */
  learningCurve?(heldOut?: LabelledData): TabularLearningCurve | undefined;
}

/** Rows `idx` of a Matrix or Frame. */
export function takeInput(X: TabularInput, idx: Int32Array): TabularInput {
  return isMatrix(X) ? takeRows(X as Matrix, idx) : (X as Frame).take(idx);
}

/** An unfitted copy of `e` with `patch` applied. */
export function withParams(e: Estimator, patch: Record<string, unknown>): Estimator {
  return e.withParams(patch as never);
}
