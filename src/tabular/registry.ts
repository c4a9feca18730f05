import type { Artifact } from '../core/artifact.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { ParamSpecs } from '../core/params.js';
import type { Frame } from '../data/frame.js';
import type { TabularTask } from './base.js';
import { GBDT_CLASSIFIER_SPECS, GBDT_REGRESSOR_SPECS, GBDTClassifier, GBDTRegressor } from './gbdt/gbdt.js';
import { LOGISTIC_SPECS, LogisticRegression } from './linear/logistic.js';
import { LASSO_SPECS, LINEAR_SPECS, Lasso, LinearRegression, RIDGE_SPECS, Ridge } from './linear/regression.js';
import { OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler } from './preprocess/basic.js';
import { ColumnTransformer, type ColumnBranch } from './preprocess/column-transformer.js';
import { type AnyTabularModel, Pipeline } from './preprocess/pipeline.js';
import { TargetEncoder } from './preprocess/target-encoder.js';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  FOREST_CLASSIFIER_SPECS,
  FOREST_REGRESSOR_SPECS,
  RandomForestClassifier,
  RandomForestRegressor,
  TREE_CLASSIFIER_SPECS,
  TREE_REGRESSOR_SPECS,
} from './tree/models.js';

/** A tabular algorithm as the CLI, search and server see it: per task, its params and a constructor. */
export interface TabularAlgorithm {
  name: string;
  description: string;
  /** Whether the algorithm needs complete, scaled numeric input (linear models) or handles NaN natively (trees). */
  linear: boolean;
  tasks: Partial<Record<TabularTask, { algorithm: string; specs: ParamSpecs; create(params?: Record<string, unknown>): AnyTabularModel }>>;
}

type Ctor = new (p?: never) => AnyTabularModel;
const make = (C: Ctor) => (p: Record<string, unknown> = {}): AnyTabularModel => new C(p as never);

const ALGORITHMS: TabularAlgorithm[] = [
  { name: 'logistic', description: 'logistic regression (L2/L1/elastic net, multinomial)', linear: true, tasks: { classification: { algorithm: 'logistic', specs: LOGISTIC_SPECS, create: make(LogisticRegression as unknown as Ctor) } } },
  { name: 'linear', description: 'ordinary least squares', linear: true, tasks: { regression: { algorithm: 'linear', specs: LINEAR_SPECS, create: make(LinearRegression as unknown as Ctor) } } },
  { name: 'ridge', description: 'ridge regression (L2)', linear: true, tasks: { regression: { algorithm: 'ridge', specs: RIDGE_SPECS, create: make(Ridge as unknown as Ctor) } } },
  { name: 'lasso', description: 'lasso regression (L1, coordinate descent)', linear: true, tasks: { regression: { algorithm: 'lasso', specs: LASSO_SPECS, create: make(Lasso as unknown as Ctor) } } },
  {
    name: 'tree', description: 'CART decision tree', linear: false, tasks: {
      classification: { algorithm: 'tree', specs: TREE_CLASSIFIER_SPECS, create: make(DecisionTreeClassifier as unknown as Ctor) },
      regression: { algorithm: 'tree-regressor', specs: TREE_REGRESSOR_SPECS, create: make(DecisionTreeRegressor as unknown as Ctor) },
    },
  },
  {
    name: 'forest', description: 'random forest (bootstrap, OOB, parallel trees)', linear: false, tasks: {
      classification: { algorithm: 'forest', specs: FOREST_CLASSIFIER_SPECS, create: make(RandomForestClassifier as unknown as Ctor) },
      regression: { algorithm: 'forest-regressor', specs: FOREST_REGRESSOR_SPECS, create: make(RandomForestRegressor as unknown as Ctor) },
    },
  },
  {
    name: 'gbdt', description: 'histogram gradient boosting (XGBoost/LightGBM style)', linear: false, tasks: {
      classification: { algorithm: 'gbdt', specs: GBDT_CLASSIFIER_SPECS, create: make(GBDTClassifier as unknown as Ctor) },
      regression: { algorithm: 'gbdt-regressor', specs: GBDT_REGRESSOR_SPECS, create: make(GBDTRegressor as unknown as Ctor) },
    },
  },
];

/** Every tabular algorithm, in CLI order. */
export function listTabularAlgorithms(): readonly TabularAlgorithm[] {
  return ALGORITHMS;
}

/** The algorithm called `name` for `task`, or a clear error listing what exists. */
export function getTabularAlgorithm(name: string, task?: TabularTask): TabularAlgorithm {
  const a = ALGORITHMS.find((x) => x.name === name);
  if (a === undefined) throw new InvalidArgumentError(`unknown tabular model "${name}"; expected one of: ${ALGORITHMS.map((x) => x.name).join(', ')}`, { name });
  if (task !== undefined && a.tasks[task] === undefined) {
    const ok = ALGORITHMS.filter((x) => x.tasks[task] !== undefined).map((x) => x.name);
    throw new InvalidArgumentError(`model "${name}" does not do ${task}; for ${task} use one of: ${ok.join(', ')}`, { name, task });
  }
  return a;
}

/** A new model for `name` and `task` with `params`. */
export function createTabularModel(name: string, task: TabularTask, params: Record<string, unknown> = {}): AnyTabularModel {
  const t = getTabularAlgorithm(name, task).tasks[task];
  return (t as NonNullable<typeof t>).create(params);
}

const LOADERS: Record<string, (a: Artifact) => AnyTabularModel> = {
  logistic: (a) => LogisticRegression.fromArtifact(a) as unknown as AnyTabularModel,
  linear: (a) => LinearRegression.fromArtifact(a) as unknown as AnyTabularModel,
  ridge: (a) => Ridge.fromArtifact(a) as unknown as AnyTabularModel,
  lasso: (a) => Lasso.fromArtifact(a) as unknown as AnyTabularModel,
  tree: (a) => DecisionTreeClassifier.fromArtifact(a) as unknown as AnyTabularModel,
  'tree-regressor': (a) => DecisionTreeRegressor.fromArtifact(a) as unknown as AnyTabularModel,
  forest: (a) => RandomForestClassifier.fromArtifact(a) as unknown as AnyTabularModel,
  'forest-regressor': (a) => RandomForestRegressor.fromArtifact(a) as unknown as AnyTabularModel,
  gbdt: (a) => GBDTClassifier.fromArtifact(a) as unknown as AnyTabularModel,
  'gbdt-regressor': (a) => GBDTRegressor.fromArtifact(a) as unknown as AnyTabularModel,
};

/** Any tabular model or pipeline back from its artifact. */
export function loadTabularModel(a: Artifact): AnyTabularModel | Pipeline {
  if (a.meta.algorithm === 'pipeline') return Pipeline.fromArtifact(a, loadInner);
  return loadInner(a);
}

function loadInner(a: Artifact): AnyTabularModel {
  const l = LOADERS[a.meta.algorithm];
  if (l === undefined) throw new InvalidArgumentError(`artifact holds "${a.meta.algorithm}", not a tabular model; known: ${Object.keys(LOADERS).join(', ')}`);
  return l(a);
}

/**
 * The default preprocessing for a model on a Frame: numeric columns imputed (median) and standardised for linear
 * models, passed through with NaN for trees; categorical columns one-hot encoded (unknown categories ignored) when
 * they have at most `maxOneHot` categories, otherwise target-encoded (linear) or ordinal-encoded (trees).
 */
export function defaultPipeline(name: string, task: TabularTask, frame: Frame, params: Record<string, unknown> = {}, maxOneHot = 30): Pipeline {
  const algo = getTabularAlgorithm(name, task);
  const numeric = frame.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
  const small: string[] = [];
  const large: string[] = [];
  for (const c of frame.columns) if (c.kind === 'categorical') (c.dictionary.length <= maxOneHot ? small : large).push(c.name);
  const branches: ColumnBranch[] = [];
  if (numeric.length > 0) branches.push({ columns: numeric, steps: algo.linear ? [new SimpleImputer({ strategy: 'median' }), new StandardScaler()] : [] });
  if (small.length > 0) branches.push({ columns: small, steps: [new OneHotEncoder({ handleUnknown: 'ignore' })] });
  if (large.length > 0) {
    branches.push({ columns: large, steps: algo.linear ? [new TargetEncoder(), new StandardScaler()] : [new OrdinalEncoder()] });
  }
  return new Pipeline([new ColumnTransformer(branches, 'drop')], createTabularModel(name, task, params));
}
