import { NotFittedError, SchemaError } from '../core/errors.js';
import { BaseModel, type FitOptions } from '../core/model.js';
import type { ParamSpecs } from '../core/params.js';
import type { Matrix } from './matrix.js';
import { type FeatureSchema, type TabularInput, checkTarget, encodeClasses, fitMatrix, predictMatrix } from './schema.js';

/** Classification (class probabilities) or regression (one real output). */
export type TabularTask = 'classification' | 'regression';

/** Options for a tabular fit: the common run options plus the target's name (for errors), weights and a validation set. */
export interface TabularFitOptions extends FitOptions {
  /** Name of the target column, used in error messages. */
  targetName?: string;
  /** Per-row weights (length n, >= 0). */
  sampleWeight?: Float64Array;
  /** A validation set for early stopping (gradient boosting). */
  evalSet?: { X: TabularInput; y: ArrayLike<number> };
  /**
   * Record what `learningCurve()` needs beyond what the fit computes anyway: GBDT's training loss per round (one
   * loss pass over the training rows per round, about 7% of a binary fit's CPU time on 50 000 x 10). Default off.
   */
  learningCurve?: boolean;
}

/** A labelled data set: features and one target value per row. */
export interface LabelledData {
  X: TabularInput;
  y: ArrayLike<number>;
}

/**
 * How a model's fit went, step by step: loss or error after each boosting round, solver iteration or tree added.
 * `steps` are 1-based counts of the unit; every series in `metrics` has one value per step (a series may be shorter
 * when it was only available for some steps, e.g. a held-out loss of rounds kept after early stopping).
 */
export interface TabularLearningCurve {
  /** What `steps` count: "boosting round", "iteration" or "trees". */
  unit: string;
  steps: number[];
  /** Series name (e.g. "train logloss", "held-out logloss", "objective") -> values. */
  metrics: Record<string, number[]>;
}

/** The persisted part every tabular model shares: feature schema and classes. */
export interface TabularBaseState {
  schema: FeatureSchema;
  classes: number[];
}

/**
 * Base of every tabular model. Subclasses implement `fitMatrix` (X already a Float64/32 matrix, y checked, class
 * indices encoded for classifiers) and `predictMatrix` (n x k class probabilities for classifiers, n outputs for
 * regressors); this class converts inputs, checks schemas, and derives `predict` from the probabilities.
 */
export abstract class TabularModel<S extends ParamSpecs> extends BaseModel<S> {
  abstract readonly task: TabularTask;
  protected schema: FeatureSchema | undefined;
  /** Sorted class values (classifiers, after fit). */
  classes: number[] = [];

  /** Names of the features seen at fit. */
  get featureNames(): string[] {
    if (this.schema === undefined) throw new NotFittedError(this.algorithm);
    return [...this.schema.names];
  }

  /** The fit-time feature schema (for pipelines and artifacts). */
  get featureSchema(): FeatureSchema {
    if (this.schema === undefined) throw new NotFittedError(this.algorithm);
    return this.schema;
  }

  /** Fits on X (n rows) and y (n labels or values), or on a `{ X, y }` data set. Returns this. */
  fit(X: TabularInput, y: ArrayLike<number>, opts?: TabularFitOptions): Promise<this>;
  fit(data: LabelledData, opts?: TabularFitOptions): Promise<this>;
  async fit(a: TabularInput | LabelledData, b?: ArrayLike<number> | TabularFitOptions, c?: TabularFitOptions): Promise<this> {
    let X: TabularInput;
    let y: ArrayLike<number>;
    let opts: TabularFitOptions;
    if ('X' in a && 'y' in a) {
      X = a.X;
      y = a.y;
      opts = (b as TabularFitOptions | undefined) ?? {};
    } else {
      X = a;
      y = b as ArrayLike<number>;
      opts = c ?? {};
    }
    const who = this.algorithm;
    const { m, schema } = fitMatrix(X, who);
    const yy = checkTarget(y, m.rows, who, opts.targetName);
    let yIndex: Int32Array | undefined;
    if (this.task === 'classification') {
      const enc = encodeClasses(yy, who, opts.targetName);
      this.classes = enc.classes;
      yIndex = enc.index;
    }
    if (opts.sampleWeight !== undefined && opts.sampleWeight.length !== m.rows) {
      throw new SchemaError(`${who}: sampleWeight has ${opts.sampleWeight.length} entries, expected ${m.rows}`);
    }
    this.schema = schema;
    await this.fitMatrix(m, yy, yIndex, opts);
    this.fitted = true;
    return this;
  }

  /** Converts predict-time input to the fit-time layout (errors name extra, missing or retyped columns). */
  protected toMatrix(X: TabularInput): Matrix {
    this.requireFitted();
    return predictMatrix(X, this.schema as FeatureSchema, this.algorithm);
  }

  /** Class probabilities, row-major n x k over `classes` (classifiers only). */
  predictProba(X: TabularInput): Float64Array {
    if (this.task !== 'classification') throw new SchemaError(`${this.algorithm} is a regressor: use predict()`);
    return this.predictMatrix(this.toMatrix(X));
  }

  /** Predicted class values (classifiers: most probable class) or outputs (regressors). */
  predict(X: TabularInput): Float64Array {
    const out = this.predictMatrix(this.toMatrix(X));
    if (this.task === 'regression') return out;
    const k = this.classes.length;
    const n = out.length / k;
    const pred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + best]) best = c;
      pred[i] = this.classes[best];
    }
    return pred;
  }

  /** Training on a checked matrix. `yIndex` holds class indices for classifiers. */
  protected abstract fitMatrix(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, opts: TabularFitOptions): Promise<void>;
  /** n x k probabilities (classifiers) or n outputs (regressors). */
  protected abstract predictMatrix(m: Matrix): Float64Array;

  protected baseState(): TabularBaseState {
    this.requireFitted();
    return { schema: this.schema as FeatureSchema, classes: [...this.classes] };
  }

  protected restoreBase(state: TabularBaseState): void {
    this.schema = state.schema;
    this.classes = [...state.classes];
    this.fitted = true;
  }
}
