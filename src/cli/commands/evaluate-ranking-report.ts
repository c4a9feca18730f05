import { parseParamAssignments } from '../../core/params.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Interactions } from '../../data/interactions.js';
import { type RankingEvaluable, evaluateRanking } from '../../eval/ranking-eval.js';
import { getAlgorithm } from '../../recommenders/index.js';
import { EpochRecorder, type RankingRun, countRecommended, rankingReportHtml } from '../../report/index.js';
import { formatTable, printJson, progressBar } from '../output.js';
import { readAndSplit } from './evaluate-ranking.js';
import { type ItemFeatureFlags, supplyItemFeatures } from './item-features.js';
import { writeReport } from './report.js';

/** Flags of `reckon evaluate --task ranking --report FILE` (several algorithms: --algo als,bpr). */
export interface RankingReportFlags extends ItemFeatureFlags {
  data: string;
  format: string;
  algo: string;
  set: string[];
  protocol?: string;
  k?: string;
  seed: string;
  auc?: boolean;
  json?: boolean;
  report: string;
}

type Fittable = RankingEvaluable & { fit(d: Interactions, o?: object): Promise<unknown>; getParams(): object };

/**
 * Ranking evaluation with a report: per algorithm, fit on the protocol's train split, full-ranking metrics on test,
 * then every test user's top-k list counted per item (popularity distribution, catalog coverage). Epoch metrics a
 * model reports through onProgress become learning curves. Prints the usual table (or JSON lines) and writes the
 * HTML report.
 */
export async function evaluateRankingWithReport(flags: RankingReportFlags): Promise<void> {
  const protocol = flags.protocol ?? 'msr-stratified-75';
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`--seed: expected a non-negative integer, got "${flags.seed}"`);
  const { split } = await readAndSplit(flags.data, flags.format, protocol, seed, progressBar(flags.json === true));
  const k = flags.k === undefined ? split.k : Number(flags.k);
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`-k: expected a positive integer, got "${flags.k}"`);
  const runs: RankingRun[] = [];
  for (const algo of flags.algo.split(',').map((a) => a.trim()).filter((a) => a !== '')) {
    const entry = getAlgorithm(algo, 'ranking');
    const model = entry.create(parseParamAssignments(algo, entry.specs, flags.set)) as unknown as Fittable;
    await supplyItemFeatures(model, flags);
    const recorder = new EpochRecorder();
    const t0 = performance.now();
    await model.fit(split.train, { onProgress: recorder.listener(progressBar(flags.json === true)) });
    const t1 = performance.now();
    const evalBar = progressBar(flags.json === true);
    const opts: Parameters<typeof evaluateRanking>[3] = { k, auc: flags.auc === true, ...(evalBar === undefined ? {} : { onProgress: evalBar }) };
    if (split.valid !== undefined) opts.exclude = split.valid;
    const metrics = evaluateRanking(model, split.train, split.test, opts);
    const t2 = performance.now();
    const users: number[] = [];
    for (let u = 0; u < split.train.nUsers; u++) if (split.train.rowLength(u) > 0) users.push(u);
    // every training user's top-k, in blocks of 1024 users so a bar can follow (counts are per user: same result)
    const recommended = new Int32Array(split.train.nItems);
    const listBar = progressBar(flags.json === true);
    const all = Int32Array.from(users);
    for (let a = 0; a < all.length; a += 1024) {
      const part = countRecommended(model.recommendIndices(all.subarray(a, a + 1024), k, true).indices, split.train.nItems);
      for (let j = 0; j < part.length; j++) recommended[j]! += part[j]!;
      listBar?.({ step: 'lists', done: Math.min(all.length, a + 1024), total: all.length });
    }
    const run: RankingRun = {
      algo,
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
      recommendations: { recommended, popularity: split.train.itemCounts(), users: users.length, k },
      learningCurve: recorder.curve(algo),
    };
    runs.push(run);
    if (flags.json) printJson({ task: 'ranking', ...run, recommendations: undefined, learningCurve: undefined });
    else {
      process.stdout.write(`${algo} on ${flags.data}, protocol ${protocol} (${split.description})\n`);
      const rows: (string | number)[][] = Object.entries(metrics).map(([name, v]) => [name, v]);
      rows.push(['fit s', run.fitSeconds], ['evaluate s', run.evaluateSeconds]);
      process.stdout.write(formatTable(['metric', 'value'], rows));
    }
  }
  writeReport(flags.report, rankingReportHtml(runs, flags.data));
}
