import { InvalidArgumentError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import type { Interactions } from '../../data/interactions.js';
import '../../recommenders/index.js';
import { getAlgorithm, listAlgorithms } from '../../recommenders/registry.js';
import { fitBiasBaseline, popularityScores, scoreRanking, scoreRatings, scoreTopLists, type RankingScores } from './baselines.js';

/**
 * Which models the demo trains: registered recommenders (src/recommenders registry) when they exist, otherwise the
 * demo's own baselines. Registered models are created with their default params and fitted with the demo's seed.
 */

/** The demo's own models, always available by name. */
export const BUILTIN_RATING = ['global-mean', 'bias-baseline'] as const;
export const BUILTIN_RANKING = ['popularity'] as const;
/** Registered models the demo prefers, in this order, when they are registered. */
export const PREFERRED_RATING = ['baseline', 'svd'];
export const PREFERRED_RANKING = ['popular', 'item-knn', 'sar'];

/** Rating figures for one model; `source` says whether it is a registered recommender or the demo's own. */
export interface RatingResult {
  model: string;
  source: 'registry' | 'demo';
  rmse: number;
  mae: number;
  /** Wall time of fitting and of scoring the test set, milliseconds. */
  fitMs: number;
  evalMs: number;
}

export interface RankingResult extends RankingScores {
  model: string;
  source: 'registry' | 'demo';
  fitMs: number;
  evalMs: number;
}

/** The default model lists: the preferred registered ones that exist, else the built-ins. */
export function defaultModels(): { rating: string[]; ranking: string[] } {
  const ratingNames = new Set(listAlgorithms('rating').map((a) => a.name));
  const rankingNames = new Set(listAlgorithms('ranking').map((a) => a.name));
  const rating = PREFERRED_RATING.filter((n) => ratingNames.has(n));
  const ranking = PREFERRED_RANKING.filter((n) => rankingNames.has(n));
  return { rating: rating.length > 0 ? rating : [...BUILTIN_RATING], ranking: ranking.length > 0 ? ranking : [...BUILTIN_RANKING] };
}

/** Splits `--models a,b` into rating and ranking names (each checked against the registry or the built-ins). */
export function classifyModels(names: readonly string[]): { rating: string[]; ranking: string[] } {
  const out = { rating: [] as string[], ranking: [] as string[] };
  for (const n of names) {
    if ((BUILTIN_RATING as readonly string[]).includes(n)) out.rating.push(n);
    else if ((BUILTIN_RANKING as readonly string[]).includes(n)) out.ranking.push(n);
    else out[getAlgorithm(n).task].push(n);
  }
  return out;
}

/** Fits each rating model on `train` and scores RMSE/MAE on every `test` entry (predictions clipped to [1, 5]). */
export async function runRatingModels(names: readonly string[], train: Interactions, test: Interactions, seed: number, onProgress?: ProgressFn): Promise<RatingResult[]> {
  const out: RatingResult[] = [];
  for (const name of names) {
    const t0 = performance.now();
    if (name === 'global-mean' || name === 'bias-baseline') {
      const m = fitBiasBaseline(train, { epochs: name === 'bias-baseline' ? 10 : 0 });
      const t1 = performance.now();
      const s = scoreRatings(m, test, 1, 5, name === 'bias-baseline');
      out.push({ model: name, source: 'demo', ...s, fitMs: t1 - t0, evalMs: performance.now() - t1 });
    } else {
      const model = getAlgorithm(name, 'rating').create();
      await model.fit(train, { seed, ...(onProgress === undefined ? {} : { onProgress }) });
      const fitMs = performance.now() - t0;
      if (model.predict === undefined) throw new InvalidArgumentError(`model "${name}" is registered for ratings but has no predict()`);
      let se = 0;
      let ae = 0;
      for (let u = 0; u < test.nUsers; u++) {
        const uid = test.users.idAt(u);
        for (let k = test.indptr[u]!; k < test.indptr[u + 1]!; k++) {
          const p = Math.min(5, Math.max(1, model.predict(uid, test.items.idAt(test.indices[k]!)).estimate));
          const d = test.values[k]! - p;
          se += d * d;
          ae += Math.abs(d);
        }
      }
      const n = Math.max(test.nnz, 1);
      out.push({ model: name, source: 'registry', rmse: Math.sqrt(se / n), mae: ae / n, fitMs, evalMs: performance.now() - t0 - fitMs });
    }
  }
  return out;
}

/** Fits each ranking model on `train` and scores its top-k lists (training items excluded) against `test`. */
export async function runRankingModels(names: readonly string[], train: Interactions, test: Interactions, k: number, seed: number, onProgress?: ProgressFn): Promise<RankingResult[]> {
  const out: RankingResult[] = [];
  for (const name of names) {
    const t0 = performance.now();
    if (name === 'popularity') {
      const pop = popularityScores(train);
      const t1 = performance.now();
      const s = scoreRanking(pop, train, test, k);
      out.push({ model: name, source: 'demo', ...s, fitMs: t1 - t0, evalMs: performance.now() - t1 });
      continue;
    }
    const model = getAlgorithm(name, 'ranking').create();
    await model.fit(train, { seed, ...(onProgress === undefined ? {} : { onProgress }) });
    const fitMs = performance.now() - t0;
    const s = scoreTopLists(
      (u) => {
        const recs = model.recommend(train.users.idAt(u), k, { excludeSeen: true });
        const idx = new Int32Array(recs.length);
        for (let r = 0; r < recs.length; r++) idx[r] = train.items.indexOf(recs[r]!.id);
        return idx;
      },
      test,
      k,
    );
    out.push({ model: name, source: 'registry', ...s, fitMs, evalMs: performance.now() - t0 - fitMs });
  }
  return out;
}
