import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError } from '../../core/errors.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import type { Tensor } from '../../core/safetensors.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import { ImplicitModel } from '../implicit/base.js';
import { checkK } from '../implicit/validate.js';
import type { Param } from './nn/param.js';
import { type Sequences, chronological, holdOutLast } from './sequences.js';
import { type EpochRecord, trainLoop } from './train-loop.js';

/** Params every neural model has (same names as the rest of Reckon). */
export const COMMON_SPECS = {
  factors: { type: 'integer', default: 64, min: 1, max: 1024, doc: 'embedding width' },
  epochs: { type: 'integer', default: 20, min: 1, doc: 'maximum passes over the training data' },
  learningRate: { type: 'number', default: 0.001, min: 0, exclusiveMin: true, doc: 'Adam step size' },
  regularization: { type: 'number', default: 0, min: 0, doc: 'L2 penalty added to the gradient of updated rows' },
  batchSize: { type: 'integer', default: 128, min: 1, doc: 'examples (NCF) or sequence windows per Adam step' },
  patience: { type: 'integer', default: 3, min: 0, doc: 'early stopping: epochs without better validation NDCG@10 (0 = no validation, run all epochs)' },
  seed: { type: 'integer', default: 42, doc: 'seed of initialisation, sampling and shuffling' },
} as const satisfies ParamSpecs;

type CommonParams = ParamsOf<typeof COMMON_SPECS>;

/** Item embedding matrix for an ANN index: `rows` items x `cols` dims, row-major, aligned with the item id map. */
export interface EmbeddingMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Shared base of the neural recommenders: chronological user sequences, the shared training loop (Adam, early
 * stopping on validation NDCG@10 of each user's held-out last item, learning curve), scoring of an arbitrary
 * sequence (`recommendForSequence`), and artifacts holding every weight by name plus the learning curve.
 * Subclasses build their network in `build`, train one epoch in `epochOn` and score in `scoreSequence`.
 */
export abstract class NeuralModel<S extends ParamSpecs> extends ImplicitModel<S> {
  protected seq: Sequences = { indptr: new Int32Array(1), items: new Int32Array(0) };
  /** Per-epoch loss / validation NDCG@10 / seconds of the last fit. */
  learningCurve: EpochRecord[] = [];
  bestEpoch = 0;

  protected get common(): CommonParams {
    return this.params as unknown as CommonParams;
  }

  /** Creates the network's parameters for this catalog (initialised from rng). */
  protected abstract build(nUsers: number, nItems: number, rng: Rng): void;
  /** Every trainable parameter (names unique: they key the artifact tensors). */
  protected abstract trainable(): Param[];
  /** One epoch over the training sequences; returns the mean loss. */
  protected abstract epochOn(train: Sequences, rng: Rng, epoch: number): number;
  /** Scores of every item given user index u (-1 when unknown) with history `items` (oldest first). */
  protected abstract scoreSequence(u: number, items: Int32Array, out: Float32Array): void;
  /** Item embeddings (a copy or a view) for an ANN index. */
  abstract itemEmbeddings(): EmbeddingMatrix;

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const c = this.common;
    const rng = new Rng(opts.seed ?? c.seed);
    this.seq = chronological(data);
    this.build(data.nUsers, data.nItems, rng);
    const split = c.patience > 0 ? holdOutLast(this.seq, 3) : undefined;
    const train = split?.train ?? this.seq;
    const result = trainLoop(
      {
        params: this.trainable(),
        nItems: data.nItems,
        epoch: (r, e) => this.epochOn(train, r, e),
        ...(split === undefined
          ? {}
          : {
              validTarget: split.target,
              scoreValid: (u: number, out: Float32Array): Int32Array => {
                const items = train.items.subarray(train.indptr[u]!, train.indptr[u + 1]!);
                this.scoreSequence(u, items, out);
                return Int32Array.from(items).sort();
              },
            }),
      },
      rng,
      { epochs: c.epochs, patience: c.patience, maxValidUsers: 500, name: this.algorithm },
      opts,
    );
    this.learningCurve = result.curve;
    this.bestEpoch = result.bestEpoch;
    this.fitted = true;
    return this;
  }

  /** Chronological training history of user u. */
  protected userSequence(u: number): Int32Array {
    return this.seq.items.subarray(this.seq.indptr[u]!, this.seq.indptr[u + 1]!);
  }

  scoreInto(u: number, out: Float32Array): void {
    this.scoreSequence(u, this.userSequence(u), out);
  }

  /**
   * Top-k items after a session's sequence of raw item ids (oldest first; unknown ids are skipped), leaving out the
   * items in the sequence. The newest clicks change the result immediately: no refit. An empty (or all-unknown)
   * sequence gets the most popular items.
   */
  recommendForSequence(items: readonly string[], k: number): Scored[] {
    this.requireFitted();
    checkK(k, `${this.algorithm}.recommendForSequence`);
    const idx: number[] = [];
    for (const id of items) {
      const i = this.itemIds.indexOf(id);
      if (i >= 0) idx.push(i);
    }
    const seq = Int32Array.from(idx);
    const scores = new Float32Array(this.nItems);
    if (seq.length === 0) scores.set(this.fallbackScores());
    else this.scoreSequence(-1, seq, scores);
    const seen = Int32Array.from(new Set(idx)).sort();
    const top = topK(scores, k, seen);
    const out: Scored[] = [];
    for (let r = 0; r < top.indices.length; r++) out.push({ id: this.itemIds.idAt(top.indices[r]!), score: top.scores[r]! });
    return out;
  }

  /** Items whose embeddings have the highest cosine with `item`'s (the ANN view); [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    const i = this.itemIds.indexOf(item);
    if (i < 0) return [];
    const { data, rows, cols } = this.itemEmbeddings();
    const norms = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += data[r * cols + c]! * data[r * cols + c]!;
      norms[r] = Math.sqrt(s) || 1;
    }
    const sims = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += data[r * cols + c]! * data[i * cols + c]!;
      sims[r] = s / (norms[r]! * norms[i]!);
    }
    const top = topK(sims, k, Int32Array.of(i));
    const out: Scored[] = [];
    for (let r = 0; r < top.indices.length; r++) out.push({ id: this.itemIds.idAt(top.indices[r]!), score: top.scores[r]!, reason: 'similar embedding' });
    return out;
  }

  toArtifact(): Artifact {
    const tensors: Record<string, Tensor> = { seqIndptr: tensor(this.seq.indptr), seqItems: tensor(this.seq.items) };
    for (const p of this.trainable()) tensors[`w.${p.name}`] = tensor(Float32Array.from(p.data), [p.rows, p.cols]);
    return this.baseArtifact(tensors, { learningCurve: this.learningCurve, bestEpoch: this.bestEpoch });
  }

  /** Restores ids, sequences, weights and learning curve from an artifact written by `toArtifact`. */
  protected restoreNeural(a: Artifact): void {
    this.restoreBase(a);
    this.seq = { indptr: requireTensor(a, 'seqIndptr', Int32Array, [this.nUsers + 1]), items: requireTensor(a, 'seqItems', Int32Array) };
    this.build(this.nUsers, this.nItems, new Rng(0));
    for (const p of this.trainable()) {
      const w = requireTensor(a, `w.${p.name}`, Float32Array, [p.rows, p.cols]);
      p.data.set(w);
    }
    const state = a.meta.state ?? {};
    const curve = state['learningCurve'];
    if (curve !== undefined && !Array.isArray(curve)) throw new ArtifactError(`${this.algorithm} artifact`, 'learningCurve must be an array');
    this.learningCurve = (curve ?? []) as EpochRecord[];
    this.bestEpoch = typeof state['bestEpoch'] === 'number' ? state['bestEpoch'] : 0;
  }

  /** Shared static loader body: `new Ctor(params)` then restore. */
  protected static load<M extends NeuralModel<ParamSpecs>>(m: M, a: Artifact): M {
    m.restoreNeural(a);
    return m;
  }
}
