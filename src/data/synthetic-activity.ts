import { Rng, deriveSeed } from '../core/rng.js';
import type { ResolvedSyntheticOptions, SyntheticCatalog, SyntheticTruth, SyntheticUsers } from './synthetic.js';

/** Explicit ratings: one per (user, item) pair, `values` on [1, 5]; `expected` is the noise-free planted rating. */
export interface SyntheticRatings {
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  /** mu + b_u + b_i + p_u . q_i before noise, clipping and rounding. */
  expected: Float32Array;
  timestamps: Float64Array;
  /** RMSE of `values` against clip(expected, 1, 5): what a model that knew the truth would score (the noise floor). */
  noiseFloorRmse: number;
}

/** Typed events (0 view, 1 cart, 2 purchase), grouped by user, sessions in time order. */
export interface SyntheticEvents {
  users: Int32Array;
  items: Int32Array;
  types: Int32Array;
  typeNames: readonly string[];
  timestamps: Float64Array;
  sessions: Int32Array;
}

/** Purchase lines: an order (basket) holds every purchase of one session. `prices` are unit prices. */
export interface SyntheticPurchases {
  orders: Int32Array;
  users: Int32Array;
  items: Int32Array;
  quantities: Int32Array;
  prices: Float64Array;
  timestamps: Float64Array;
}

/** Poisson deviate: Knuth's product method below 30, a rounded normal approximation above. */
function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(rng.normal(lambda, Math.sqrt(lambda))));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng.float();
  while (p > l) {
    k++;
    p *= rng.float();
  }
  return k;
}

/** Per-user activity multipliers, lognormal with mean 1 (some users are far more active than others). */
function userActivity(o: ResolvedSyntheticOptions): Float64Array {
  const rng = new Rng(deriveSeed(o.seed, 9));
  const a = new Float64Array(o.users);
  for (let u = 0; u < o.users; u++) a[u] = Math.exp(rng.normal(-0.18, 0.6));
  return a;
}

/** Popularity-weighted item sampler over the whole catalogue and within each genre (cumulative sums + binary search). */
class ItemSampler {
  private readonly globalCdf: Float64Array;
  private readonly gPtr: Int32Array;
  private readonly gItems: Int32Array;
  private readonly gCdf: Float64Array;

  constructor(pop: Float64Array, cat: SyntheticCatalog, nG: number) {
    const nI = pop.length;
    this.globalCdf = new Float64Array(nI);
    let s = 0;
    for (let i = 0; i < nI; i++) this.globalCdf[i] = s += pop[i]!;
    this.gPtr = new Int32Array(nG + 1);
    for (let k = 0; k < cat.genreIndices.length; k++) this.gPtr[cat.genreIndices[k]! + 1]++;
    for (let g = 0; g < nG; g++) this.gPtr[g + 1] = this.gPtr[g + 1]! + this.gPtr[g]!;
    const next = this.gPtr.slice(0, nG);
    this.gItems = new Int32Array(cat.genreIndices.length);
    for (let i = 0; i < nI; i++) for (let k = cat.genreIndptr[i]!; k < cat.genreIndptr[i + 1]!; k++) this.gItems[next[cat.genreIndices[k]!]!++] = i;
    this.gCdf = new Float64Array(this.gItems.length);
    for (let g = 0; g < nG; g++) {
      let c = 0;
      for (let k = this.gPtr[g]!; k < this.gPtr[g + 1]!; k++) this.gCdf[k] = c += pop[this.gItems[k]!]!;
    }
  }

  /** An item drawn by popularity from genre g (from the whole catalogue when g has no items, or g < 0). */
  draw(rng: Rng, g: number): number {
    if (g >= 0) {
      const lo = this.gPtr[g]!;
      const hi = this.gPtr[g + 1]!;
      if (hi > lo) return this.gItems[search(this.gCdf, lo, hi, rng.float() * this.gCdf[hi - 1]!)]!;
    }
    return search(this.globalCdf, 0, this.globalCdf.length, rng.float() * this.globalCdf[this.globalCdf.length - 1]!);
  }
}

/** First index k in [lo, hi) with cdf[k] > r (hi - 1 if none, for rounding at the top). */
function search(cdf: Float64Array, lo: number, hi: number, r: number): number {
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if (cdf[m]! > r) b = m;
    else a = m + 1;
  }
  return a;
}

/** Whether item i has one of user u's preferred genres. */
function prefers(t: SyntheticTruth, cat: SyntheticCatalog, u: number, i: number): boolean {
  for (let a = t.userGenreIndptr[u]!; a < t.userGenreIndptr[u + 1]!; a++) {
    const g = t.userGenreIndices[a]!;
    for (let b = cat.genreIndptr[i]!; b < cat.genreIndptr[i + 1]!; b++) if (cat.genreIndices[b] === g) return true;
  }
  return false;
}

/** A user's item draw: from a preferred genre with probability genreAffinity, else from the whole catalogue. */
function drawForUser(rng: Rng, s: ItemSampler, t: SyntheticTruth, u: number, affinity: number, genre: number): number {
  if (rng.float() >= affinity) return s.draw(rng, -1);
  if (genre >= 0) return s.draw(rng, genre);
  const lo = t.userGenreIndptr[u]!;
  return s.draw(rng, t.userGenreIndices[lo + rng.int(t.userGenreIndptr[u + 1]! - lo)]!);
}

/** Explicit ratings: distinct items per user, planted rating + N(0, noise), clipped to [1, 5] and rounded to the step. */
export function generateRatings(o: ResolvedSyntheticOptions, t: SyntheticTruth, cat: SyntheticCatalog, attrs: SyntheticUsers, seed: number): SyntheticRatings {
  const rng = new Rng(seed);
  const act = userActivity(o);
  const sampler = new ItemSampler(t.popularity, cat, o.genres);
  const nI = o.items;
  const f = o.factors;
  const cap = Math.max(1, Math.floor(nI / 2));
  const counts = new Int32Array(o.users);
  let total = 0;
  for (let u = 0; u < o.users; u++) total += counts[u] = Math.min(cap, poisson(rng, o.ratingsPerUser * act[u]!));
  const r: SyntheticRatings = {
    users: new Int32Array(total), items: new Int32Array(total), values: new Float32Array(total), expected: new Float32Array(total),
    timestamps: new Float64Array(total), noiseFloorRmse: 0,
  };
  const seen = new Int32Array(nI).fill(-1);
  const end = o.startTime + o.days * 86400;
  let w = 0;
  let se = 0;
  for (let u = 0; u < o.users; u++) {
    const from = Math.max(attrs.signup[u]!, o.startTime);
    let got = 0;
    for (let attempt = 0; got < counts[u]! && attempt < 30 * counts[u]!; attempt++) {
      const i = drawForUser(rng, sampler, t, u, o.genreAffinity, -1);
      if (seen[i] === u) continue;
      seen[i] = u;
      got++;
      let dot = 0;
      for (let d = 0; d < f; d++) dot += t.userFactors[u * f + d]! * t.itemFactors[i * f + d]!;
      const exp = t.globalMean + t.userBias[u]! + t.itemBias[i]! + dot;
      let v = exp + (o.noise > 0 ? rng.normal(0, o.noise) : 0);
      if (o.ratingStep > 0) v = Math.round(v / o.ratingStep) * o.ratingStep;
      v = v < 1 ? 1 : v > 5 ? 5 : v;
      const clipped = exp < 1 ? 1 : exp > 5 ? 5 : exp;
      se += (v - clipped) * (v - clipped);
      r.users[w] = u;
      r.items[w] = i;
      r.values[w] = v;
      r.expected[w] = exp;
      r.timestamps[w] = Math.floor(from + rng.float() * (end - from));
      w++;
    }
  }
  if (w < total) {
    r.users = r.users.slice(0, w);
    r.items = r.items.slice(0, w);
    r.values = r.values.slice(0, w);
    r.expected = r.expected.slice(0, w);
    r.timestamps = r.timestamps.slice(0, w);
  }
  r.noiseFloorRmse = w === 0 ? 0 : Math.sqrt(se / w);
  return r;
}

/** Growable columns (capacity doubles). */
class Columns {
  len = 0;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  d: Int32Array;
  x: Float64Array;
  y: Float64Array;
  constructor(cap: number) {
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
    this.d = new Int32Array(cap);
    this.x = new Float64Array(cap);
    this.y = new Float64Array(cap);
  }
  push(a: number, b: number, c: number, d: number, x: number, y: number): void {
    if (this.len === this.a.length) this.grow();
    const k = this.len++;
    this.a[k] = a;
    this.b[k] = b;
    this.c[k] = c;
    this.d[k] = d;
    this.x[k] = x;
    this.y[k] = y;
  }
  private grow(): void {
    const cap = Math.max(16, this.a.length * 2);
    const g32 = (v: Int32Array) => {
      const n = new Int32Array(cap);
      n.set(v);
      return n;
    };
    const g64 = (v: Float64Array) => {
      const n = new Float64Array(cap);
      n.set(v);
      return n;
    };
    this.a = g32(this.a);
    this.b = g32(this.b);
    this.c = g32(this.c);
    this.d = g32(this.d);
    this.x = g64(this.x);
    this.y = g64(this.y);
  }
}

const VIEW = 0;
const CART = 1;
const PURCHASE = 2;

/**
 * Sessions of views (sizes 1 + Poisson(4)) with a session genre (a preferred one w.p. 0.8), each view drawn from it
 * w.p. genreAffinity; the funnel view -> cart -> purchase; a session's purchases form one order; a purchase brings
 * its planted complement along w.p. complementRate.
 */
export function generateEvents(o: ResolvedSyntheticOptions, t: SyntheticTruth, cat: SyntheticCatalog, attrs: SyntheticUsers, seed: number): { events: SyntheticEvents; purchases: SyntheticPurchases } {
  const rng = new Rng(seed);
  const act = userActivity(o);
  const sampler = new ItemSampler(t.popularity, cat, o.genres);
  const funnel = 1 + o.cartRate + o.cartRate * o.purchaseRate * (1 + o.complementRate * 3);
  const ev = new Columns(Math.ceil(o.users * o.eventsPerUser * 1.1) + 16);
  const pu = new Columns(Math.ceil(ev.a.length / 10) + 16);
  const end = o.startTime + o.days * 86400;
  let sessionId = 0;
  let orderId = 0;
  let sizes = new Int32Array(64);
  let starts = new Float64Array(64);
  for (let u = 0; u < o.users; u++) {
    let views = poisson(rng, (o.eventsPerUser * act[u]!) / funnel);
    let nS = 0;
    while (views > 0) {
      if (nS === sizes.length) {
        const s2 = new Int32Array(nS * 2);
        s2.set(sizes);
        sizes = s2;
        starts = new Float64Array(nS * 2);
      }
      const size = Math.min(views, 1 + poisson(rng, 4));
      sizes[nS++] = size;
      views -= size;
    }
    const from = Math.max(attrs.signup[u]!, o.startTime);
    for (let s = 0; s < nS; s++) starts[s] = Math.floor(from + rng.float() * Math.max(0, end - from - 3600));
    starts.subarray(0, nS).sort();
    const gLo = t.userGenreIndptr[u]!;
    const nPref = t.userGenreIndptr[u + 1]! - gLo;
    for (let s = 0; s < nS; s++) {
      const genre = rng.float() < 0.8 ? t.userGenreIndices[gLo + rng.int(nPref)]! : rng.int(o.genres);
      let time = starts[s]!;
      let order = -1;
      for (let v = 0; v < sizes[s]!; v++) {
        const i = drawForUser(rng, sampler, t, u, o.genreAffinity, genre);
        time += 5 + Math.floor(-Math.log(1 - rng.float()) * 60);
        ev.push(u, i, VIEW, sessionId, time, 0);
        const pCart = Math.min(1, o.cartRate * (prefers(t, cat, u, i) ? 1.5 : 0.5));
        if (rng.float() >= pCart) continue;
        time += 5 + rng.int(120);
        ev.push(u, i, CART, sessionId, time, 0);
        if (rng.float() >= o.purchaseRate) continue;
        if (order < 0) order = orderId++;
        time += 5 + rng.int(60);
        ev.push(u, i, PURCHASE, sessionId, time, 0);
        pu.push(order, u, i, quantity(rng), time, cat.prices[i]!);
        if (rng.float() < o.complementRate) {
          const j = t.complements[i]!;
          ev.push(u, j, VIEW, sessionId, time + 1, 0);
          ev.push(u, j, CART, sessionId, time + 2, 0);
          ev.push(u, j, PURCHASE, sessionId, time + 3, 0);
          pu.push(order, u, j, quantity(rng), time + 3, cat.prices[j]!);
          time += 3;
        }
      }
      sessionId++;
    }
  }
  const n = ev.len;
  const m = pu.len;
  return {
    events: { users: ev.a.slice(0, n), items: ev.b.slice(0, n), types: ev.c.slice(0, n), typeNames: ['view', 'cart', 'purchase'], sessions: ev.d.slice(0, n), timestamps: ev.x.slice(0, n) },
    purchases: { orders: pu.a.slice(0, m), users: pu.b.slice(0, m), items: pu.c.slice(0, m), quantities: pu.d.slice(0, m), timestamps: pu.x.slice(0, m), prices: pu.y.slice(0, m) },
  };
}

function quantity(rng: Rng): number {
  return rng.float() < 0.85 ? 1 : 2 + rng.int(2);
}
