import { InvalidArgumentError } from '../core/errors.js';
import { type ProgressFn, throttleProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { topK } from '../core/topk.js';
import type { Interactions } from '../data/interactions.js';
import { containsSorted, emptyScores, userRankingScores } from './ranking.js';

/** A model that can score every item for a user index of its training matrix. */
export interface FullScorer {
  scoreInto(u: number, out: Float32Array): void;
}

/**
 * SAMPLED ranking metrics, for comparison with papers that rank each user's test items against N sampled
 * negatives (e.g. "HR@10 vs 100 negatives"). They are optimistic and NOT comparable with full ranking
 * ({@link evaluateRanking}); every key is prefixed `sampled<N>-` so they cannot be mistaken for it.
 * Per user with test items: candidates = test items + N distinct uniform items outside the user's train and test
 * sets (seeded); the top k of the candidates are scored with binary relevance. `test` must share `train`'s id maps.
 */
export function evaluateSampledRanking(model: FullScorer, train: Interactions, test: Interactions, opts: { k: number; negatives: number; seed?: number; onProgress?: ProgressFn }): Record<string, number> {
  const { k, negatives } = opts;
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`evaluateSampledRanking: k must be a positive integer, got ${k}`);
  if (!Number.isInteger(negatives) || negatives < 1) throw new InvalidArgumentError(`evaluateSampledRanking: negatives must be a positive integer, got ${negatives}`);
  if (test.users !== train.users || test.items !== train.items) throw new InvalidArgumentError('evaluateSampledRanking: test must share the training id maps (split with splitByProtocol)');
  const rng = new Rng(opts.seed ?? 0);
  const nI = train.nItems;
  const scores = new Float32Array(nI);
  const s = emptyScores();
  let ndcg = 0;
  let hit = 0;
  let recall = 0;
  let users = 0;
  const progress = throttleProgress(opts.onProgress);
  for (let u = 0; u < test.nUsers; u++) {
    if (progress !== undefined && (u & 255) === 0) progress({ step: 'sampled', done: u, total: test.nUsers });
    const rel = test.rowIndices(u);
    if (rel.length === 0 || train.rowLength(u) === 0) continue;
    const seen = train.rowIndices(u);
    const room = nI - seen.length - rel.length;
    const n = Math.min(negatives, room);
    const cand = new Int32Array(rel.length + n);
    cand.set(rel);
    const chosen = new Set<number>();
    while (chosen.size < n) {
      const j = rng.int(nI);
      if (!containsSorted(seen, j) && !containsSorted(rel, j)) chosen.add(j);
    }
    let w = rel.length;
    for (const j of chosen) cand[w++] = j;
    model.scoreInto(u, scores);
    const cs = new Float32Array(cand.length);
    for (let c = 0; c < cand.length; c++) cs[c] = scores[cand[c]!]!;
    const top = topK(cs, k);
    const list = new Int32Array(k).fill(-1);
    for (let r = 0; r < top.indices.length; r++) list[r] = cand[top.indices[r]!]!;
    userRankingScores(list, 0, k, rel, s);
    ndcg += s.ndcg;
    hit += s.hits > 0 ? 1 : 0;
    recall += s.recall;
    users++;
  }
  const m = Math.max(1, users);
  opts.onProgress?.({ step: 'sampled', done: test.nUsers, total: test.nUsers });
  return { [`sampled${negatives}-ndcg@${k}`]: ndcg / m, [`sampled${negatives}-hit@${k}`]: hit / m, [`sampled${negatives}-recall@${k}`]: recall / m, sampledNegatives: negatives, users };
}
