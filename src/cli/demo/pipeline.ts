import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressFn } from '../../core/progress.js';
import { eventLogFromStrings, interactionsFromEvents } from '../../data/events.js';
import type { Interactions } from '../../data/interactions.js';
import { interactionsFromRatings } from '../../data/rating-scale.js';
import { leaveLastN, perUserSplit } from '../../data/splits.js';
import { generateSynthetic } from '../../data/synthetic.js';
import { writeSynthetic } from '../../data/synthetic-io.js';
import { fitBiasBaseline, popularityScores, scoreRanking, scoreRatings } from './baselines.js';
import { numberColumn, readSimpleCsv, textColumn } from './read-back.js';

/** What `reckon demo` runs. */
export interface DemoOptions {
  out: string;
  seed: number;
  users: number;
  items: number;
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
    models: { model: string; rmse: number; mae: number }[];
  };
  implicit: {
    matrix: MatrixSummary;
    recipe: string;
    split: string;
    k: number;
    models: { model: string; users: number; hitRate: number; precision: number; recall: number; ndcg: number }[];
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
  const total = 7;
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
  const rt = await readSimpleCsv(rPath, ['user_id', 'item_id', 'rating', 'timestamp']);
  const et = await readSimpleCsv(ePath, ['user_id', 'item_id', 'event', 'timestamp']);
  done('read', `ratings.csv ${rt.rows} rows, events.csv ${et.rows} rows`);

  // clean + interactions: ratings checked against the declared 1-5 scale (repeats: the latest wins);
  // events weighted, decayed, summed per pair, then k-core filtered
  const ratings = interactionsFromRatings(textColumn(rt, 'user_id'), textColumn(rt, 'item_id'), numberColumn(rt, 'rating', rPath), {
    scale: { min: 1, max: 5 },
    timestamps: numberColumn(rt, 'timestamp', rPath),
  });
  const log = eventLogFromStrings(textColumn(et, 'user_id'), textColumn(et, 'item_id'), textColumn(et, 'event'), numberColumn(et, 'timestamp', ePath));
  const raw = interactionsFromEvents(log, { weights: EVENT_WEIGHTS, halfLife: HALF_LIFE_DAYS * 86400 });
  const implicit = interactionsFromEvents(log, { weights: EVENT_WEIGHTS, halfLife: HALF_LIFE_DAYS * 86400, kCore: K_CORE });
  const recipe = `weights view=1 cart=3 purchase=5, sum per pair, half-life ${HALF_LIFE_DAYS} days, ${K_CORE}-core`;
  done(
    'clean',
    `ratings checked on the 1-5 scale (${rt.rows - ratings.nnz} repeats combined); events weighted and decayed, ` +
      `${K_CORE}-core removed ${raw.nUsers - implicit.nUsers} users, ${raw.nItems - implicit.nItems} items, ${raw.nnz - implicit.nnz} pairs`,
  );

  const exSplit = perUserSplit(ratings, { testRatio: 0.2, seed: o.seed });
  const imSplit = leaveLastN(implicit, { n: 1 });
  done('split', `ratings per-user 80/20 (${exSplit.train.nnz} / ${exSplit.test.nnz}); events leave-last-1 by time (${imSplit.train.nnz} / ${imSplit.test.nnz})`);

  const bias = fitBiasBaseline(exSplit.train, { epochs: 10 });
  const pop = popularityScores(imSplit.train);
  done('train', 'bias baseline (mu + b_u + b_i, ALS, 10 epochs); popularity (users per item)');

  const meanScore = scoreRatings(bias, exSplit.test, 1, 5, false);
  const biasScore = scoreRatings(bias, exSplit.test, 1, 5, true);
  const popScore = scoreRanking(pop, imSplit.train, imSplit.test, TOP_K);
  done('evaluate', `RMSE/MAE on ${exSplit.test.nnz} held-out ratings; top-${TOP_K} metrics for ${popScore.users} users`);

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
      models: [
        { model: 'global-mean', ...meanScore },
        { model: 'bias-baseline', ...biasScore },
      ],
    },
    implicit: {
      matrix: summary(implicit),
      recipe,
      split: 'leave-last-1',
      k: TOP_K,
      models: [{ model: 'popularity', ...popScore }],
      chanceHitRate: Math.min(1, TOP_K / implicit.nItems),
    },
    note: 'Models: the demo\'s own global-mean, bias and popularity baselines (no trained recommenders are registered yet).',
    totalMs: performance.now() - t0,
  };
}
