import { InvalidArgumentError, throwIfAborted } from '../core/errors.js';
import type { RunOptions } from '../core/progress.js';
import type { Interactions } from '../data/interactions.js';
import {
  type TopKBatch,
  catalogCoverage,
  containsSorted,
  cosineOfColumns,
  emptyScores,
  intraListDiversity,
  novelty,
  userAuc,
  userRankingScores,
} from './ranking.js';

/** What ranking evaluation needs from a model: batched top-k over user indices of its training matrix. */
export interface RankingEvaluable {
  recommendIndices(users: Int32Array, k: number, exclude: boolean): TopKBatch;
  /** Full scores for one user (needed for AUC only). */
  scoreInto?(u: number, out: Float32Array): void;
}

export interface RankingEvalOptions extends RunOptions {
  k: number;
  /** Extra items to leave out of each user's ranking besides training items (e.g. the validation part). */
  exclude?: Interactions;
  /** Compute AUC over the full candidate set (costs a sort per user). Default false. */
  auc?: boolean;
  /** Compute intra-list diversity (binary cosine of training columns). Default true. */
  diversity?: boolean;
  /** Users per batch handed to the model. Default 1024. */
  batchSize?: number;
}

/**
 * Metrics keyed as in the CLI's JSON (`ndcg@10`, `precision@10`, `recall@10`, `map@10`, `map-msr@10` (AP divided by
 * |relevant|, Microsoft Recommenders' `map`), `mrr@10`, `hit@10`,
 * `coverage@10`, `novelty@10`, `diversity@10`, optionally `auc`), plus `users` (users evaluated).
 */
export type RankingReport = Record<string, number>;

/**
 * Evaluates a fitted model under full ranking: for every user with at least one test item, the model ranks all
 * items not in that user's training set (and not in `exclude`), and the top k are scored against the test items
 * (binary relevance). `train` must be the matrix the model was fitted on; `test` may use its own id maps (users and
 * items are matched by id; test items unknown to training can never be hit but still count as relevant).
 * Per-user means; no sampling of negatives.
 */
export function evaluateRanking(model: RankingEvaluable, train: Interactions, test: Interactions, opts: RankingEvalOptions): RankingReport {
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`evaluateRanking: k must be a positive integer, got ${k}`);
  const sameUsers = test.users === train.users;
  const sameItems = test.items === train.items;
  const users: number[] = [];
  const testRows: number[] = [];
  for (let tu = 0; tu < test.nUsers; tu++) {
    if (test.rowLength(tu) === 0) continue;
    const u = sameUsers ? tu : train.users.indexOf(test.users.idAt(tu));
    users.push(u);
    testRows.push(tu);
  }
  const nEval = users.length;
  const extra = opts.exclude;
  let maxExtra = 0;
  const extraRow = (u: number): Int32Array => {
    if (extra === undefined || u < 0) return new Int32Array(0);
    const eu = extra.users === train.users ? u : extra.users.indexOf(train.users.idAt(u));
    return eu < 0 ? new Int32Array(0) : extra.rowIndices(eu);
  };
  if (extra !== undefined) for (const u of users) maxExtra = Math.max(maxExtra, extraRow(u).length);
  const kAsk = k + maxExtra;
  const batchSize = opts.batchSize ?? 1024;
  const s = emptyScores();
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  let mapRelevant = 0;
  let mrr = 0;
  let hit = 0;
  let aucSum = 0;
  let aucN = 0;
  const all: TopKBatch = { k, indices: new Int32Array(nEval * k).fill(-1), scores: new Float32Array(nEval * k) };
  const scoresBuf = opts.auc && model.scoreInto !== undefined ? new Float32Array(train.nItems) : undefined;
  if (opts.auc && model.scoreInto === undefined) throw new InvalidArgumentError('evaluateRanking: auc needs a model with scoreInto');
  for (let b0 = 0; b0 < nEval; b0 += batchSize) {
    throwIfAborted(opts.signal, 'ranking evaluation');
    const b1 = Math.min(nEval, b0 + batchSize);
    const batchUsers = Int32Array.from(users.slice(b0, b1));
    const top = model.recommendIndices(batchUsers, kAsk, true);
    for (let r = 0; r < b1 - b0; r++) {
      const row = b0 + r;
      const u = users[row]!;
      const ex = extraRow(u);
      // copy the first k entries not in the extra exclusion into the merged batch
      let w = 0;
      for (let c = 0; c < kAsk && w < k; c++) {
        const i = top.indices[r * kAsk + c]!;
        if (i < 0) break;
        if (ex.length > 0 && containsSorted(ex, i)) continue;
        all.indices[row * k + w] = i;
        all.scores[row * k + w] = top.scores[r * kAsk + c]!;
        w++;
      }
      const rel = relevantOf(test, testRows[row]!, train, sameItems);
      userRankingScores(all.indices, row * k, k, rel, s);
      precision += s.precision;
      recall += s.recall;
      ndcg += s.ndcg;
      map += s.ap;
      mapRelevant += s.apRelevant;
      mrr += s.rr;
      hit += s.hits > 0 ? 1 : 0;
      if (scoresBuf !== undefined && u >= 0 && train.rowLength(u) > 0) {
        model.scoreInto!(u, scoresBuf);
        const exclude = mergeSorted(train.rowIndices(u), ex);
        const a = userAuc(scoresBuf, exclude, rel);
        if (!Number.isNaN(a)) {
          aucSum += a;
          aucN++;
        }
      }
    }
    opts.onProgress?.({ step: 'evaluate', done: b1, total: nEval });
  }
  const n = Math.max(1, nEval);
  const report: RankingReport = {
    [`precision@${k}`]: precision / n,
    [`recall@${k}`]: recall / n,
    [`ndcg@${k}`]: ndcg / n,
    [`map@${k}`]: map / n,
    // Microsoft Recommenders' `map` (AP over |relevant|): the "MAP" column of its published benchmark table
    [`map-msr@${k}`]: mapRelevant / n,
    [`mrr@${k}`]: mrr / n,
    [`hit@${k}`]: hit / n,
    [`coverage@${k}`]: catalogCoverage(all, train.nItems),
    [`novelty@${k}`]: novelty(all, train.itemCounts(), train.nUsers),
  };
  if (opts.diversity !== false) {
    const csc = train.csc();
    report[`diversity@${k}`] = intraListDiversity(all, (i, j) => cosineOfColumns(csc.indptr, csc.indices, i, j));
  }
  if (opts.auc) report['auc'] = aucN === 0 ? NaN : aucSum / aucN;
  report['users'] = nEval;
  return report;
}

/** Test items of test row `tu` as ascending training item indices (items unknown to training map to -1-based sentinels). */
function relevantOf(test: Interactions, tu: number, train: Interactions, sameItems: boolean): Int32Array {
  const row = test.rowIndices(tu);
  if (sameItems) return row;
  const out = new Int32Array(row.length);
  let unknown = -2;
  for (let t = 0; t < row.length; t++) {
    const i = train.items.indexOf(test.items.idAt(row[t]!));
    out[t] = i >= 0 ? i : unknown--;
  }
  return out.sort();
}

function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
}
