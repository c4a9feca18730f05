import type { Scored } from '../../core/model.js';

/** Options of the popularity index. */
export interface PopularityOptions {
  /** Half-life of the trending score in milliseconds (default one day). */
  trendHalfLifeMs?: number;
  /** How long a computed ranking is reused, in milliseconds (default 250; new events show within that). */
  rankingTtlMs?: number;
}

/**
 * Real-time popularity: an event count per item and an exponentially decayed "trending" score
 * s <- s * 2^(-(t - t_last) / halfLife) + w, updated in O(1) per event. Rankings are computed by a full scan
 * (O(items log items)) at most once per `rankingTtlMs` and reused in between.
 */
export class PopularityIndex {
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();
  private counts = new Float64Array(1024);
  private trend = new Float64Array(1024);
  private last = new Float64Array(1024);
  private readonly halfLife: number;
  private readonly ttl: number;
  private rankedPopular: Int32Array | undefined;
  private rankedTrending: Int32Array | undefined;
  private rankedAt = 0;
  private trendingAt = 0;

  constructor(opts: PopularityOptions = {}) {
    this.halfLife = opts.trendHalfLifeMs ?? 86_400_000;
    this.ttl = opts.rankingTtlMs ?? 250;
  }

  private slot(item: string): number {
    let i = this.index.get(item);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(item, i);
      if (i >= this.counts.length) {
        const grow = (a: Float64Array) => {
          const b = new Float64Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.counts = grow(this.counts);
        this.trend = grow(this.trend);
        this.last = grow(this.last);
      }
    }
    return i;
  }

  /** Records `count` events of weight `weight` each on `item` at time `ts` (ms). */
  add(item: string, ts: number, count = 1, weight = 1): void {
    const i = this.slot(item);
    this.counts[i] = this.counts[i]! + count;
    const prev = this.last[i]!;
    const t = Math.max(prev, ts);
    const decay = prev === 0 ? 0 : Math.pow(2, -(t - prev) / this.halfLife);
    this.trend[i] = this.trend[i]! * decay + count * weight * Math.pow(2, -(t - ts) / this.halfLife);
    this.last[i] = t;
  }

  /** Event count of `item` (0 when never seen). */
  count(item: string): number {
    const i = this.index.get(item);
    return i === undefined ? 0 : this.counts[i]!;
  }

  get size(): number {
    return this.items.length;
  }

  /** Items by event count (ties by first appearance), `accept` filtering; at most `k` after skipping `offset`. */
  popular(k: number, offset = 0, accept?: (id: string) => boolean): Scored[] {
    const now = Date.now();
    if (this.rankedPopular === undefined || now - this.rankedAt > this.ttl || this.rankedPopular.length !== this.items.length) {
      this.rankedPopular = this.rank(this.counts);
      this.rankedAt = now;
    }
    return this.take(this.rankedPopular, this.counts, k, offset, accept, 'popular');
  }

  /** Items by decayed score as of now. */
  trending(k: number, offset = 0, accept?: (id: string) => boolean): Scored[] {
    const now = Date.now();
    const n = this.items.length;
    const current = new Float64Array(n);
    for (let i = 0; i < n; i++) current[i] = this.trend[i]! * Math.pow(2, -(now - this.last[i]!) / this.halfLife);
    if (this.rankedTrending === undefined || now - this.trendingAt > this.ttl || this.rankedTrending.length !== n) {
      this.rankedTrending = this.rank(current);
      this.trendingAt = now;
    }
    return this.take(this.rankedTrending, current, k, offset, accept, 'trending');
  }

  private rank(score: Float64Array): Int32Array {
    const n = this.items.length;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => score[b]! - score[a]! || a - b);
    return order;
  }

  private take(order: Int32Array, score: Float64Array, k: number, offset: number, accept: ((id: string) => boolean) | undefined, what: string): Scored[] {
    const out: Scored[] = [];
    let skipped = 0;
    for (let r = 0; r < order.length && out.length < k; r++) {
      const i = order[r]!;
      const id = this.items[i]!;
      if (accept !== undefined && !accept(id)) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      out.push({ id, score: score[i]!, reason: `${what}: ${this.counts[i]!} events` });
    }
    return out;
  }
}
