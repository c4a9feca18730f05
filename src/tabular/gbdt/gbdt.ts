import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { SchemaError } from '../../core/errors.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { type LabelledData, TabularModel, type TabularBaseState, type TabularFitOptions, type TabularLearningCurve } from '../base.js';
import { rowWeights } from '../linear/common.js';
import type { Matrix } from '../matrix.js';
import { predictMatrix } from '../schema.js';
import { leafIndices, treesFromTensors, treesToTensors } from '../tree/tree.js';
import { type Booster, type BoostParams, boosterMargin, gainImportance, trainBooster } from './booster.js';
import { preloadEnsemblePredict } from '../tree/ensemble-predict.js';
import { type ObjectiveName, makeObjective } from './objectives.js';
import { parallelHistograms } from './parallel.js';
import { treeShapContributions } from './shap.js';

const COMMON = {
  nEstimators: { type: 'integer', default: 100, min: 1, doc: 'boosting rounds (trees per output)' },
  learningRate: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'shrinkage applied to every leaf value' },
  maxDepth: { type: 'integer', default: 6, min: 0, doc: 'depth limit (0 = none; then set maxLeaves)' },
  maxLeaves: { type: 'integer', default: 0, min: 0, doc: 'leaf limit per tree (0 = none)' },
  growPolicy: { type: 'string', default: 'depthwise', choices: ['depthwise', 'lossguide'], doc: 'level by level (XGBoost) or best leaf first (LightGBM)' },
  l2Regularization: { type: 'number', default: 1, min: 0, doc: 'L2 on leaf weights (XGBoost lambda)' },
  l1Regularization: { type: 'number', default: 0, min: 0, doc: 'L1 on leaf weights (XGBoost alpha)' },
  minSplitGain: { type: 'number', default: 0, min: 0, doc: 'minimum loss reduction to split (XGBoost gamma)' },
  minChildWeight: { type: 'number', default: 1, min: 0, doc: 'minimum hessian sum in a child' },
  subsample: { type: 'number', default: 1, min: 0, exclusiveMin: true, max: 1, doc: 'fraction of rows per round' },
  colsampleBytree: { type: 'number', default: 1, min: 0, exclusiveMin: true, max: 1, doc: 'fraction of features per tree' },
  maxBins: { type: 'integer', default: 255, min: 2, max: 255, doc: 'value bins per feature (missing values get their own bin)' },
  earlyStoppingRounds: { type: 'integer', default: 0, min: 0, doc: 'stop when the validation loss has not improved for this many rounds (0 = off; needs evalSet or validationFraction)' },
  validationFraction: { type: 'number', default: 0, min: 0, max: 0.9, doc: 'hold out this fraction of the training rows as the validation set when no evalSet is given' },
  quantizedGradients: {
    type: 'string',
    default: 'auto',
    choices: ['auto', 'on', 'off'],
    doc: 'choose splits on per-tree quantised gradients packed one float64 per row, leaf values exact ("auto": from 20,000 training rows; the exact path beyond ~8.9M rows)',
  },
  threads: { type: 'integer', default: 0, min: 0, doc: 'histogram worker threads (0 = the shared pool size, 1 = this thread only)' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'seed for binning samples, row and column subsampling' },
} as const;

export const GBDT_CLASSIFIER_SPECS = {
  ...COMMON,
  classWeight: { type: 'string', default: 'none', choices: ['none', 'balanced'], doc: '"balanced" weights class c by n / (k * n_c)' },
} as const satisfies ParamSpecs;

export const GBDT_REGRESSOR_SPECS = {
  ...COMMON,
  objective: { type: 'string', default: 'squared', choices: ['squared', 'poisson'], doc: 'squared error, or Poisson (log link) for counts' },
} as const satisfies ParamSpecs;

type CommonParams = ParamsOf<typeof COMMON>;

/** Training rows from which `quantizedGradients: "auto"` quantises (below, histogram passes are cheap anyway). */
export const QUANTIZE_FROM_ROWS = 20_000;

function boostParams(p: CommonParams, seed: number, rows: number): BoostParams {
  return {
    nEstimators: p.nEstimators,
    learningRate: p.learningRate,
    maxDepth: p.maxDepth,
    maxLeaves: p.maxLeaves,
    growPolicy: p.growPolicy,
    lambda: p.l2Regularization,
    alpha: p.l1Regularization,
    gamma: p.minSplitGain,
    minChildWeight: p.minChildWeight,
    subsample: p.subsample,
    colsampleBytree: p.colsampleBytree,
    maxBins: p.maxBins,
    earlyStoppingRounds: p.earlyStoppingRounds,
    seed,
    quantized: p.quantizedGradients === 'on' || (p.quantizedGradients === 'auto' && rows >= QUANTIZE_FROM_ROWS),
  };
}

/** Shared fit/predict/artifact logic of the two boosting models. */
abstract class GbdtBase<S extends ParamSpecs> extends TabularModel<S> {
  protected booster: Booster | undefined;
  protected objectiveName: ObjectiveName = 'squared';

  protected async boost(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, w: Float64Array, opts: TabularFitOptions): Promise<void> {
    const p = this.params as unknown as CommonParams;
    if (p.maxDepth === 0 && p.maxLeaves === 0) throw new SchemaError(`${this.algorithm}: set maxDepth or maxLeaves (both are 0, trees would be unbounded)`);
    const k = this.classes.length;
    const obj = makeObjective(this.objectiveName, k);
    let evalSet: { m: Matrix; y: Float64Array; yIndex: Int32Array | undefined } | undefined;
    let trainM = m;
    let trainY = y;
    let trainYi = yIndex;
    let trainW = w;
    if (opts.evalSet !== undefined) {
      const em = predictMatrix(opts.evalSet.X, this.schema as NonNullable<typeof this.schema>, this.algorithm);
      const ey = Float64Array.from(opts.evalSet.y);
      let eyi: Int32Array | undefined;
      if (this.task === 'classification') {
        eyi = new Int32Array(ey.length);
        for (let i = 0; i < ey.length; i++) {
          const c = this.classes.indexOf(ey[i]);
          if (c < 0) throw new SchemaError(`${this.algorithm}: evalSet has class ${ey[i]} not present in training`);
          eyi[i] = c;
        }
      }
      evalSet = { m: em, y: ey, yIndex: eyi };
    } else if (p.validationFraction > 0) {
      const { holdout } = await import('./holdout.js');
      const h = holdout(m, y, yIndex, w, p.validationFraction, opts.seed ?? p.seed);
      trainM = h.train.m;
      trainY = h.train.y;
      trainYi = h.train.yIndex;
      trainW = h.train.w;
      evalSet = h.valid;
    }
    const pool = await parallelHistograms(p.threads, trainM.rows, trainM.cols);
    this.booster = await trainBooster(trainM, trainY, trainYi, trainW, obj, boostParams(p, opts.seed ?? p.seed, trainM.rows), {
      ...(pool ? { hist: pool.builder, allocHist: pool.allocHist, allocBins: pool.allocBins, allocGh: pool.allocGh, allocRows: pool.allocRows, bin: pool.bin, pool: pool.pool, threads: pool.size } : {}),
      ...(evalSet ? { eval: evalSet } : {}),
      onProgress: opts.onProgress,
      signal: opts.signal,
      recordTrainLoss: opts.learningCurve === true,
    });
    // The fit's workers load the prediction kernel while idle (not when the fit ran on this thread only).
    if (pool) preloadEnsemblePredict(p.threads);
  }

  /** Raw margins n x nOut (row blocks shared with the pool's workers when `threads` allows and the batch is large). */
  protected margins(m: Matrix): Float64Array {
    return boosterMargin(this.booster as Booster, m, this.params.threads as number);
  }

  /** Number of boosting rounds kept (after early stopping). */
  get rounds(): number {
    this.requireFitted();
    return (this.booster as Booster).bestRounds;
  }

  /** Validation loss per round (empty without a validation set). */
  get evalHistory(): number[] {
    this.requireFitted();
    return [...(this.booster as Booster).evalHistory];
  }

  /** Training loss per round grown (on the rows the trees were fit on), when fit with `learningCurve: true`; else empty. */
  get trainHistory(): number[] {
    this.requireFitted();
    return [...(this.booster as Booster).trainHistory];
  }

  /** Name of the objective's loss: "logloss", "rmse" or "poisson deviance". */
  get lossName(): string {
    return this.objectiveName === 'binary' || this.objectiveName === 'softmax' ? 'logloss' : this.objectiveName === 'squared' ? 'rmse' : 'poisson deviance';
  }

  /**
   * The objective's loss on (X, y) after each kept round (staged prediction: margins grown tree by tree, one
   * traversal per tree and row, plus O(n k) per round for the loss). Length = `rounds`.
   */
  stagedLoss(X: Parameters<TabularModel<S>['predict']>[0], y: ArrayLike<number>): number[] {
    const m = this.toMatrix(X);
    const b = this.booster as Booster;
    const n = m.rows;
    const d = m.cols;
    if (y.length !== n) throw new SchemaError(`${this.algorithm}: stagedLoss got ${y.length} targets for ${n} rows`);
    const k = b.nOut;
    const yy = Float64Array.from(y);
    let yIndex: Int32Array | undefined;
    if (this.task === 'classification') {
      yIndex = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const c = this.classes.indexOf(yy[i]);
        if (c < 0) throw new SchemaError(`${this.algorithm}: stagedLoss got class ${yy[i]} at row ${i + 1}, not seen in training (classes ${this.classes.join(', ')})`);
        yIndex[i] = c;
      }
    }
    const obj = makeObjective(this.objectiveName, this.classes.length);
    const margin = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) margin[i * k + c] = b.baseMargin[c];
    const out: number[] = [];
    const x = m.data;
    const leaves = new Int32Array(n);
    for (let t = 0; t < b.trees.length; t++) {
      const tree = b.trees[t];
      const c = t % k;
      const v = tree.value;
      leafIndices(tree, x, 0, n, d, leaves);
      for (let i = 0; i < n; i++) margin[i * k + c] += v[leaves[i]];
      if (c === k - 1) out.push(obj.loss(margin, yy, yIndex));
    }
    return out;
  }

  /**
   * Loss per boosting round: "train <loss>" (every round grown; fit with `learningCurve: true`), "validation <loss>"
   * (the early-stopping set, when there was one) and, given `heldOut`, "held-out <loss>" by staged prediction over
   * the kept rounds.
   */
  learningCurve(heldOut?: LabelledData): TabularLearningCurve {
    this.requireFitted();
    const b = this.booster as Booster;
    const name = this.lossName;
    const metrics: Record<string, number[]> = {};
    if (b.trainHistory.length > 0) metrics[`train ${name}`] = [...b.trainHistory];
    if (b.evalHistory.length > 0) metrics[`validation ${name}`] = [...b.evalHistory];
    if (heldOut !== undefined) metrics[`held-out ${name}`] = this.stagedLoss(heldOut.X, heldOut.y);
    const len = Math.max(0, ...Object.values(metrics).map((v) => v.length));
    return { unit: 'boosting round', steps: Array.from({ length: len }, (_, r) => r + 1), metrics };
  }

  /** Gain importance per feature (sums to 1), in `featureNames` order. */
  featureImportance(): Float64Array {
    this.requireFitted();
    return gainImportance((this.booster as Booster).trees, this.featureSchema.names.length);
  }

  /**
   * Per-prediction feature contributions by TreeSHAP (Lundberg et al. 2018, alg. 2), in margin units: row-major
   * n x nOut x (d + 1), the last entry of each block the expected margin; each block sums to that row's margin.
   */
  predictContributions(X: Parameters<TabularModel<S>['predict']>[0]): Float64Array {
    const m = this.toMatrix(X);
    const b = this.booster as Booster;
    return treeShapContributions(b.trees, b.nOut, b.baseMargin, m);
  }

  toArtifact(): Artifact {
    const state = this.baseState();
    const b = this.booster as Booster;
    return {
      meta: { algorithm: this.algorithm, params: { ...this.params }, state: { ...state, nOut: b.nOut, bestRounds: b.bestRounds, evalHistory: b.evalHistory, trainHistory: b.trainHistory, objective: this.objectiveName } },
      tensors: { baseMargin: tensor(b.baseMargin), ...treesToTensors(b.trees) },
    };
  }

  protected restore(a: Artifact): this {
    const st = a.meta.state as unknown as TabularBaseState & { nOut: number; bestRounds: number; evalHistory: number[]; trainHistory?: number[]; objective: ObjectiveName };
    this.restoreBase(st);
    this.objectiveName = st.objective;
    this.booster = { nOut: st.nOut, baseMargin: requireTensor(a, 'baseMargin', Float64Array), trees: treesFromTensors(a), evalHistory: st.evalHistory, trainHistory: st.trainHistory ?? [], bestRounds: st.bestRounds };
    return this;
  }
}

/**
 * Gradient-boosted trees for classification: binary logistic for two classes, softmax for more. Histogram
 * binning, second-order gains, L1/L2 leaf regularisation, learned default direction for missing values.
 */
export class GBDTClassifier extends GbdtBase<typeof GBDT_CLASSIFIER_SPECS> {
  readonly algorithm = 'gbdt';
  readonly task = 'classification' as const;
  constructor(params: Partial<ParamsOf<typeof GBDT_CLASSIFIER_SPECS>> = {}) {
    super(GBDT_CLASSIFIER_SPECS, 'GBDTClassifier', params);
  }
  protected async fitMatrix(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, opts: TabularFitOptions): Promise<void> {
    const k = this.classes.length;
    this.objectiveName = k === 2 ? 'binary' : 'softmax';
    const w = rowWeights(m.rows, yIndex, k, this.params.classWeight, opts.sampleWeight);
    await this.boost(m, y, yIndex, w, opts);
  }
  protected predictMatrix(m: Matrix): Float64Array {
    return makeObjective(this.objectiveName, this.classes.length).transform(this.margins(m), m.rows);
  }
  static fromArtifact(a: Artifact): GBDTClassifier {
    return new GBDTClassifier(a.meta.params as Partial<ParamsOf<typeof GBDT_CLASSIFIER_SPECS>>).restore(a);
  }
}

/** Gradient-boosted trees for regression: squared error or Poisson (log link). */
export class GBDTRegressor extends GbdtBase<typeof GBDT_REGRESSOR_SPECS> {
  readonly algorithm = 'gbdt-regressor';
  readonly task = 'regression' as const;
  constructor(params: Partial<ParamsOf<typeof GBDT_REGRESSOR_SPECS>> = {}) {
    super(GBDT_REGRESSOR_SPECS, 'GBDTRegressor', params);
  }
  protected async fitMatrix(m: Matrix, y: Float64Array, _yi: Int32Array | undefined, opts: TabularFitOptions): Promise<void> {
    this.objectiveName = this.params.objective;
    const w = rowWeights(m.rows, undefined, 1, 'none', opts.sampleWeight);
    await this.boost(m, y, undefined, w, opts);
  }
  protected predictMatrix(m: Matrix): Float64Array {
    return makeObjective(this.objectiveName, 1).transform(this.margins(m), m.rows);
  }
  static fromArtifact(a: Artifact): GBDTRegressor {
    return new GBDTRegressor(a.meta.params as Partial<ParamsOf<typeof GBDT_REGRESSOR_SPECS>>).restore(a);
  }
}
