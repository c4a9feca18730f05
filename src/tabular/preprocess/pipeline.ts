import type { Artifact } from '../../core/artifact.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamSpecs } from '../../core/params.js';
import { Frame, numericColumn } from '../../data/frame.js';
import type { LabelledData, TabularLearningCurve, TabularModel, TabularFitOptions, TabularTask } from '../base.js';
import { type Matrix, isMatrix } from '../matrix.js';
import type { TabularInput } from '../schema.js';
import { transformerFromJSON } from './column-transformer.js';
import type { Transformer, TransformerState } from './transformer.js';

/** Any tabular model (the pipeline's last step). */
export type AnyTabularModel = TabularModel<ParamSpecs>;

/** A Matrix as a Frame with columns x0, x1, ... */
export function matrixToFrame(m: Matrix): Frame {
  const cols = [];
  for (let j = 0; j < m.cols; j++) {
    const v = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) v[i] = m.data[i * m.cols + j];
    cols.push(numericColumn(`x${j}`, v));
  }
  return new Frame(cols);
}

function asFrame(X: TabularInput): Frame {
  return isMatrix(X) ? matrixToFrame(X) : X;
}

/**
 * Transformers followed by a model, itself a model (scikit-learn's Pipeline): `fit` fits each transformer on the
 * output of the previous one (fitTransform, so target encoding is out of fold) and then the model; `predict` and
 * `predictProba` transform and predict. Params are the model's; the artifact holds the transformers' JSON state and
 * the model's tensors.
 */
export class Pipeline {
  readonly algorithm: string;
  constructor(
    readonly steps: Transformer[],
    readonly model: AnyTabularModel,
  ) {
    this.algorithm = model.algorithm;
  }

  get task(): TabularTask {
    return this.model.task;
  }

  get classes(): number[] {
    return this.model.classes;
  }

  get isFitted(): boolean {
    return this.model.isFitted;
  }

  get params(): Record<string, unknown> {
    return this.model.getParams();
  }

  getParams(): Record<string, unknown> {
    return this.model.getParams();
  }

  /** An unfitted copy with `patch` applied to the model's params (transformers re-created from their options). */
  withParams(patch: Record<string, unknown>): Pipeline {
    return new Pipeline(
      this.steps.map((s) => transformerFromJSON({ ...s.toJSON() })),
      this.model.withParams(patch as never),
    );
  }

  /** Applies the fitted transformers. */
  transform(X: TabularInput): Frame {
    let f = asFrame(X);
    for (const s of this.steps) f = s.transform(f);
    return f;
  }

  async fit(X: TabularInput, y: ArrayLike<number>, opts: TabularFitOptions & FitOptions = {}): Promise<this> {
    let f = asFrame(X);
    const yy = Float64Array.from(y);
    for (const s of this.steps) f = s.fitTransform(f, yy);
    const o: TabularFitOptions = { ...opts };
    if (opts.evalSet !== undefined) o.evalSet = { X: this.transform(opts.evalSet.X), y: opts.evalSet.y };
    await this.model.fit(f, yy, o);
    return this;
  }

  predict(X: TabularInput): Float64Array {
    return this.model.predict(this.transform(X));
  }

  predictProba(X: TabularInput): Float64Array {
    return this.model.predictProba(this.transform(X));
  }

  /**
   * The model's learning curve (see the models' `learningCurve`), with `heldOut` passed through the fitted
   * transformers; undefined when the model has none.
   */
  learningCurve(heldOut?: LabelledData): TabularLearningCurve | undefined {
    const model = this.model as AnyTabularModel & { learningCurve?: (h?: LabelledData) => TabularLearningCurve | undefined };
    if (typeof model.learningCurve !== 'function') return undefined;
    return model.learningCurve(heldOut === undefined ? undefined : { X: this.transform(heldOut.X), y: heldOut.y });
  }

  toArtifact(): Artifact {
    const inner = this.model.toArtifact();
    const tensors: Artifact['tensors'] = {};
    for (const [k, v] of Object.entries(inner.tensors)) tensors[`model.${k}`] = v;
    return {
      meta: {
        algorithm: 'pipeline',
        params: inner.meta.params,
        state: { steps: this.steps.map((s) => s.toJSON()), model: { algorithm: inner.meta.algorithm, params: inner.meta.params, state: inner.meta.state ?? {} } },
      },
      tensors,
    };
  }

  /** Rebuilds a pipeline; `loadModel` turns the inner model's artifact back into a model (see the registry). */
  static fromArtifact(a: Artifact, loadModel: (inner: Artifact) => AnyTabularModel): Pipeline {
    const st = a.meta.state as { steps: TransformerState[]; model: { algorithm: string; params: Record<string, unknown>; state: Record<string, unknown> } };
    const tensors: Artifact['tensors'] = {};
    for (const [k, v] of Object.entries(a.tensors)) if (k.startsWith('model.')) tensors[k.slice(6)] = v;
    const model = loadModel({ meta: { algorithm: st.model.algorithm, params: st.model.params, state: st.model.state }, tensors });
    return new Pipeline(st.steps.map(transformerFromJSON), model);
  }
}
