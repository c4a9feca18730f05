import { barChart, lineChart } from './charts.js';
import { type ReportSection, figure, htmlPage, htmlTable, keyValueTable } from './html.js';
import { type LearningCurve, comparisonSection, learningCurveSection } from './sections.js';

/** Which items the model recommended, to measure popularity bias and coverage. */
export interface RecommendationStats {
  /** Times each item (dense index) appears in the users' top-k lists. */
  recommended: ArrayLike<number>;
  /** Training interactions per item (same indexing). */
  popularity: ArrayLike<number>;
  /** Number of users whose lists were counted, and k. */
  users: number;
  k: number;
}

/** One ranking evaluation (the JSON of `reckon evaluate --task ranking` plus optional recommendation counts). */
export interface RankingRun {
  algo: string;
  protocol: string;
  protocolDescription?: string;
  k: number;
  seed: number;
  params: Record<string, unknown>;
  trainInteractions: number;
  testInteractions: number;
  fitSeconds: number;
  evaluateSeconds: number;
  metrics: Record<string, number>;
  recommendations?: RecommendationStats;
  learningCurve?: LearningCurve;
}

/** Popularity bias in figures: decile shares, catalog coverage and the Gini index of recommendation counts. */
export interface PopularityProfile {
  /** Share of training interactions and of recommendations per item-popularity decile (most popular first). */
  deciles: { interactions: number[]; recommendations: number[] };
  /** Distinct items recommended / catalog size. */
  coverage: number;
  /** Gini index of recommendation counts over the catalog (0 = even, 1 = one item gets everything). */
  gini: number;
  /** Lorenz curve of recommendation counts: cumulative share of items (x) vs of recommendations (y). */
  lorenz: { x: Float64Array; y: Float64Array };
}

/** Computes the popularity profile. Items are ranked by training popularity (ties by index); O(n log n). */
export function popularityProfile(s: RecommendationStats, bins = 10): PopularityProfile {
  const n = Math.min(s.recommended.length, s.popularity.length);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => s.popularity[b]! - s.popularity[a]! || a - b);
  let totalPop = 0;
  let totalRec = 0;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    totalPop += s.popularity[i]!;
    totalRec += s.recommended[i]!;
    if (s.recommended[i]! > 0) distinct++;
  }
  const inter = new Array<number>(bins).fill(0);
  const rec = new Array<number>(bins).fill(0);
  for (let r = 0; r < n; r++) {
    const b = Math.min(bins - 1, Math.floor((r * bins) / n));
    inter[b]! += totalPop > 0 ? s.popularity[order[r]!]! / totalPop : 0;
    rec[b]! += totalRec > 0 ? s.recommended[order[r]!]! / totalRec : 0;
  }
  // Lorenz curve and Gini over recommendation counts sorted ascending.
  const counts = Float64Array.from({ length: n }, (_, i) => s.recommended[i]!).sort();
  const lx = new Float64Array(n + 1);
  const ly = new Float64Array(n + 1);
  let cum = 0;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const prev = totalRec > 0 ? cum / totalRec : 0;
    cum += counts[i]!;
    lx[i + 1] = (i + 1) / n;
    ly[i + 1] = totalRec > 0 ? cum / totalRec : 0;
    area += (prev + ly[i + 1]!) / (2 * n);
  }
  return { deciles: { interactions: inter, recommendations: rec }, coverage: n > 0 ? distinct / n : 0, gini: totalRec > 0 ? 1 - 2 * area : 0, lorenz: { x: lx, y: ly } };
}

function popularitySection(run: RankingRun): ReportSection | undefined {
  const s = run.recommendations;
  if (s === undefined) return undefined;
  const p = popularityProfile(s);
  const labels = p.deciles.interactions.map((_, i) => `${i * 10}-${i * 10 + 10}%`);
  const bars = barChart(
    'Share per item-popularity decile (most popular first)',
    labels,
    [
      { name: 'training interactions', values: p.deciles.interactions },
      { name: `recommendations (top ${s.k})`, values: p.deciles.recommendations },
    ],
    { width: 620, height: 320 },
  );
  const lorenz = lineChart(
    'Concentration of recommendations (Lorenz)',
    [
      { name: run.algo, x: p.lorenz.x, y: p.lorenz.y },
      { name: 'even', x: [0, 1], y: [0, 1], dashed: true },
    ],
    { unitSquare: true, xName: 'share of items', yName: 'share of recs' },
  );
  const table = keyValueTable({ 'users with lists': s.users, k: s.k, 'catalog items': s.recommended.length, 'catalog coverage': p.coverage, 'Gini of recommendation counts': p.gini });
  return { title: `${run.algo}: popularity of recommendations and catalog coverage`, html: table + figure(bars) + figure(lorenz) };
}

/**
 * The HTML report of `reckon evaluate --task ranking --report FILE`: per run, parameters, data sizes, metric bars,
 * and (when recommendation counts are given) popularity distribution and catalog coverage; comparison bars across
 * runs; learning curves when models reported per-epoch metrics.
 */
export function rankingReportHtml(runs: readonly RankingRun[], source: string, generatedAt?: Date): string {
  const sections: ReportSection[] = [];
  const first = runs[0];
  if (first !== undefined) {
    sections.push({
      title: 'Run',
      html: keyValueTable({
        task: 'top-k ranking',
        protocol: first.protocolDescription === undefined ? first.protocol : `${first.protocol} (${first.protocolDescription})`,
        k: first.k,
        seed: first.seed,
        source,
        'train interactions': first.trainInteractions,
        'test interactions': first.testInteractions,
      }),
    });
  }
  if (runs.length > 1) {
    const scores = runs.map((r) => ({ name: r.algo, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([n]) => n !== 'users')) }));
    sections.push(comparisonSection(scores));
  }
  for (const r of runs) {
    const names = Object.keys(r.metrics);
    // Rates in [0, 1] share one axis; counts and unbounded scores (users, novelty) stay in the table.
    const rates = names.filter((n) => r.metrics[n]! >= 0 && r.metrics[n]! <= 1);
    const bars = barChart(`${r.algo}: metrics at k=${r.k}`, rates, [{ name: r.algo, values: rates.map((n) => r.metrics[n]!) }], { width: 620, height: 300 });
    sections.push({
      title: `${r.algo}: metrics`,
      html:
        htmlTable(['metric', 'value'], [...names.map((n) => [n, r.metrics[n]!]), ['fit s', r.fitSeconds], ['evaluate s', r.evaluateSeconds]]) +
        figure(bars) +
        `<h3>Parameters</h3>${keyValueTable(r.params)}`,
    });
    const pop = popularitySection(r);
    if (pop !== undefined) sections.push(pop);
  }
  const lc = learningCurveSection(runs.flatMap((r) => (r.learningCurve === undefined ? [] : [r.learningCurve])));
  if (lc !== undefined) sections.push(lc);
  return htmlPage(`Reckon ranking evaluation: ${runs.map((r) => r.algo).join(', ')}`, `Top-k ranking on ${source}`, sections, generatedAt);
}

/** Counts how often each item appears in a batch of top-k lists (indices < 0 are padding and skipped). */
export function countRecommended(indices: Int32Array, nItems: number): Int32Array {
  const out = new Int32Array(nItems);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (j >= 0 && j < nItems) out[j]!++;
  }
  return out;
}
