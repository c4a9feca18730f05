import type { Artifact } from '../../core/artifact.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { getSharedPool, kernelModuleUrl, toShared } from '../../core/pool.js';
import { SchemaError } from '../../core/errors.js';
import { type LabelledData, TabularModel, type TabularBaseState, type TabularFitOptions, type TabularLearningCurve } from '../base.js';
import { rowWeights } from '../linear/common.js';
import type { Matrix } from '../matrix.js';
import { applyBinsColumns, fitBins } from './binning.js';
import type { CartData, CartParams } from './cart.js';
import { type ForestKernelArgs, bootstrapCounts, growTrees } from './forest-kernel.js';
import { type Tree, leafIndex, leafIndices, treesFromTensors, treesToTensors } from './tree.js';
import { predictEnsemble, preloadEnsemblePredict } from './ensemble-predict.js';

const NO_BASE = new Float64Array(0);

const KERNEL = kernelModuleUrl(import.meta.url, './forest-kernel.js');

const TREE_COMMON = {
  maxDepth: { type: 'optional-integer', default: null, min: 1, doc: 'depth limit (null = grow until pure or minSamples*)' },
  minSamplesSplit: { type: 'integer', default: 2, min: 2, doc: 'rows a node needs to be split' },
  minSamplesLeaf: { type: 'integer', default: 1, min: 1, doc: 'rows each child must keep' },
  minImpurityDecrease: { type: 'number', default: 0, min: 0, doc: 'weighted impurity decrease a split must exceed' },
  maxBins: { type: 'integer', default: 255, min: 2, max: 255, doc: 'value bins per feature for split search (exact when a feature has fewer distinct values)' },
  seed: { type: 'integer', default: 0, min: 0, doc: 'seed for feature draws, bootstraps and binning samples' },
} as const;

const CLS = {
  criterion: { type: 'string', default: 'gini', choices: ['gini', 'entropy'], doc: 'impurity measure' },
  classWeight: { type: 'string', default: 'none', choices: ['none', 'balanced'], doc: '"balanced" weights class c by n / (k * n_c)' },
} as const;
const REG = {
  criterion: { type: 'string', default: 'mse', choices: ['mse'], doc: 'impurity measure (variance)' },
} as const;
const FOREST = {
  nEstimators: { type: 'integer', default: 100, min: 1, doc: 'trees' },
  bootstrap: { type: 'boolean', default: true, doc: 'draw each tree\'s rows with replacement' },
  maxSamples: { type: 'optional-number', default: null, min: 0, max: 1, doc: 'fraction of rows drawn per tree (null = all)' },
  oobScore: { type: 'boolean', default: false, doc: 'score each row with the trees that did not see it (accuracy or R2)' },
  threads: { type: 'integer', default: 0, min: 0, doc: 'worker threads (0 = the shared pool size, 1 = this thread only)' },
} as const;

export const TREE_CLASSIFIER_SPECS = { ...TREE_COMMON, ...CLS, maxFeatures: { type: 'string', default: 'all', choices: ['all', 'sqrt', 'log2', 'third'], doc: 'features tried per node' } } as const satisfies ParamSpecs;
export const TREE_REGRESSOR_SPECS = { ...TREE_COMMON, ...REG, maxFeatures: { type: 'string', default: 'all', choices: ['all', 'sqrt', 'log2', 'third'], doc: 'features tried per node' } } as const satisfies ParamSpecs;
export const FOREST_CLASSIFIER_SPECS = { ...TREE_COMMON, ...CLS, ...FOREST, maxFeatures: { type: 'string', default: 'sqrt', choices: ['all', 'sqrt', 'log2', 'third'], doc: 'features tried per node' } } as const satisfies ParamSpecs;
export const FOREST_REGRESSOR_SPECS = { ...TREE_COMMON, ...REG, ...FOREST, maxFeatures: { type: 'string', default: 'all', choices: ['all', 'sqrt', 'log2', 'third'], doc: 'features tried per node' } } as const satisfies ParamSpecs;

type AnyTreeParams = ParamsOf<typeof TREE_COMMON> & { criterion: string; maxFeatures: string; classWeight?: string } & Partial<ParamsOf<typeof FOREST>>;

function mtry(rule: string, d: number): number {
  switch (rule) {
    case 'sqrt': return Math.max(1, Math.floor(Math.sqrt(d)));
    case 'log2': return Math.max(1, Math.floor(Math.log2(d)));
    case 'third': return Math.max(1, Math.floor(d / 3));
    default: return d;
  }
}

/**
 * Shared base of CART trees and random forests (Breiman 2001): bins the data once, grows `nEstimators` trees (1
 * for a single tree) on worker threads, averages leaf values (class fractions or means).
 */
abstract class TreeEnsemble<S extends ParamSpecs> extends TabularModel<S> {
  protected trees: Tree[] = [];
  /** OOB accuracy (classifier) or R2 (regressor), when `oobScore` was asked. */
  oobScore: number | undefined;
  protected abstract readonly isForest: boolean;

  protected async fitMatrix(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, opts: TabularFitOptions): Promise<void> {
    const p = this.params as unknown as AnyTreeParams;
    const n = m.rows;
    const d = m.cols;
    const seed = opts.seed ?? p.seed;
    const k = this.task === 'classification' ? this.classes.length : 0;
    const nTrees = this.isForest ? (p.nEstimators as number) : 1;
    const threads = this.isForest ? (p.threads as number) : 1;
    const pool = getSharedPool();
    const parallel = threads !== 1 && pool.size > 1 && nTrees > 1;
    const mapper = fitBins(m, p.maxBins, seed);
    const B = applyBinsColumns(m, mapper, parallel ? new Uint8Array(new SharedArrayBuffer(n * d)) : undefined);
    const nBins = new Int32Array(d);
    for (let f = 0; f < d; f++) nBins[f] = mapper.cuts[f].length;
    const data: CartData = { B, n, d, nBins, cuts: mapper.cuts, k, yIndex: yIndex ?? new Int32Array(0), y: k > 0 ? new Float64Array(0) : y };
    const cart: CartParams = {
      criterion: p.criterion as CartParams['criterion'],
      maxDepth: p.maxDepth ?? 0,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures: mtry(p.maxFeatures, d),
      minImpurityDecrease: p.minImpurityDecrease,
    };
    const needW = (p.classWeight ?? 'none') !== 'none' || opts.sampleWeight !== undefined;
    const rowWeight = needW ? rowWeights(n, yIndex, k, p.classWeight ?? 'none', opts.sampleWeight) : null;
    const bootstrap = this.isForest && (p.bootstrap as boolean);
    const sampleSize = p.maxSamples === null || p.maxSamples === undefined ? n : Math.max(1, Math.round(p.maxSamples * n));
    const args: ForestKernelArgs = { data, params: cart, seed, bootstrap, sampleSize, rowWeight };
    if (parallel) {
      // One tree per chunk: a tree costs far more than its message round trip, and with chunks of several trees the
      // thread that finished first waited up to a chunk's time for the other at the end (0.3 s of a 5 s fit). The
      // per-row arrays go in shared memory so that the hundred messages do not copy them.
      data.yIndex = toShared(data.yIndex);
      if (args.rowWeight !== null) args.rowWeight = toShared(args.rowWeight);
      let done = 0;
      const onChunkDone = opts.onProgress === undefined ? undefined : (s: number, e: number) => opts.onProgress!({ step: 'trees', done: (done += e - s), total: nTrees });
      const parts = await pool.run<ForestKernelArgs, Tree[]>({ module: KERNEL, fn: 'growTrees', args, total: nTrees, chunks: nTrees, maxWorkers: threads === 0 ? pool.size : Math.min(threads, pool.size), ...(onChunkDone === undefined ? {} : { onChunkDone }) });
      this.trees = parts.flat();
    } else {
      this.trees = [];
      for (let t = 0; t < nTrees; t++) {
        this.trees.push(...growTrees(args, t, t + 1));
        opts.onProgress?.({ step: 'trees', done: t + 1, total: nTrees });
      }
    }
    this.oobScore = undefined;
    if (this.isForest && bootstrap && p.oobScore === true) this.oobScore = this.computeOob(m, y, yIndex, seed, sampleSize);
    // The fit's workers load the prediction kernel while idle (not when the fit ran on this thread only).
    if (parallel) preloadEnsemblePredict(threads);
  }

  private computeOob(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, seed: number, sampleSize: number): number {
    const n = m.rows;
    const d = m.cols;
    const nOut = this.trees[0].nOut;
    const acc = new Float64Array(n * nOut);
    const votes = new Int32Array(n);
    for (let t = 0; t < this.trees.length; t++) {
      const w = bootstrapCounts(n, sampleSize, seed, t);
      const tree = this.trees[t];
      for (let i = 0; i < n; i++) {
        if (w[i] > 0) continue;
        const leaf = leafIndex(tree, m.data, i, d);
        for (let c = 0; c < nOut; c++) acc[i * nOut + c] += tree.value[leaf * nOut + c];
        votes[i]++;
      }
    }
    let num = 0;
    let den = 0;
    let mean = 0;
    let cnt = 0;
    for (let i = 0; i < n; i++) if (votes[i] > 0) {
      mean += y[i];
      cnt++;
    }
    mean /= Math.max(cnt, 1);
    for (let i = 0; i < n; i++) {
      if (votes[i] === 0) continue;
      if (this.task === 'classification') {
        let best = 0;
        for (let c = 1; c < nOut; c++) if (acc[i * nOut + c] > acc[i * nOut + best]) best = c;
        num += best === (yIndex as Int32Array)[i] ? 1 : 0;
        den += 1;
      } else {
        num += (y[i] - acc[i] / votes[i]) ** 2;
        den += (y[i] - mean) ** 2;
      }
    }
    return this.task === 'classification' ? num / Math.max(den, 1) : 1 - num / den;
  }

  protected predictMatrix(m: Matrix): Float64Array {
    const n = m.rows;
    const d = m.cols;
    const nOut = this.trees[0].nOut;
    // A forest's row blocks are shared with the pool's workers when `threads` allows (the same sums as on one thread).
    const out = predictEnsemble(this.trees, m.data, n, d, 'sum', nOut, NO_BASE, this.isForest ? ((this.params as unknown as AnyTreeParams).threads as number) : 1);
    const inv = 1 / this.trees.length;
    for (let i = 0; i < out.length; i++) out[i] *= inv;
    return out;
  }

  /**
   * Held-out error against the number of trees (forests only; undefined for a single tree or without `heldOut`):
   * the ensemble of the first t trees scored on `heldOut` for t = 1..nEstimators, as "held-out error rate"
   * (classifiers) or "held-out rmse" (regressors). One traversal per tree and row: the cost of one predict.
   */
  learningCurve(heldOut?: LabelledData): TabularLearningCurve | undefined {
    this.requireFitted();
    if (!this.isForest || heldOut === undefined) return undefined;
    const m = this.toMatrix(heldOut.X);
    const n = m.rows;
    const d = m.cols;
    if (heldOut.y.length !== n) throw new SchemaError(`${this.algorithm}: learningCurve got ${heldOut.y.length} targets for ${n} rows`);
    const nOut = this.trees[0].nOut;
    const acc = new Float64Array(n * nOut);
    const classifier = this.task === 'classification';
    const truth = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = heldOut.y[i];
      truth[i] = classifier ? this.classes.indexOf(v) : v;
    }
    const values: number[] = [];
    const x = m.data;
    const leaves = new Int32Array(n);
    for (let t = 0; t < this.trees.length; t++) {
      const tree = this.trees[t];
      const v = tree.value;
      let err = 0;
      leafIndices(tree, x, 0, n, d, leaves);
      for (let i = 0; i < n; i++) {
        const leaf = leaves[i];
        const o = i * nOut;
        for (let c = 0; c < nOut; c++) acc[o + c] += v[leaf * nOut + c];
        if (classifier) {
          let best = 0;
          for (let c = 1; c < nOut; c++) if (acc[o + c] > acc[o + best]) best = c;
          if (best !== truth[i]) err++;
        } else {
          const r = acc[o] / (t + 1) - truth[i];
          err += r * r;
        }
      }
      values.push(classifier ? err / n : Math.sqrt(err / n));
    }
    return { unit: 'trees', steps: values.map((_, t) => t + 1), metrics: { [classifier ? 'held-out error rate' : 'held-out rmse']: values } };
  }

  /** Mean impurity decrease per feature, normalised to sum 1 (scikit-learn's feature_importances_). */
  featureImportance(): Float64Array {
    this.requireFitted();
    const d = this.featureSchema.names.length;
    const total = new Float64Array(d);
    for (const t of this.trees) {
      const imp = new Float64Array(d);
      let s = 0;
      for (let i = 0; i < t.nNodes; i++) if (t.feature[i] >= 0) {
        imp[t.feature[i]] += t.gain[i];
        s += t.gain[i];
      }
      if (s > 0) for (let j = 0; j < d; j++) total[j] += imp[j] / s;
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += total[j];
    if (s > 0) for (let j = 0; j < d; j++) total[j] /= s;
    return total;
  }

  /** The fitted trees (read-only use). */
  get estimators(): readonly Tree[] {
    this.requireFitted();
    return this.trees;
  }

  toArtifact(): Artifact {
    const state = this.baseState();
    return { meta: { algorithm: this.algorithm, params: { ...this.params }, state: { ...state, ...(this.oobScore !== undefined ? { oobScore: this.oobScore } : {}) } }, tensors: treesToTensors(this.trees) };
  }

  protected restore(a: Artifact): this {
    const st = a.meta.state as unknown as TabularBaseState & { oobScore?: number };
    this.restoreBase(st);
    this.trees = treesFromTensors(a);
    this.oobScore = st.oobScore;
    return this;
  }
}

type P<S extends ParamSpecs> = Partial<ParamsOf<S>>;

/** CART classification tree (gini or entropy). */
export class DecisionTreeClassifier extends TreeEnsemble<typeof TREE_CLASSIFIER_SPECS> {
  readonly algorithm = 'tree';
  readonly task = 'classification' as const;
  protected readonly isForest = false;
  constructor(params: P<typeof TREE_CLASSIFIER_SPECS> = {}) {
    super(TREE_CLASSIFIER_SPECS, 'DecisionTreeClassifier', params);
  }
  static fromArtifact(a: Artifact): DecisionTreeClassifier {
    return new DecisionTreeClassifier(a.meta.params as P<typeof TREE_CLASSIFIER_SPECS>).restore(a);
  }
}

/** CART regression tree (variance reduction). */
export class DecisionTreeRegressor extends TreeEnsemble<typeof TREE_REGRESSOR_SPECS> {
  readonly algorithm = 'tree-regressor';
  readonly task = 'regression' as const;
  protected readonly isForest = false;
  constructor(params: P<typeof TREE_REGRESSOR_SPECS> = {}) {
    super(TREE_REGRESSOR_SPECS, 'DecisionTreeRegressor', params);
  }
  static fromArtifact(a: Artifact): DecisionTreeRegressor {
    return new DecisionTreeRegressor(a.meta.params as P<typeof TREE_REGRESSOR_SPECS>).restore(a);
  }
}

/** Random forest classifier: bootstrapped CART trees with sqrt(d) features per node, grown on worker threads. */
export class RandomForestClassifier extends TreeEnsemble<typeof FOREST_CLASSIFIER_SPECS> {
  readonly algorithm = 'forest';
  readonly task = 'classification' as const;
  protected readonly isForest = true;
  constructor(params: P<typeof FOREST_CLASSIFIER_SPECS> = {}) {
    super(FOREST_CLASSIFIER_SPECS, 'RandomForestClassifier', params);
  }
  static fromArtifact(a: Artifact): RandomForestClassifier {
    return new RandomForestClassifier(a.meta.params as P<typeof FOREST_CLASSIFIER_SPECS>).restore(a);
  }
}

/** Random forest regressor. */
export class RandomForestRegressor extends TreeEnsemble<typeof FOREST_REGRESSOR_SPECS> {
  readonly algorithm = 'forest-regressor';
  readonly task = 'regression' as const;
  protected readonly isForest = true;
  constructor(params: P<typeof FOREST_REGRESSOR_SPECS> = {}) {
    super(FOREST_REGRESSOR_SPECS, 'RandomForestRegressor', params);
  }
  static fromArtifact(a: Artifact): RandomForestRegressor {
    return new RandomForestRegressor(a.meta.params as P<typeof FOREST_REGRESSOR_SPECS>).restore(a);
  }
}
