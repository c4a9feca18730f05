import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { Rng } from '../../core/rng.js';
import { topK } from '../../core/topk.js';
import type { Param } from './nn/param.js';

/** One point of a learning curve. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Validation NDCG@10 (NaN without validation). */
  ndcg: number;
  seconds: number;
}

/** What a model supplies to {@link trainLoop}. */
export interface TrainTask {
  params: Param[];
  /** One pass over the training data; returns the mean loss. */
  epoch(rng: Rng, epoch: number): number;
  /** Users with a validation target (target item per user, -1 = none). */
  validTarget?: Int32Array;
  /** Writes scores of every item for validation user u into out; `seen` (sorted) is excluded from the ranking. */
  scoreValid?(u: number, out: Float32Array): Int32Array;
  nItems: number;
}

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions {
  epochs: number;
  /** Stop after this many epochs without a better validation NDCG@10 (0 = run every epoch, keep the last). */
  patience: number;
  /** At most this many validation users are scored per epoch (a fixed seeded sample). */
  maxValidUsers: number;
  name: string;
}

/**
 * The training loop every neural model shares: epochs of `task.epoch`, validation NDCG@10 on the held-out last
 * item of each validation user after every epoch, early stopping with patience (the best epoch's weights are
 * restored), progress events `{ step: 'epoch', metrics: { loss, ndcg } }`, and the learning curve returned.
 */
export function trainLoop(task: TrainTask, rng: Rng, loop: TrainLoopOptions, opts: FitOptions): { curve: EpochRecord[]; bestEpoch: number } {
  const curve: EpochRecord[] = [];
  const valid = loop.patience > 0 && task.validTarget !== undefined && task.scoreValid !== undefined ? sampleValid(task.validTarget, loop.maxValidUsers, rng) : undefined;
  let best = -Infinity;
  let bestEpoch = loop.epochs;
  let snapshot: Float32Array[] | undefined;
  let since = 0;
  const scores = new Float32Array(task.nItems);
  for (let e = 1; e <= loop.epochs; e++) {
    throwIfAborted(opts.signal, `${loop.name} training`);
    const t0 = performance.now();
    const loss = task.epoch(rng, e);
    let ndcg = NaN;
    if (valid !== undefined) {
      let sum = 0;
      for (let q = 0; q < valid.length; q++) {
        const u = valid[q]!;
        const seen = task.scoreValid!(u, scores);
        const top = topK(scores, 10, seen);
        const target = task.validTarget![u]!;
        for (let r = 0; r < top.indices.length; r++) {
          if (top.indices[r] === target) {
            sum += 1 / Math.log2(r + 2);
            break;
          }
        }
      }
      ndcg = sum / Math.max(1, valid.length);
    }
    curve.push({ epoch: e, loss, ndcg, seconds: (performance.now() - t0) / 1000 });
    opts.onProgress?.({ step: 'epoch', done: e, total: loop.epochs, metrics: Number.isNaN(ndcg) ? { loss } : { loss, ndcg } });
    if (valid === undefined) continue;
    if (ndcg > best) {
      best = ndcg;
      bestEpoch = e;
      snapshot = task.params.map((p) => Float32Array.from(p.data));
      since = 0;
    } else if (++since >= loop.patience) {
      break;
    }
  }
  if (snapshot !== undefined) for (let k = 0; k < task.params.length; k++) task.params[k]!.data.set(snapshot[k]!);
  return { curve, bestEpoch };
}

function sampleValid(target: Int32Array, max: number, rng: Rng): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < target.length; u++) if (target[u]! >= 0) users.push(u);
  if (users.length <= max) return Int32Array.from(users);
  const pick = rng.sampleWithoutReplacement(users.length, max);
  const out = new Int32Array(max);
  for (let q = 0; q < max; q++) out[q] = users[pick[q]!]!;
  return out.sort();
}
