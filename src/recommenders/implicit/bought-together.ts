import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError, EmptyInputError, InvalidArgumentError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { topK } from '../../core/topk.js';
import { type ProgressFn, throttleProgress } from '../../core/progress.js';

/** One "frequently bought together" answer with the counts behind it. */
export interface BoughtTogetherItem {
  id: string;
  /** The ranking score (the value of `sortBy`). */
  score: number;
  /** Baskets holding both items. */
  count: number;
  /** count / baskets. */
  support: number;
  /** count / baskets holding the query item = P(other | item). */
  confidence: number;
  /** confidence / P(other): > 1 means bought together more often than by chance. */
  lift: number;
}

export interface BoughtTogetherOptions {
  /** Minimum support of the pair (share of all baskets). Default 0. */
  minSupport?: number;
  /** Minimum confidence P(other | item). Default 0. */
  minConfidence?: number;
  /** Minimum lift. Default 0 (no filter). */
  minLift?: number;
  /** Minimum number of baskets holding both. Default 1. */
  minCount?: number;
  /** Ranking: lift (default), confidence or count; ties broken by count, then item order. */
  sortBy?: 'lift' | 'confidence' | 'count';
}

/**
 * Frequently-bought-together from co-occurrence within baskets (orders, or sessions cut at an inactivity gap):
 * item counts n_i, pair counts n_ij over N baskets (each item counted once per basket), and association-rule
 * figures support = n_ij / N, confidence = n_ij / n_i, lift = n_ij N / (n_i n_j). Build O(sum of squared basket
 * sizes), memory O(distinct co-occurring pairs); queries O(pairs of the item).
 */
export class BoughtTogether {
  private constructor(
    readonly items: IdMap,
    readonly baskets: number,
    private readonly itemCount: Int32Array,
    private readonly pairPtr: Int32Array,
    private readonly pairItem: Int32Array,
    private readonly pairCount: Int32Array,
  ) {}

  /**
   * From baskets given as lists of item ids (duplicates inside a basket count once; empty baskets are ignored).
   * `opts.onProgress` gets `count` events in items whose pair counts are done.
   */
  static fromBaskets(baskets: readonly (readonly string[])[], opts: { onProgress?: ProgressFn } = {}): BoughtTogether {
    const items = new IdMap();
    const ptr: number[] = [0];
    const flat: number[] = [];
    for (const b of baskets) {
      const set = new Set<number>();
      for (const id of b) set.add(items.add(id));
      if (set.size === 0) continue;
      for (const i of set) flat.push(i);
      ptr.push(flat.length);
    }
    return BoughtTogether.build(items, Int32Array.from(ptr), Int32Array.from(flat), opts.onProgress);
  }

  /** From rows of (order id, item id): every order is a basket. */
  static fromOrders(orderIds: readonly string[], itemIds: readonly string[]): BoughtTogether {
    if (orderIds.length !== itemIds.length) throw new InvalidArgumentError(`BoughtTogether.fromOrders: ${orderIds.length} order ids but ${itemIds.length} item ids`);
    const byOrder = new Map<string, string[]>();
    for (let r = 0; r < orderIds.length; r++) {
      let b = byOrder.get(orderIds[r]!);
      if (b === undefined) byOrder.set(orderIds[r]!, (b = []));
      b.push(itemIds[r]!);
    }
    return BoughtTogether.fromBaskets([...byOrder.values()]);
  }

  /**
   * From events (user, item, time in seconds): each user's events sorted by time are cut into sessions wherever two
   * consecutive events are more than `gapSeconds` apart; every session is a basket.
   */
  static fromSessions(userIds: readonly string[], itemIds: readonly string[], times: ArrayLike<number>, gapSeconds: number): BoughtTogether {
    const n = userIds.length;
    if (itemIds.length !== n || times.length !== n) throw new InvalidArgumentError('BoughtTogether.fromSessions: userIds, itemIds and times must have the same length');
    if (!(gapSeconds > 0)) throw new InvalidArgumentError(`BoughtTogether.fromSessions: gapSeconds must be > 0, got ${gapSeconds}`);
    const order = Array.from({ length: n }, (_, r) => r).sort((a, b) => (userIds[a]! < userIds[b]! ? -1 : userIds[a]! > userIds[b]! ? 1 : times[a]! - times[b]!));
    const baskets: string[][] = [];
    let cur: string[] = [];
    for (let t = 0; t < n; t++) {
      const r = order[t]!;
      const prev = t > 0 ? order[t - 1]! : -1;
      if (!Number.isFinite(times[r]!)) throw new InvalidArgumentError(`BoughtTogether.fromSessions: event ${r} has non-finite time ${times[r]}`);
      if (prev >= 0 && (userIds[prev] !== userIds[r] || times[r]! - times[prev]! > gapSeconds)) {
        baskets.push(cur);
        cur = [];
      }
      cur.push(itemIds[r]!);
    }
    if (cur.length > 0) baskets.push(cur);
    return BoughtTogether.fromBaskets(baskets);
  }

  private static build(items: IdMap, bptr: Int32Array, bitems: Int32Array, onProgress?: ProgressFn): BoughtTogether {
    const progress = throttleProgress(onProgress);
    const nB = bptr.length - 1;
    if (nB === 0) throw new EmptyInputError('BoughtTogether: no non-empty baskets to learn from');
    const nI = items.size;
    // item -> baskets (CSC)
    const cnt = new Int32Array(nI);
    for (let p = 0; p < bitems.length; p++) cnt[bitems[p]!]++;
    const iptr = new Int32Array(nI + 1);
    for (let i = 0; i < nI; i++) iptr[i + 1] = iptr[i]! + cnt[i]!;
    const next = iptr.slice(0, nI);
    const ibask = new Int32Array(bitems.length);
    for (let b = 0; b < nB; b++) for (let p = bptr[b]!; p < bptr[b + 1]!; p++) ibask[next[bitems[p]!]!++] = b;
    const acc = new Int32Array(nI);
    const touched = new Int32Array(nI);
    const pairPtr = new Int32Array(nI + 1);
    const outItem: number[] = [];
    const outCount: number[] = [];
    for (let i = 0; i < nI; i++) {
      let nt = 0;
      for (let q = iptr[i]!; q < iptr[i + 1]!; q++) {
        const b = ibask[q]!;
        for (let p = bptr[b]!; p < bptr[b + 1]!; p++) {
          const j = bitems[p]!;
          if (j === i) continue;
          if (acc[j] === 0) touched[nt++] = j;
          acc[j]++;
        }
      }
      const row = touched.slice(0, nt).sort();
      for (let t = 0; t < nt; t++) {
        outItem.push(row[t]!);
        outCount.push(acc[row[t]!]!);
        acc[row[t]!] = 0;
      }
      pairPtr[i + 1] = outItem.length;
      if (progress !== undefined && ((i & 255) === 255 || i === nI - 1)) progress({ step: 'count', done: i + 1, total: nI });
    }
    return new BoughtTogether(items, nB, cnt, pairPtr, Int32Array.from(outItem), Int32Array.from(outCount));
  }

  /** Number of baskets holding `item` (0 when unknown). */
  countOf(item: string): number {
    const i = this.items.indexOf(item);
    return i < 0 ? 0 : this.itemCount[i]!;
  }

  /**
   * Up to k items bought with `item`, best first by `sortBy`, after the thresholds. An unknown item gives [].
   */
  boughtTogether(item: string, k: number, opts: BoughtTogetherOptions = {}): BoughtTogetherItem[] {
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`boughtTogether: k must be a non-negative integer, got ${k}`);
    const i = this.items.indexOf(item);
    if (i < 0 || k === 0) return [];
    const minSupport = opts.minSupport ?? 0;
    const minConf = opts.minConfidence ?? 0;
    const minLift = opts.minLift ?? 0;
    const minCount = opts.minCount ?? 1;
    const sortBy = opts.sortBy ?? 'lift';
    const N = this.baskets;
    const ni = this.itemCount[i]!;
    const s = this.pairPtr[i]!;
    const e = this.pairPtr[i + 1]!;
    const key = new Float64Array(e - s).fill(-Infinity);
    for (let p = s; p < e; p++) {
      const c = this.pairCount[p]!;
      const nj = this.itemCount[this.pairItem[p]!]!;
      const conf = c / ni;
      const lift = (c * N) / (ni * nj);
      if (c < minCount || c / N < minSupport || conf < minConf || lift < minLift) continue;
      const primary = sortBy === 'lift' ? lift : sortBy === 'confidence' ? conf : c;
      // secondary key: count (scaled below the primary's resolution)
      key[p - s] = primary + (sortBy === 'count' ? 0 : c * 1e-9);
    }
    const top = topK(key, k);
    const out: BoughtTogetherItem[] = [];
    for (let r = 0; r < top.indices.length; r++) {
      const p = s + top.indices[r]!;
      const c = this.pairCount[p]!;
      const nj = this.itemCount[this.pairItem[p]!]!;
      const conf = c / ni;
      const lift = (c * N) / (ni * nj);
      out.push({ id: this.items.idAt(this.pairItem[p]!), score: sortBy === 'lift' ? lift : sortBy === 'confidence' ? conf : c, count: c, support: c / N, confidence: conf, lift });
    }
    return out;
  }

  /** The counts as an artifact (algorithm "bought-together"). */
  toArtifact(): Artifact {
    return {
      meta: { algorithm: 'bought-together', params: {}, state: { items: this.items.toArray(), baskets: this.baskets } },
      tensors: { itemCount: tensor(this.itemCount), pairPtr: tensor(this.pairPtr), pairItem: tensor(this.pairItem), pairCount: tensor(this.pairCount) },
    };
  }

  static fromArtifact(a: Artifact): BoughtTogether {
    const st = a.meta.state ?? {};
    if (!Array.isArray(st['items']) || typeof st['baskets'] !== 'number') throw new ArtifactError('bought-together artifact', 'state lacks items/baskets');
    const items = IdMap.fromIds(st['items'] as string[]);
    return new BoughtTogether(
      items,
      st['baskets'],
      requireTensor(a, 'itemCount', Int32Array, [items.size]),
      requireTensor(a, 'pairPtr', Int32Array, [items.size + 1]),
      requireTensor(a, 'pairItem', Int32Array),
      requireTensor(a, 'pairCount', Int32Array),
    );
  }
}
