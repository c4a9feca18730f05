import type { CrossValidateResult } from '../eval/cv.js';
import { barChart } from './charts.js';
import { type ReportSection, escapeHtml, figure, htmlPage, htmlTable, keyValueTable } from './html.js';
import { type LearningCurve, comparisonSection, foldMetricsSection, learningCurveSection } from './sections.js';

/** What the report says about the data set. */
export interface DataSummary {
  users: number;
  items: number;
  ratings: number;
  /** Declared rating scale [min, max], when known. */
  scale?: readonly [number, number];
}

/** Input of the rating cross-validation report: one CV result per algorithm, same folds and data. */
export interface RatingReportInput {
  /** Where the data came from (path) and its format. */
  source: string;
  format?: string;
  data: DataSummary;
  results: readonly CrossValidateResult[];
  /** Fold count and seed of the fold assignment. */
  cv: number;
  seed: number;
  learningCurves?: readonly LearningCurve[];
}

/** The per-fold learning curves cross-validation collected (`CrossValidateResult.curves`), named "ALGO fold N". */
export function foldCurves(results: readonly CrossValidateResult[]): LearningCurve[] {
  const out: LearningCurve[] = [];
  for (const r of results) {
    const curves = r.curves ?? [];
    for (let f = 0; f < curves.length; f++) {
      const c = curves[f]!;
      if (c.epochs.length > 0) out.push({ name: `${r.algo} fold ${f + 1}`, epochs: c.epochs, metrics: c.metrics });
    }
  }
  return out;
}

/** Data set size and density. */
export function dataSection(source: string, format: string | undefined, d: DataSummary): ReportSection {
  const density = d.users > 0 && d.items > 0 ? d.ratings / (d.users * d.items) : 0;
  return {
    title: 'Data',
    html: keyValueTable({
      source,
      ...(format === undefined ? {} : { format }),
      users: d.users,
      items: d.items,
      ratings: d.ratings,
      density,
      'ratings per user (mean)': d.users > 0 ? d.ratings / d.users : 0,
      ...(d.scale === undefined ? {} : { 'rating scale': `${d.scale[0]} .. ${d.scale[1]}` }),
    }),
  };
}

/**
 * The HTML report of `reckon evaluate --task rating --report FILE`: parameters, data summary, per-fold metric table
 * and chart per algorithm, fit/test seconds, model comparison bars when several algorithms ran, learning curves
 * when a model reported per-epoch metrics.
 */
export function ratingReportHtml(input: RatingReportInput, generatedAt?: Date): string {
  const sections: ReportSection[] = [];
  const algos = input.results.map((r) => r.algo);
  sections.push({
    title: 'Run',
    html: keyValueTable({ task: 'rating prediction, k-fold cross-validation', folds: input.cv, seed: input.seed, algorithms: algos.join(', ') }),
  });
  sections.push(dataSection(input.source, input.format, input.data));
  if (input.results.length > 1) {
    sections.push(comparisonSection(input.results.map((r) => ({ name: r.algo, metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, s]) => [k.toUpperCase(), s.mean])) }))));
  }
  for (const r of input.results) {
    const folds: Record<string, readonly number[]> = {};
    for (const [k, s] of Object.entries(r.metrics)) folds[k.toUpperCase()] = s.folds;
    sections.push(foldMetricsSection(folds, `${r.algo}: metrics per fold`));
  }
  const k = Math.max(...input.results.map((r) => r.fitSeconds.folds.length));
  const rows = input.results.map((r) => [r.algo, r.fitSeconds.mean, r.fitSeconds.std, r.testSeconds.mean, r.testSeconds.std]);
  const timing = barChart(
    'Seconds per fold (mean)',
    algos,
    [
      { name: 'fit', values: input.results.map((r) => r.fitSeconds.mean) },
      { name: 'test', values: input.results.map((r) => r.testSeconds.mean) },
    ],
    { yName: 's', width: 480, height: 300 },
  );
  sections.push({ title: `Time (${k} folds)`, html: htmlTable(['algorithm', 'fit s (mean)', 'fit s (std)', 'test s (mean)', 'test s (std)'], rows) + figure(timing) });
  const lc = learningCurveSection([...foldCurves(input.results), ...(input.learningCurves ?? [])]);
  if (lc !== undefined) sections.push(lc);
  sections.push({
    title: 'Parameters',
    html: input.results.map((r) => `<h3>${escapeHtml(r.algo)}</h3>${keyValueTable(r.params)}`).join(''),
  });
  return htmlPage(`Reckon evaluation: ${algos.join(', ')}`, `${input.cv}-fold cross-validation of rating predictions on ${input.source}`, sections, generatedAt);
}
