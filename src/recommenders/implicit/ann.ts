import { containsSorted } from '../../core/sorted.js';
import { createRequire } from 'node:module';
import type * as Hnswlib from 'hnswlib-node';
import type { HierarchicalNSW } from 'hnswlib-node';
import { InvalidArgumentError } from '../../core/errors.js';
import { type TopK, topK } from '../../core/topk.js';

const require = createRequire(import.meta.url);

/** Build and search settings of the HNSW graph (Malkov & Yashunin 2018). */
export interface AnnOptions {
  /** Graph degree M (links per node). Default 16. */
  m?: number;
  /** Candidate list size while building. Default 200. */
  efConstruction?: number;
  /** Candidate list size while searching (recall/speed trade-off; raised to k when smaller). Default 100. */
  ef?: number;
  /** Seed of the level assignment. Default 42. */
  seed?: number;
}

/**
 * Approximate maximum-inner-product search over item factors with an HNSW graph (hnswlib-node). Item biases are
 * folded in by augmenting vectors: item [y_i, b_i], query [x_u, 1], so the inner product is the model's score.
 * Results are approximate: measure recall@k against exact search (see bench/implicit.bench.ts) before relying on
 * it. hnswlib takes plain arrays, so each vector is copied on add and on query.
 */
export class AnnIndex {
  private constructor(
    private readonly index: HierarchicalNSW,
    readonly dim: number,
    readonly size: number,
    private readonly withBias: boolean,
    private ef: number,
  ) {}

  /** Builds the index over `n` row-major vectors of `f` floats (and optional biases). */
  static build(vectors: Float32Array, n: number, f: number, bias?: Float32Array, opts: AnnOptions = {}): AnnIndex {
    if (vectors.length !== n * f) throw new InvalidArgumentError(`AnnIndex.build: ${vectors.length} floats for ${n} x ${f} vectors`);
    if (n === 0) throw new InvalidArgumentError('AnnIndex.build: no vectors');
    const hnsw = require('hnswlib-node') as typeof Hnswlib;
    const withBias = bias !== undefined;
    const dim = f + (withBias ? 1 : 0);
    const index = new hnsw.HierarchicalNSW('ip', dim);
    index.initIndex(n, opts.m ?? 16, opts.efConstruction ?? 200, opts.seed ?? 42);
    const v = new Array<number>(dim);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < f; c++) v[c] = vectors[i * f + c]!;
      if (withBias) v[f] = bias[i]!;
      index.addPoint(v, i);
    }
    const ef = opts.ef ?? 100;
    index.setEf(ef);
    return new AnnIndex(index, dim, n, withBias, ef);
  }

  /** Sets the search candidate list size. */
  setEf(ef: number): void {
    if (!Number.isInteger(ef) || ef < 1) throw new InvalidArgumentError(`AnnIndex.setEf: ef must be a positive integer, got ${ef}`);
    this.ef = ef;
    this.index.setEf(ef);
  }

  /**
   * Approximate top-k by inner product for a query vector (f floats), best first, skipping `excludeSorted` (the
   * search asks for k + |excluded| neighbours and filters).
   */
  search(query: Float32Array, k: number, excludeSorted?: Int32Array): TopK {
    const f = this.dim - (this.withBias ? 1 : 0);
    if (query.length !== f) throw new InvalidArgumentError(`AnnIndex.search: query has ${query.length} floats, expected ${f}`);
    const want = Math.min(this.size, k + (excludeSorted?.length ?? 0));
    if (want === 0) return { indices: new Int32Array(0), scores: new Float64Array(0) };
    if (this.ef < want) this.index.setEf(want);
    const q = Array.from(query);
    if (this.withBias) q.push(1);
    const res = this.index.searchKnn(q, want);
    if (this.ef < want) this.index.setEf(this.ef);
    // hnswlib 'ip' distance is 1 - dot; re-rank by score and drop exclusions
    const n = res.neighbors.length;
    const scores = new Float64Array(n);
    for (let r = 0; r < n; r++) scores[r] = 1 - res.distances[r]!;
    const order = topK(scores, n);
    const idx: number[] = [];
    const sc: number[] = [];
    for (let r = 0; r < order.indices.length && idx.length < k; r++) {
      const item = res.neighbors[order.indices[r]!]!;
      if (excludeSorted !== undefined && containsSorted(excludeSorted, item)) continue;
      idx.push(item);
      sc.push(order.scores[r]!);
    }
    return { indices: Int32Array.from(idx), scores: Float64Array.from(sc) };
  }
}


/** recall@k of approximate lists against exact ones: |approx ∩ exact| / |exact|, averaged over rows. */
export function recallAtKAgainstExact(approx: readonly Int32Array[], exact: readonly Int32Array[]): number {
  let s = 0;
  let n = 0;
  for (let r = 0; r < exact.length; r++) {
    const e = exact[r]!;
    if (e.length === 0) continue;
    const set = new Set(e);
    let hit = 0;
    for (const i of approx[r]!) if (set.has(i)) hit++;
    s += hit / e.length;
    n++;
  }
  return n === 0 ? NaN : s / n;
}
