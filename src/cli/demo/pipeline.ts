import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressFn } from '../../core/progress.js';
import { dedupe, dropMissing } from '../../data/clean.js';
import { readCsv } from '../../data/csv.js';
import { eventLogFromFrame, interactionsFromEvents } from '../../data/events.js';
import type { Interactions } from '../../data/interactions.js';
import { checkInteractionsScale } from '../../data/rating-scale.js';
import { readInteractionsCsv } from '../../data/ratings.js';
import { leaveLastN, perUserSplit } from '../../data/splits.js';
import { generateSynthetic } from '../../data/synthetic.js';
import { writeSynthetic } from '../../data/synthetic-io.js';
import { classifyModels, defaultModels, runRankingModels, runRatingModels, type RankingResult, type RatingResult } from './models.js';

/** What `reckon demo` runs. */
export interface DemoOptions {
  out: string;
  seed: number;
  users: number;
  items: number;
  /** Models to train (registered names or the demo's own: global-mean, bias-baseline, popularity); default see models.ts. */
  models?: readonly string[];
  onProgress?: ProgressFn;
}

/** One pipeline step with its wall time in milliseconds and what it did. */
export interface DemoStep {
  step: string;
  ms: number;
  detail: string;
}

/** Shape of a data set summary line. */
export interface MatrixSummary {
  users: number;
  items: number;
  nnz: number;
  density: number;
}

/** Everything the demo did and measured (printed as a summary, or as JSON with --json). */
export interface DemoReport {
  out: string;
  seed: number;
  files: { table: string; path: string; rows: number; bytes: number }[];
  steps: DemoStep[];
  explicit: {
    matrix: MatrixSummary;
    split: string;
    train: number;
    test: number;
    /** RMSE of the generator's own noise-free ratings on all ratings: no model can do much better. */
    noiseFloorRmse: number;
    models: RatingResult[];
  };
  implicit: {
    matrix: MatrixSummary;
    recipe: string;
    split: string;
    k: number;
    models: RankingResult[];
    /** Hit rate of a random top-k list (k / items): the floor any ranker should beat. */
    chanceHitRate: number;
  };
  note: string;
  totalMs: number;
}

const EVENT_WEIGHTS = { view: 1, cart: 3, purchase: 5 };
const HALF_LIFE_DAYS = 30;
const K_CORE = 3;
const TOP_K = 10;

function summary(x: Interactions): MatrixSummary {
  return { users: x.nUsers, items: x.nItems, nnz: x.nnz, density: x.density };
}

/**
 * The demo pipeline: generate a synthetic data set, write it as CSV, read ratings and events back, clean and build
 * interactions, split, train the baselines, and evaluate. Deterministic given the seed (timings aside).
 */
export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const steps: DemoStep[] = [];
  const total = 6;
  const t0 = performance.now();
  let last = t0;
  const done = (step: string, detail: string) => {
    const now = performance.now();
    steps.push({ step, ms: now - last, detail });
    last = now;
    o.onProgress?.({ step: 'demo', done: steps.length, total });
  };

  const data = generateSynthetic({ users: o.users, items: o.items, seed: o.seed });
  const nOrders = new Set(data.purchases.orders).size;
  done('generate', `${data.users.size} users, ${data.items.size} items, ${data.ratings.values.length} ratings, ${data.events.users.length} events, ${nOrders} orders`);

  const written = await writeSynthetic(data, o.out);
  const files = written.map((f) => ({ ...f, bytes: statSync(f.path).size }));
  done('write', `${files.length} CSV files in ${o.out} (${(files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB)`);

  const rPath = join(o.out, 'ratings.csv');
  const ePath = join(o.out, 'events.csv');
  const ratings = await readInteractionsCsv(rPath, { userColumn: 'user_id', itemColumn: 'item_id', valueColumn: 'rating', timestampColumn: 'timestamp', combine: 'last' });
  const eventCols = ['user_id', 'item_id', 'event', 'timestamp'];
  const events = await readCsv(ePath, {
    columns: eventCols,
    types: { user_id: 'categorical', item_id: 'categorical', event: 'categorical', timestamp: 'numeric', session_id: 'categorical' },
    requireFinite: ['timestamp'],
  });
  done('read', `ratings.csv -> CSR (${ratings.nnz} ratings), events.csv -> Frame (${events.nRows} rows)`);

  // clean + interactions: ratings checked against the declared 1-5 scale (repeats: the latest wins, in the reader);
  // events weighted, decayed, summed per pair, then k-core filtered
  checkInteractionsScale(ratings, { min: 1, max: 5 });
  const complete = dropMissing(events, { columns: eventCols });
  const unique = dedupe(complete, { keys: eventCols });
  const log = eventLogFromFrame(unique);
  const raw = interactionsFromEvents(log, { weights: EVENT_WEIGHTS, halfLife: HALF_LIFE_DAYS * 86400 });
  const implicit = interactionsFromEvents(log, { weights: EVENT_WEIGHTS, halfLife: HALF_LIFE_DAYS * 86400, kCore: K_CORE });
  const recipe = `weights view=1 cart=3 purchase=5, sum per pair, half-life ${HALF_LIFE_DAYS} days, ${K_CORE}-core`;
  done(
    'clean',
    `ratings on the 1-5 scale, ${data.ratings.values.length - ratings.nnz} repeats; events: ${events.nRows - complete.nRows} incomplete, ` +
      `${complete.nRows - unique.nRows} duplicates dropped; ${K_CORE}-core removed ${raw.nUsers - implicit.nUsers} users, ${raw.nItems - implicit.nItems} items`,
  );

  const exSplit = perUserSplit(ratings, { testRatio: 0.2, seed: o.seed });
  const imSplit = leaveLastN(implicit, { n: 1 });
  done('split', `ratings per-user 80/20 (${exSplit.train.nnz} / ${exSplit.test.nnz}); events leave-last-1 by time (${imSplit.train.nnz} / ${imSplit.test.nnz})`);

  const chosen = o.models === undefined ? defaultModels() : classifyModels(o.models);
  const ratingResults = await runRatingModels(chosen.rating, exSplit.train, exSplit.test, o.seed, o.onProgress);
  const rankingResults = await runRankingModels(chosen.ranking, imSplit.train, imSplit.test, TOP_K, o.seed, o.onProgress);
  const all = [...ratingResults, ...rankingResults];
  done('train+eval', `${all.length} models: ${all.map((m) => (m.source === 'demo' ? `${m.model} (demo)` : m.model)).join(', ')}`);

  return {
    out: o.out,
    seed: o.seed,
    files,
    steps,
    explicit: {
      matrix: summary(ratings),
      split: 'per-user 80/20',
      train: exSplit.train.nnz,
      test: exSplit.test.nnz,
      noiseFloorRmse: data.ratings.noiseFloorRmse,
      models: ratingResults,
    },
    implicit: {
      matrix: summary(implicit),
      recipe,
      split: 'leave-last-1',
      k: TOP_K,
      models: rankingResults,
      chanceHitRate: Math.min(1, TOP_K / implicit.nItems),
    },
    note: all.some((m) => m.source === 'demo')
      ? 'Models marked (demo) are the demo\'s own baselines (global mean, ALS-fitted user/item biases, popularity), used while no registered recommender is chosen.'
      : 'All models are registered Reckon recommenders with their default params.',
    totalMs: performance.now() - t0,
  };
}
