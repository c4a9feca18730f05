import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseParamAssignments } from '../../core/params.js';
import type { ProgressFn } from '../../core/progress.js';
import type { Interactions } from '../../data/interactions.js';
import { type MovieLensFormat, MOVIELENS_FORMATS, loadMovieLens, movieLensRatingsFile, ratingsRowOrder, readRatings } from '../../data/movielens.js';
import { readInteractionsCsv } from '../../data/ratings.js';
import { type ProtocolOptions, type ProtocolSplit, splitByProtocol } from '../../eval/protocols.js';
import { type RankingReport, evaluateRanking } from '../../eval/ranking-eval.js';
import { type FullScorer, evaluateSampledRanking } from '../../eval/sampled-ranking.js';
import type { RankingEvaluable } from '../../eval/ranking-eval.js';
import { getAlgorithm } from '../../recommenders/index.js';
import { formatTable, printJson, progressBar } from '../output.js';
import { EVALUATE_TASKS } from './evaluate.js';
import { type ItemFeatureFlags, supplyItemFeatures } from './item-features.js';

/** Flags the ranking branch of `reckon evaluate` reads. */
export interface RankingEvaluateFlags extends ItemFeatureFlags {
  data: string;
  format: string;
  algo: string;
  set: string[];
  protocol?: string;
  k?: string;
  seed: string;
  auc?: boolean;
  /** Also compute sampled metrics against this many random negatives (labelled `sampled<n>-`). */
  sampledNegatives?: string;
  json?: boolean;
}

/** The JSON of a ranking evaluation: metric keys such as `ndcg@10`, `precision@10`, `recall@10`, `map@10`. */
export interface RankingEvaluateResult {
  task: 'ranking';
  algo: string;
  protocol: string;
  protocolDescription: string;
  k: number;
  seed: number;
  params: Record<string, unknown>;
  trainInteractions: number;
  testInteractions: number;
  fitSeconds: number;
  evaluateSeconds: number;
  metrics: RankingReport;
}

/** Reads interactions: a MovieLens folder or ratings file (ml-100k, ml-latest, ml-1m) or a CSV file (format csv). */
export async function readInteractionData(path: string, format: string, onProgress?: ProgressFn): Promise<Interactions> {
  const progress = onProgress === undefined ? {} : { onProgress };
  if (format === 'csv') return readInteractionsCsv(path, progress);
  if (!(MOVIELENS_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidArgumentError(`--format: expected one of ${[...MOVIELENS_FORMATS, 'csv'].join(', ')}, got "${format}"`, { format });
  }
  const fmt = format as MovieLensFormat;
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    // as the rating task: an ml-100k folder with u.data but no u.item is read for its ratings alone
    if (fmt === 'ml-100k' && existsSync(join(path, 'u.data')) && !existsSync(join(path, 'u.item'))) return readRatings(join(path, 'u.data'), { format: fmt, ...progress });
    return (await loadMovieLens(path, fmt, progress)).ratings;
  }
  return readRatings(path, { format: fmt, ...progress });
}

/**
 * Reads the data and splits it by `protocol`. For MovieLens data the `msr-*` protocols get the file's row order, so
 * they hold out exactly the rows Microsoft Recommenders' pandas splitters hold out (other inputs: storage order).
 */
export async function readAndSplit(path: string, format: string, protocol: string, seed: number, onProgress?: ProgressFn): Promise<{ data: Interactions; split: ProtocolSplit }> {
  const data = await readInteractionData(path, format, onProgress);
  const opts: ProtocolOptions = {};
  if (protocol.startsWith('msr-') && (MOVIELENS_FORMATS as readonly string[]).includes(format)) {
    const fmt = format as MovieLensFormat;
    const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? movieLensRatingsFile(path, fmt) : path;
    opts.rowOrder = await ratingsRowOrder(file, fmt, data);
  }
  return { data, split: splitByProtocol(protocol, data, seed, opts) };
}

/**
 * Splits by a named protocol, fits the algorithm on train and evaluates full ranking on test (see
 * eval/ranking-eval.ts). Every rating counts as a positive; the model sees the values as confidences.
 */
export async function runRankingEvaluation(flags: RankingEvaluateFlags, quiet = true): Promise<RankingEvaluateResult> {
  const entry = getAlgorithm(flags.algo, 'ranking');
  const protocol = flags.protocol ?? 'msr-stratified-75';
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`--seed: expected a non-negative integer, got "${flags.seed}"`);
  const params = parseParamAssignments(flags.algo, entry.specs, flags.set);
  const bar = progressBar(quiet);
  const { split } = await readAndSplit(flags.data, flags.format, protocol, seed, bar);
  const k = flags.k === undefined ? split.k : Number(flags.k);
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`-k: expected a positive integer, got "${flags.k}"`);
  const model = entry.create(params) as unknown as RankingEvaluable & { fit(d: Interactions, o?: object): Promise<unknown>; getParams(): object };
  await supplyItemFeatures(model, flags);
  const t0 = performance.now();
  await model.fit(split.train, bar === undefined ? {} : { onProgress: bar });
  const t1 = performance.now();
  const opts: Parameters<typeof evaluateRanking>[3] = { k, auc: flags.auc === true, ...(bar === undefined ? {} : { onProgress: bar }) };
  if (split.valid !== undefined) opts.exclude = split.valid;
  const metrics = evaluateRanking(model, split.train, split.test, opts);
  if (flags.sampledNegatives !== undefined) {
    const n = Number(flags.sampledNegatives);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--sampled-negatives: expected a positive integer, got "${flags.sampledNegatives}"`);
    const sampled = evaluateSampledRanking(model as unknown as FullScorer, split.train, split.test, { k, negatives: n, seed, ...(bar === undefined ? {} : { onProgress: bar }) });
    for (const [key, v] of Object.entries(sampled)) if (key.startsWith('sampled')) metrics[key] = v;
  }
  const t2 = performance.now();
  return {
    task: 'ranking',
    algo: flags.algo,
    protocol,
    protocolDescription: split.description,
    k,
    seed,
    params: { ...model.getParams() },
    trainInteractions: split.train.nnz,
    testInteractions: split.test.nnz,
    fitSeconds: (t1 - t0) / 1000,
    evaluateSeconds: (t2 - t1) / 1000,
    metrics,
  };
}

/** The ranking branch of `reckon evaluate`: runs and prints a table, or one JSON line with `--json`. */
export async function evaluateRankingCommand(flags: RankingEvaluateFlags): Promise<void> {
  const r = await runRankingEvaluation(flags, flags.json === true);
  if (flags.json) {
    // metric keys (ndcg@10, precision@10, ...) also at the top level for scripts
    printJson({ ...r, ...r.metrics });
    return;
  }
  process.stdout.write(`${r.algo} on ${flags.data}, protocol ${r.protocol} (${r.protocolDescription})\n`);
  const rows: (string | number)[][] = Object.entries(r.metrics).map(([name, v]) => [name, v]);
  rows.push(['fit s', r.fitSeconds], ['evaluate s', r.evaluateSeconds]);
  process.stdout.write(formatTable(['metric', 'value'], rows));
}

/** Adds the 'ranking' task to `reckon evaluate` (call once, after registerEvaluate). */
export function registerRankingEvaluation(): void {
  EVALUATE_TASKS['ranking'] = evaluateRankingCommand;
}
