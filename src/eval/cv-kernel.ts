/**
 * Worker-pool kernel for parallel cross-validation folds (see cv.ts `runSplits`): each index in [start, end) is one
 * fold, fitted and scored inside the worker. Importing the recommenders registers every algorithm in this thread.
 */
import '../recommenders/index.js';
import { type FoldJobArgs, type FoldResult, evaluateSplit, foldFigures, unpackSplit } from './cv.js';

/** Runs folds [start, end) and returns their figures (predictions stay in the worker). */
export async function runFolds(args: FoldJobArgs, start: number, end: number): Promise<FoldResult[]> {
  const out: FoldResult[] = [];
  for (let f = start; f < end; f++) {
    const r = await evaluateSplit(args.algo, args.params, unpackSplit(args.splits[f]!), args.metrics, args.seed === undefined ? {} : { seed: args.seed });
    out.push(foldFigures(r));
  }
  return out;
}
