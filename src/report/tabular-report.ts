import { confusionMatrix, prAuc, rocAuc } from '../tabular/metrics/classification.js';
import { heatmapChart, lineChart } from './charts.js';
import { calibrationCurve, prCurve, rocCurve, thinCurve } from './curves.js';
import { type ReportSection, figure, htmlPage, keyValueTable } from './html.js';
import { type FoldMetrics, type LearningCurve, type ModelScores, comparisonSection, foldMetricsSection, importanceSection, learningCurveSection } from './sections.js';

/** Input of the tabular evaluation report (plain data: the CLI or a notebook fills it). */
export interface TabularReportInput {
  /** Model name and its parameters. */
  model: string;
  params: Record<string, unknown>;
  task: 'binary' | 'multiclass' | 'regression';
  /** Data summary (rows, features, target, positive rate...). */
  data: Record<string, unknown>;
  /** Metric name -> one value per fold. */
  folds: FoldMetrics;
  /** Out-of-fold true labels (0/1 for binary) and scores (probability of class 1), for ROC/PR/calibration/confusion. */
  yTrue?: ArrayLike<number>;
  scores?: ArrayLike<number>;
  /** Decision threshold of the confusion matrix (default 0.5). */
  threshold?: number;
  importances?: readonly { name: string; value: number }[];
  /** Other models' mean metrics, for comparison bars (this model is added). */
  compare?: readonly ModelScores[];
  /** Loss or error per step of training, e.g. one curve per fold (`epochs` holds the step numbers). */
  learningCurves?: readonly LearningCurve[];
  /** What the curves' steps count ("boosting round", "iteration", "trees"); default "epoch". */
  learningCurveUnit?: string;
}

/** ROC, PR, calibration and confusion matrix of out-of-fold binary predictions. */
export function binaryCurvesSection(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5, name = 'model'): ReportSection {
  const roc = thinCurve(rocCurve(yTrue, scores));
  const pr = thinCurve(prCurve(yTrue, scores));
  const auc = rocAuc(yTrue, scores);
  const ap = prAuc(yTrue, scores);
  let pos = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) pos++;
  const base = pos / yTrue.length;
  const rocSvg = lineChart(
    `ROC (AUC ${auc.toFixed(4)})`,
    [
      { name, x: roc.x, y: roc.y },
      { name: 'chance', x: [0, 1], y: [0, 1], dashed: true },
    ],
    { unitSquare: true, xName: 'false positive rate', yName: 'true positive rate' },
  );
  const prSvg = lineChart(
    `Precision-recall (AP ${ap.toFixed(4)})`,
    [
      { name, x: pr.x, y: pr.y },
      { name: 'base rate', x: [0, 1], y: [base, base], dashed: true },
    ],
    { unitSquare: true, xName: 'recall', yName: 'precision' },
  );
  const inRange = Array.prototype.every.call(scores, (p: number) => p >= 0 && p <= 1);
  let calSvg = '';
  if (inRange) {
    const cal = calibrationCurve(yTrue, scores, 10);
    calSvg = figure(
      lineChart(
        'Calibration (10 bins)',
        [
          { name, x: cal.meanPredicted, y: cal.fractionPositive },
          { name: 'perfect', x: [0, 1], y: [0, 1], dashed: true },
        ],
        { unitSquare: true, xName: 'mean predicted probability', yName: 'fraction positive' },
      ),
    );
  }
  const yPred = new Float64Array(yTrue.length);
  const yBin = new Float64Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    yPred[i] = scores[i]! >= threshold ? 1 : 0;
    yBin[i] = yTrue[i] === 1 ? 1 : 0;
  }
  const cm = confusionMatrix(yBin, yPred, [0, 1]);
  const cmSvg = heatmapChart(`Confusion matrix (threshold ${threshold})`, ['0', '1'], ['0', '1'], cm.counts);
  return {
    title: 'Out-of-fold predictions',
    html: keyValueTable({ samples: yTrue.length, positives: pos, 'ROC AUC': auc, 'average precision': ap }) + figure(rocSvg) + figure(prSvg) + calSvg + figure(cmSvg),
  };
}

/**
 * The HTML report of `reckon tabular evaluate --report FILE`: parameters, data summary, per-fold metrics, ROC and PR
 * curves, calibration, confusion matrix (binary tasks with out-of-fold scores), feature importance, model
 * comparison and learning curves when given.
 */
export function tabularReportHtml(input: TabularReportInput, generatedAt?: Date): string {
  const sections: ReportSection[] = [
    { title: 'Run', html: keyValueTable({ model: input.model, task: input.task, folds: Math.max(0, ...Object.values(input.folds).map((v) => v.length)) }) },
    { title: 'Data', html: keyValueTable(input.data) },
    { title: 'Parameters', html: keyValueTable(input.params) },
    foldMetricsSection(input.folds),
  ];
  if (input.task === 'binary' && input.yTrue !== undefined && input.scores !== undefined) {
    sections.push(binaryCurvesSection(input.yTrue, input.scores, input.threshold ?? 0.5, input.model));
  }
  if (input.importances !== undefined && input.importances.length > 0) sections.push(importanceSection(input.importances));
  if (input.compare !== undefined && input.compare.length > 0) {
    const own = { name: input.model, metrics: Object.fromEntries(Object.entries(input.folds).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / Math.max(1, v.length)])) };
    sections.push(comparisonSection([own, ...input.compare]));
  }
  const lc = learningCurveSection(input.learningCurves ?? [], 'Learning curves', input.learningCurveUnit ?? 'epoch');
  if (lc !== undefined) sections.push(lc);
  return htmlPage(`Reckon tabular evaluation: ${input.model}`, `${input.task} task, cross-validated`, sections, generatedAt);
}

