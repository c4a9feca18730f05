import { InvalidArgumentError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { Rng, deriveSeed } from '../core/rng.js';
import type { EventLog } from './events.js';
import { Interactions } from './interactions.js';
import { generateEvents, generateRatings, type SyntheticEvents, type SyntheticPurchases, type SyntheticRatings } from './synthetic-activity.js';
import { COMMON_WORDS, COUNTRIES, genreName, genreVocabulary } from './synthetic-vocab.js';

/** Sizes and knobs of the synthetic data set; every field has a default (see {@link resolveSyntheticOptions}). */
export interface SyntheticOptions {
  users?: number;
  items?: number;
  /** Number of genres (12 are named with their own vocabularies; more get made-up words). */
  genres?: number;
  /** Dimension of the planted latent factors. */
  factors?: number;
  /** Mean number of typed events per user (views, carts and purchases together). */
  eventsPerUser?: number;
  /** Mean number of explicit ratings per user. */
  ratingsPerUser?: number;
  /** Standard deviation of the Gaussian noise added to planted ratings (before clipping and rounding). */
  noise?: number;
  /** Standard deviation of the planted dot products p_u . q_i (the learnable signal). */
  signal?: number;
  /** Rating granularity: 1 (integers 1-5, default), 0.5, or 0 (continuous, only clipped). */
  ratingStep?: number;
  /** Probability that an interaction draws from one of the user's preferred genres rather than the whole catalogue. */
  genreAffinity?: number;
  /** Base probability a view leads to a cart (x1.5 for a preferred genre, x0.5 otherwise, capped at 1). */
  cartRate?: number;
  /** Probability a cart leads to a purchase. */
  purchaseRate?: number;
  /** Probability that buying an item also buys its planted complement (in the same order). */
  complementRate?: number;
  /** Start of the observed period, seconds since the epoch. */
  startTime?: number;
  /** Length of the observed period in days. */
  days?: number;
  seed?: number;
}

export type ResolvedSyntheticOptions = Required<SyntheticOptions>;

const DEFAULTS: ResolvedSyntheticOptions = {
  users: 1000, items: 500, genres: 8, factors: 8, eventsPerUser: 30, ratingsPerUser: 50, noise: 0.5, signal: 0.8, ratingStep: 1,
  genreAffinity: 0.75, cartRate: 0.25, purchaseRate: 0.5, complementRate: 0.4, startTime: 1704067200, days: 180, seed: 42,
};

/** Fills defaults and validates ranges (errors name the option, the value and the expected range). */
export function resolveSyntheticOptions(o: SyntheticOptions = {}): ResolvedSyntheticOptions {
  const r: ResolvedSyntheticOptions = { ...DEFAULTS };
  for (const [k, v] of Object.entries(o)) {
    if (!(k in DEFAULTS)) throw new InvalidArgumentError(`synthetic: unknown option "${k}"; expected one of: ${Object.keys(DEFAULTS).join(', ')}`);
    if (v !== undefined) (r as Record<string, number>)[k] = v as number;
  }
  const int = (name: keyof ResolvedSyntheticOptions, lo: number, hi: number) => {
    const v = r[name];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`synthetic: ${name} must be an integer in [${lo}, ${hi}], got ${v}`, { [name]: v });
  };
  const num = (name: keyof ResolvedSyntheticOptions, lo: number, hi: number) => {
    const v = r[name];
    if (!(v >= lo && v <= hi)) throw new InvalidArgumentError(`synthetic: ${name} must be a number in [${lo}, ${hi}], got ${v}`, { [name]: v });
  };
  int('users', 1, 50_000_000);
  int('items', 2, 50_000_000);
  int('genres', 1, 1000);
  int('factors', 1, 1024);
  num('eventsPerUser', 0, 1e6);
  num('ratingsPerUser', 0, 1e6);
  num('noise', 0, 10);
  num('signal', 0, 10);
  if (r.ratingStep !== 0 && r.ratingStep !== 0.5 && r.ratingStep !== 1) throw new InvalidArgumentError(`synthetic: ratingStep must be 0, 0.5 or 1, got ${r.ratingStep}`);
  for (const p of ['genreAffinity', 'cartRate', 'purchaseRate', 'complementRate'] as const) num(p, 0, 1);
  num('startTime', -1e12, 1e12);
  num('days', 1e-3, 1e5);
  num('seed', 0, Number.MAX_SAFE_INTEGER);
  return r;
}

/** The planted truth, for tests that check a model recovers it. Matrices are flat row-major (rows x factors). */
export interface SyntheticTruth {
  factors: number;
  userFactors: Float64Array;
  itemFactors: Float64Array;
  userBias: Float64Array;
  itemBias: Float64Array;
  globalMean: number;
  noiseSd: number;
  /** Preferred genres of user u: userGenreIndices[userGenreIndptr[u]..userGenreIndptr[u+1]). */
  userGenreIndptr: Int32Array;
  userGenreIndices: Int32Array;
  /** complements[i]: the item most often bought together with item i (same primary genre when possible). */
  complements: Int32Array;
  /** Item popularity weights (lognormal) used when drawing items. */
  popularity: Float64Array;
}

/** Item metadata. Genres of item i: genreIndices[genreIndptr[i]..genreIndptr[i+1]), the first is the primary one. */
export interface SyntheticCatalog {
  titles: string[];
  descriptions: string[];
  genreIndptr: Int32Array;
  genreIndices: Int32Array;
  /** Unit price in currency units, 2 decimals. */
  prices: Float64Array;
}

/** User attributes: age in years, country (index into `countries`), signup time (seconds since the epoch). */
export interface SyntheticUsers {
  age: Int32Array;
  country: Int32Array;
  countries: readonly string[];
  signup: Float64Array;
}

/** A generated data set: ids, metadata, ratings, events, purchases, and the planted truth. */
export interface SyntheticData {
  options: ResolvedSyntheticOptions;
  users: IdMap;
  items: IdMap;
  genres: readonly string[];
  userAttributes: SyntheticUsers;
  catalog: SyntheticCatalog;
  ratings: SyntheticRatings;
  events: SyntheticEvents;
  purchases: SyntheticPurchases;
  truth: SyntheticTruth;
}

/**
 * Generates a seeded synthetic data set (model in docs/data-prep.md): genre centroids in factor space; items with
 * 1-3 genres, factors near their genres' centroid, lognormal popularity, a price and genre-vocabulary text; users with
 * 1-2 preferred genres and factors near those centroids; ratings mu + b_u + b_i + p_u.q_i + N(0, noise) clipped to
 * [1, 5]; sessions of views drawn from the preferred genres, with a cart/purchase funnel, orders and planted
 * complements. Each part draws from its own derived stream, so e.g. more events do not change the factors.
 * O(users x factors + items x factors + events + ratings x factors).
 */
export function generateSynthetic(opts: SyntheticOptions = {}): SyntheticData {
  const o = resolveSyntheticOptions(opts);
  const nU = o.users;
  const nI = o.items;
  const nG = o.genres;
  const f = o.factors;
  const rng = new Rng(deriveSeed(o.seed, 1));
  const centroids = new Float64Array(nG * f);
  for (let k = 0; k < centroids.length; k++) centroids[k] = rng.normal();

  // items: genres, factors, popularity, bias, price
  const irng = new Rng(deriveSeed(o.seed, 2));
  const genreIndptr = new Int32Array(nI + 1);
  const genreTmp = new Int32Array(nI * 3);
  const itemFactors = new Float64Array(nI * f);
  const popularity = new Float64Array(nI);
  const itemBias = new Float64Array(nI);
  const prices = new Float64Array(nI);
  for (let i = 0; i < nI; i++) {
    const r = irng.float();
    const want = Math.min(nG, r < 0.5 ? 1 : r < 0.8 ? 2 : 3);
    const at = genreIndptr[i]!;
    let n = 0;
    while (n < want) {
      const g = irng.int(nG);
      let dup = false;
      for (let c = 0; c < n; c++) if (genreTmp[at + c] === g) dup = true;
      if (!dup) genreTmp[at + n++] = g;
    }
    genreIndptr[i + 1] = at + n;
    plantFactors(itemFactors, i, f, centroids, genreTmp, at, at + n, irng);
    popularity[i] = Math.exp(irng.normal(0, 1));
    itemBias[i] = irng.normal(0, 0.3);
    prices[i] = Math.round(Math.exp(irng.normal(Math.log(8 + 4 * (genreTmp[at]! % 5)), 0.5)) * 100) / 100;
  }
  const genreIndices = genreTmp.slice(0, genreIndptr[nI]!);

  // users: preferred genres, factors, bias, attributes
  const urng = new Rng(deriveSeed(o.seed, 3));
  const userGenreIndptr = new Int32Array(nU + 1);
  const ugTmp = new Int32Array(nU * 2);
  const userFactors = new Float64Array(nU * f);
  const userBias = new Float64Array(nU);
  const attrs: SyntheticUsers = { age: new Int32Array(nU), country: new Int32Array(nU), countries: COUNTRIES, signup: new Float64Array(nU) };
  for (let u = 0; u < nU; u++) {
    const at = userGenreIndptr[u]!;
    const g0 = urng.int(nG);
    ugTmp[at] = g0;
    let n = 1;
    if (nG > 1 && urng.float() < 0.5) {
      let g1 = urng.int(nG - 1);
      if (g1 >= g0) g1++;
      ugTmp[at + n++] = g1;
    }
    userGenreIndptr[u + 1] = at + n;
    plantFactors(userFactors, u, f, centroids, ugTmp, at, at + n, urng);
    userBias[u] = urng.normal(0, 0.3);
    attrs.age[u] = Math.max(16, Math.min(80, Math.round(urng.normal(24 + 4 * (g0 % 6), 8))));
    attrs.country[u] = Math.min(COUNTRIES.length - 1, Math.floor(COUNTRIES.length * urng.float() ** 1.7));
    attrs.signup[u] = Math.floor(o.startTime - urng.float() * 365 * 86400);
  }
  const userGenreIndices = ugTmp.slice(0, userGenreIndptr[nU]!);
  scaleSignal(userFactors, itemFactors, nU, nI, f, o.signal, new Rng(deriveSeed(o.seed, 4)));

  const truth: SyntheticTruth = {
    factors: f, userFactors, itemFactors, userBias, itemBias, globalMean: 3.5, noiseSd: o.noise, userGenreIndptr, userGenreIndices,
    complements: plantComplements(genreIndptr, genreIndices, nI, nG, new Rng(deriveSeed(o.seed, 5))), popularity,
  };
  const catalog: SyntheticCatalog = { titles: [], descriptions: [], genreIndptr, genreIndices, prices };
  writeText(catalog, nI, new Rng(deriveSeed(o.seed, 6)));
  const genres: string[] = [];
  for (let g = 0; g < nG; g++) genres.push(genreName(g));
  const users = IdMap.fromIds(Array.from({ length: nU }, (_, u) => `u${u + 1}`));
  const items = IdMap.fromIds(Array.from({ length: nI }, (_, i) => `i${i + 1}`));
  const ratings = generateRatings(o, truth, catalog, attrs, deriveSeed(o.seed, 7));
  const { events, purchases } = generateEvents(o, truth, catalog, attrs, deriveSeed(o.seed, 8));
  return { options: o, users, items, genres, userAttributes: attrs, catalog, ratings, events, purchases, truth };
}

/** Row `r` of `out` = mean of the centroids of genres[lo..hi) (the first weighted double) + N(0, 0.6) noise. */
function plantFactors(out: Float64Array, r: number, f: number, centroids: Float64Array, genres: Int32Array, lo: number, hi: number, rng: Rng): void {
  const base = r * f;
  let wsum = 0;
  for (let c = lo; c < hi; c++) {
    const w = c === lo ? 2 : 1;
    wsum += w;
    const g = genres[c]!;
    for (let d = 0; d < f; d++) out[base + d] = out[base + d]! + w * centroids[g * f + d]!;
  }
  for (let d = 0; d < f; d++) out[base + d] = out[base + d]! / wsum + rng.normal(0, 0.6);
}

/** Scales both factor matrices by one factor so the dot products over random pairs have sd `signal`. */
function scaleSignal(uf: Float64Array, itf: Float64Array, nU: number, nI: number, f: number, signal: number, rng: Rng): void {
  const samples = 4000;
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < samples; k++) {
    const u = rng.int(nU) * f;
    const i = rng.int(nI) * f;
    let dot = 0;
    for (let d = 0; d < f; d++) dot += uf[u + d]! * itf[i + d]!;
    s += dot;
    s2 += dot * dot;
  }
  const sd = Math.sqrt(Math.max(s2 / samples - (s / samples) ** 2, 1e-12));
  const c = Math.sqrt(signal / sd);
  for (let k = 0; k < uf.length; k++) uf[k] = uf[k]! * c;
  for (let k = 0; k < itf.length; k++) itf[k] = itf[k]! * c;
}

/** A partner for every item, from the same primary genre when that genre has another item. */
function plantComplements(indptr: Int32Array, indices: Int32Array, nI: number, nG: number, rng: Rng): Int32Array {
  const byGenre: number[][] = Array.from({ length: nG }, () => []);
  for (let i = 0; i < nI; i++) byGenre[indices[indptr[i]!]!]!.push(i);
  const out = new Int32Array(nI);
  for (let i = 0; i < nI; i++) {
    const pool = byGenre[indices[indptr[i]!]!]!;
    let j = i;
    if (pool.length > 1) while (j === i) j = pool[rng.int(pool.length)]!;
    else while (j === i) j = rng.int(nI);
    out[i] = j;
  }
  return out;
}

/** Titles (two words of the primary genre) and descriptions (12-30 words, 60% from the item's genres' vocabularies). */
function writeText(cat: SyntheticCatalog, nI: number, rng: Rng): void {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  for (let i = 0; i < nI; i++) {
    const lo = cat.genreIndptr[i]!;
    const nGen = cat.genreIndptr[i + 1]! - lo;
    const v0 = genreVocabulary(cat.genreIndices[lo]!);
    const t1 = rng.float() < 0.5 ? COMMON_WORDS[rng.int(COMMON_WORDS.length)]! : v0[rng.int(v0.length)]!;
    cat.titles.push(`${cap(t1)} ${cap(v0[rng.int(v0.length)]!)}`);
    const len = 12 + rng.int(19);
    const words: string[] = [];
    for (let w = 0; w < len; w++) {
      if (rng.float() < 0.6) {
        const v = genreVocabulary(cat.genreIndices[lo + rng.int(nGen)]!);
        words.push(v[rng.int(v.length)]!);
      } else words.push(COMMON_WORDS[rng.int(COMMON_WORDS.length)]!);
    }
    cat.descriptions.push(cap(words.join(' ')) + '.');
  }
}

/** The ratings as Interactions (scale [1, 5], with timestamps) over the data set's id maps. */
export function syntheticRatingInteractions(d: SyntheticData): Interactions {
  const r = d.ratings;
  return Interactions.fromTriples({ users: r.users, items: r.items, values: r.values, timestamps: r.timestamps }, d.users, d.items, 'last');
}

/** The typed events as an {@link EventLog} (types view, cart, purchase) over the data set's id maps. */
export function syntheticEventLog(d: SyntheticData): EventLog {
  const e = d.events;
  return { users: e.users, items: e.items, types: e.types, typeNames: e.typeNames, timestamps: e.timestamps, userIds: d.users, itemIds: d.items };
}
