/**
 * Public names of the tabular area: metrics, linear models, trees, forests, gradient boosting, preprocessing and
 * model selection. Names that other areas also export (rating RMSE, interaction splits, recommender CV) carry a
 * `tabular` prefix or suffix here.
 */
export { type Matrix, matrix, fromRows, fromColumns, isMatrix, takeRows, column } from './matrix.js';
export { type FeatureSchema, type TabularInput, inputRows } from './schema.js';
export { TabularModel, type TabularTask, type TabularFitOptions, type LabelledData, type TabularLearningCurve } from './base.js';
export {
  rocAuc,
  prAuc,
  logLoss,
  multiLogLoss,
  brierScore,
  accuracy,
  precisionRecallF1,
  confusionMatrix,
  mape,
  r2,
  rmse as regressionRmse,
  mae as regressionMae,
  METRIC_NAMES as TABULAR_METRICS,
  type MetricName as TabularMetricName,
  type PredictionSet,
  scoreMetric,
} from './metrics/index.js';
export { LogisticRegression, LOGISTIC_SPECS } from './linear/logistic.js';
export { LinearRegression, Ridge, Lasso, LINEAR_SPECS, RIDGE_SPECS, LASSO_SPECS } from './linear/regression.js';
export { GBDTClassifier, GBDTRegressor, GBDT_CLASSIFIER_SPECS, GBDT_REGRESSOR_SPECS } from './gbdt/gbdt.js';
export { treeShapContributions } from './gbdt/shap.js';
export {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
  TREE_CLASSIFIER_SPECS,
  TREE_REGRESSOR_SPECS,
  FOREST_CLASSIFIER_SPECS,
  FOREST_REGRESSOR_SPECS,
} from './tree/models.js';
export { type Tree } from './tree/tree.js';
export { SimpleImputer, StandardScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder } from './preprocess/basic.js';
export { TargetEncoder } from './preprocess/target-encoder.js';
export { ColumnTransformer, type ColumnBranch, transformerFromJSON } from './preprocess/column-transformer.js';
export { Pipeline, matrixToFrame } from './preprocess/pipeline.js';
export { coerceNumericColumns } from './preprocess/coerce.js';
export type { Transformer, TransformerState } from './preprocess/transformer.js';
export { listTabularAlgorithms, getTabularAlgorithm, createTabularModel, loadTabularModel, defaultPipeline, type TabularAlgorithm } from './registry.js';
export { prepareTabular, type TabularData } from './task-data.js';
export {
  type Split as TabularSplit,
  kFold as tabularKFold,
  stratifiedKFold,
  timeSeriesSplit,
  trainTestSplit as tabularTrainTestSplit,
  kFoldAssignment,
  stratifiedFoldAssignment,
  splitsFromAssignment,
} from './selection/splits.js';
export { crossValidate as crossValidateTabular, type CrossValidateResult as TabularCrossValidateResult, type MetricSummary as TabularMetricSummary } from './selection/cross-validate.js';
export type { Estimator } from './selection/estimator.js';
export { gridSearchCV, randomizedSearchCV, expandGrid as expandTabularGrid, sampleParams as sampleTabularParams, type SearchOutcome, type ParamDistribution } from './selection/search.js';
export { CalibratedClassifier, fitPlatt, fitIsotonic } from './selection/calibration.js';
export { chooseThreshold, type ThresholdChoice } from './selection/threshold.js';
export { permutationImportance } from './selection/importance.js';
export { syntheticTabular } from './testing.js';
