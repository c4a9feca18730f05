import { barChart, horizontalBarChart, lineChart } from './charts.js';
import { type ReportSection, figure, htmlTable } from './html.js';

/** Per-fold values of several metrics (metric name -> one value per fold). */
export type FoldMetrics = Record<string, readonly number[]>;

/** Mean and population standard deviation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let q = 0;
  for (const v of values) q += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(q / n) };
}

/** Table (metric x fold, mean, std) and grouped bar chart of per-fold metrics. */
export function foldMetricsSection(folds: FoldMetrics, title = 'Per-fold metrics'): ReportSection {
  const names = Object.keys(folds);
  const k = Math.max(0, ...names.map((n) => folds[n]!.length));
  const headers = ['metric', ...Array.from({ length: k }, (_, f) => `fold ${f + 1}`), 'mean', 'std'];
  const rows = names.map((n) => {
    const v = folds[n]!;
    const { mean, std } = meanStd(v);
    return [n, ...v, mean, std];
  });
  const chart = barChart(
    'Metrics by fold',
    names,
    Array.from({ length: k }, (_, f) => ({ name: `fold ${f + 1}`, values: names.map((n) => folds[n]![f] ?? NaN) })),
  );
  return { title, html: htmlTable(headers, rows) + figure(chart) };
}

/** One run of a model for comparison: its name and metric means. */
export interface ModelScores {
  name: string;
  metrics: Record<string, number>;
}

/**
 * Model comparison: a table (model x metric) and one bar chart per metric, so metrics of different scales never
 * share an axis.
 */
export function comparisonSection(models: readonly ModelScores[], title = 'Model comparison'): ReportSection {
  const metricNames: string[] = [];
  for (const m of models) for (const k of Object.keys(m.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  const table = htmlTable(['model', ...metricNames], models.map((m) => [m.name, ...metricNames.map((k) => m.metrics[k] ?? NaN)]));
  const charts = metricNames
    .map((k) => figure(barChart(k, models.map((m) => m.name), [{ name: k, values: models.map((m) => m.metrics[k] ?? NaN) }], { width: 360, height: 260 })))
    .join('');
  return { title, html: table + charts };
}

/** Metrics a model reported per epoch through onProgress (e.g. loss), one curve per run and metric. */
export interface LearningCurve {
  name: string;
  /** Epoch numbers (1-based) and the metric values reported at each. */
  epochs: readonly number[];
  metrics: Record<string, readonly number[]>;
}

/**
 * One line chart per metric, one line per run. Undefined when no run reported any metric. `xName` names what the
 * x axis counts (epochs for recommenders; boosting rounds, solver iterations or trees for tabular models).
 */
export function learningCurveSection(curves: readonly LearningCurve[], title = 'Learning curves', xName = 'epoch'): ReportSection | undefined {
  const metricNames: string[] = [];
  for (const c of curves) for (const k of Object.keys(c.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  if (metricNames.length === 0) return undefined;
  const charts = metricNames.map((m) =>
    figure(
      lineChart(
        m,
        curves.filter((c) => c.metrics[m] !== undefined).map((c) => ({ name: c.name, x: c.epochs.slice(0, c.metrics[m]!.length), y: c.metrics[m]! })),
        { xName, width: 480, height: 300 },
      ),
    ),
  );
  return { title, html: charts.join('') };
}

/** Feature importances, largest first (at most `top`). */
export function importanceSection(importances: readonly { name: string; value: number }[], top = 25, title = 'Feature importance'): ReportSection {
  const sorted = [...importances].sort((a, b) => b.value - a.value).slice(0, top);
  const chart = horizontalBarChart(
    title,
    sorted.map((f) => f.name),
    sorted.map((f) => f.value),
  );
  return { title, html: figure(chart) + htmlTable(['feature', 'importance'], sorted.map((f) => [f.name, f.value])) };
}

/**
 * Records per-epoch metrics from progress events (step "epoch" with metrics) into a learning curve; pass
 * `recorder.onProgress` (chained with a progress bar) to fit.
 */
export class EpochRecorder {
  readonly epochs: number[] = [];
  readonly metrics: Record<string, number[]> = {};

  /** Chains `next` (e.g. a progress bar) after recording. */
  listener(next?: (e: { step: string; done: number; total: number; metrics?: Record<string, number> }) => void) {
    return (e: { step: string; done: number; total: number; metrics?: Record<string, number> }): void => {
      if (e.step === 'epoch' && e.metrics !== undefined) {
        this.epochs.push(e.done);
        for (const [k, v] of Object.entries(e.metrics)) (this.metrics[k] ??= []).push(v);
      }
      next?.(e);
    };
  }

  /** The recorded curve under a name. */
  curve(name: string): LearningCurve {
    return { name, epochs: this.epochs, metrics: this.metrics };
  }
}
