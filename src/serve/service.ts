import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidArgumentError, UnavailableError, UnknownIdError } from '../core/errors.js';
import type { Scored } from '../core/model.js';
import type { Experiments } from './abtest.js';
import type { ResultCache } from './cache/cache.js';
import { Catalog } from './live/catalog.js';
import { CoOccurrence } from './live/cooccurrence.js';
import { PopularityIndex } from './live/popularity.js';
import type { ServerMetrics } from './metrics.js';
import { canBoughtTogether, canFoldIn, canSimilar, itemVectorsOf, rankedToScored } from './model/capabilities.js';
import { rankForUser } from './model/rank.js';
import { BOUGHT_TOGETHER_SLOT, DEFAULT_SLOT, type LoadedModel, type ModelRegistry } from './registry.js';
import type { Store } from './store/store.js';
import type { EventRecord, HistoryEntry } from './types.js';

/** An event as a client sends it. */
export interface EventInput {
  id?: string;
  user: string;
  item: string;
  type: string;
  value?: number;
  /** ISO 8601 string or milliseconds since the epoch; default: now. */
  timestamp?: string | number;
  /** The `listId` of the served list this event refers to (counts as a click for A/B tests). */
  listId?: string;
}

/** What a recommendation request asks. */
export interface RecommendQuery {
  k: number;
  offset: number;
  category?: string;
  excludeSeen: boolean;
  slot: string;
}

/** Options of the service. */
export interface ServiceOptions {
  /** Most history items a recommendation uses (default 500). */
  historyLimit?: number;
  /** Weight of an event without a value, by type (defaults: view/click 1, like 2, cart 3, purchase 5; others 1). */
  eventWeights?: Record<string, number>;
  /** Event types that count as purchases for bought-together (default purchase, buy, order). */
  purchaseTypes?: readonly string[];
  /** Events replayed into the real-time structures at start (default 200,000). */
  warmEvents?: number;
  log?: { warn(obj: object, msg: string): void };
}

const DEFAULT_WEIGHTS: Record<string, number> = { view: 1, click: 1, like: 2, cart: 3, 'add-to-cart': 3, purchase: 5, buy: 5, order: 5 };

/** Source and model of a served list. */
export interface ServedModel {
  version: string;
  algorithm: string;
  slot: string;
  source: string;
}

/**
 * The serving core, independent of HTTP: recommendations (cache -> model with the user's live history -> popular),
 * similar items, bought-together, popular/trending, and event ingestion with real-time updates (popularity,
 * co-occurrence, per-user cache invalidation). The store is the source of truth for histories, so an acknowledged
 * event is part of the user's next recommendation without retraining.
 */
export class RecommendService {
  catalog = new Catalog();
  popularity = new PopularityIndex();
  cooc = new CoOccurrence();
  purchases = new CoOccurrence();
  private readonly generation = new Map<string, number>();
  private readonly historyLimit: number;
  private readonly weights: Record<string, number>;
  private readonly purchaseTypes: Set<string>;
  private readonly warmEvents: number;
  private readonly log: ServiceOptions['log'];

  constructor(
    readonly store: Store,
    readonly cache: ResultCache,
    readonly registry: ModelRegistry,
    readonly experiments: Experiments,
    readonly metrics: ServerMetrics,
    opts: ServiceOptions = {},
  ) {
    this.historyLimit = opts.historyLimit ?? 500;
    this.weights = { ...DEFAULT_WEIGHTS, ...(opts.eventWeights ?? {}) };
    this.purchaseTypes = new Set(opts.purchaseTypes ?? ['purchase', 'buy', 'order']);
    this.warmEvents = opts.warmEvents ?? 200_000;
    this.log = opts.log;
  }

  /** (Re)builds catalog flags, popularity and recent co-occurrences from the store. */
  async warm(): Promise<void> {
    const catalog = new Catalog();
    const popularity = new PopularityIndex();
    const cooc = new CoOccurrence();
    const purchases = new CoOccurrence();
    let after = '';
    for (;;) {
      const page = await this.store.listItems(10_000, after);
      for (const it of page) catalog.put(it);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.id;
    }
    for (const c of await this.store.itemCounts()) popularity.add(c.item, c.lastTimestamp, c.count);
    for (const e of await this.store.recentEvents(this.warmEvents)) this.observe(e, cooc, purchases);
    this.catalog = catalog;
    this.popularity = popularity;
    this.cooc = cooc;
    this.purchases = purchases;
  }

  private observe(e: EventRecord, cooc = this.cooc, purchases = this.purchases): void {
    cooc.add(e.user, e.item);
    if (this.purchaseTypes.has(e.type)) purchases.add(e.user, e.item);
  }

  /** The model answering `user` in `slot`: the A/B variant when a test runs there, else the slot's active one. */
  async modelFor(slot: string, user: string): Promise<{ lm: LoadedModel | undefined; experiment?: { name: string; variant: 'control' | 'treatment' } }> {
    const a = this.experiments.assign(slot, user);
    if (a === undefined) return { lm: this.registry.activeModel(slot) };
    return { lm: await this.registry.load(a.version), experiment: { name: a.experiment.name, variant: a.variant } };
  }

  /** A recommendation list as a JSON string (cached per user and model version) and whether it came from the cache. */
  async recommend(user: string, q: RecommendQuery): Promise<{ body: string; cached: boolean }> {
    const { lm, experiment } = await this.modelFor(q.slot, user);
    const version = lm?.info.version ?? 'live';
    if (experiment !== undefined) this.experiments.impression(experiment.name, experiment.variant);
    const ns = `rec:${version}:${user}`;
    const field = `${q.k}|${q.offset}|${q.category ?? ''}|${q.excludeSeen ? 1 : 0}`;
    const hit = await this.cache.get(ns, field);
    if (hit !== undefined) {
      this.metrics.servedByVersion.inc({ version, source: 'cache' });
      return { body: hit, cached: true };
    }
    if (this.cache.degraded) this.metrics.degraded.inc();
    const gen = this.generation.get(user) ?? 0;
    let history: HistoryEntry[];
    let storeDown = false;
    try {
      history = await this.store.userHistory(user, this.historyLimit);
    } catch (e) {
      if (!(e instanceof UnavailableError)) throw e;
      // The store is away: answer from what the model knows (degraded), never fail a read.
      this.log?.warn({ err: e.message }, 'store unavailable; recommending without history');
      history = [];
      storeDown = true;
    }
    const ranked = rankForUser(lm, user, history, q, this);
    const listId = experiment === undefined ? `l~${randomBytes(6).toString('hex')}` : `${experiment.name}~${experiment.variant}~${randomBytes(6).toString('hex')}`;
    const model: ServedModel = { version, algorithm: lm?.info.algorithm ?? 'popularity+cooccurrence', slot: q.slot, source: ranked.source };
    const body = JSON.stringify({ user, items: ranked.items, model, ...(experiment === undefined ? {} : { experiment }), listId });
    this.metrics.servedByVersion.inc({ version, source: ranked.source });
    if (!storeDown && (this.generation.get(user) ?? 0) === gen) await this.cache.set(ns, field, body);
    return { body, cached: false };
  }

  /**
   * Session recommendations: ranked from the user's most recent activity only (items touched within `windowMinutes`
   * of their latest event, at most `maxItems`), so they follow what the user is doing now rather than their whole
   * history. Uses the fold-in of the session for factor models, else live co-occurrence; history items excluded.
   */
  async sessionRecommend(user: string, k: number, windowMinutes: number, maxItems = 10): Promise<{ items: Scored[]; model: ServedModel; session: string[] }> {
    const history = await this.store.userHistory(user, this.historyLimit);
    const lm = this.registry.activeModel(DEFAULT_SLOT);
    const latest = history.length === 0 ? 0 : history[0]!.lastTimestamp;
    const session: HistoryEntry[] = [];
    for (const h of history) if (session.length < maxItems && h.lastTimestamp >= latest - windowMinutes * 60_000) session.push(h);
    const ranked = rankForUser(lm, user, session, { k, offset: 0, excludeSeen: true, slot: DEFAULT_SLOT }, this);
    const seen = new Set(history.map((h) => h.item));
    const items = ranked.items.filter((s) => !seen.has(s.id));
    for (const s of items) if (ranked.source !== 'popular' && !s.reason?.startsWith('because')) s.reason = `${s.reason ?? ''} (this session)`.trim();
    return {
      items,
      session: session.map((h) => h.item),
      model: { version: lm?.info.version ?? 'live', algorithm: lm?.info.algorithm ?? 'cooccurrence', slot: DEFAULT_SLOT, source: `session-${ranked.source}` },
    };
  }

  private async knownItem(item: string, lm: LoadedModel | undefined): Promise<boolean> {
    if ((lm?.space?.itemIndex(item) ?? -1) >= 0 || this.popularity.count(item) > 0) return true;
    return (await this.store.getItem(item)) !== undefined;
  }

  /** Items similar to `item`: the active model's neighbours when it has them, else live co-occurrence. */
  async similar(item: string, k: number, category?: string, slot = DEFAULT_SLOT): Promise<{ items: Scored[]; model: ServedModel }> {
    const lm = this.registry.activeModel(slot);
    const accept = (id: string) => id !== item && this.catalog.accepts(id, category);
    let items: Scored[] = [];
    let source = 'cooccurrence';
    if (lm !== undefined && canSimilar(lm.model) && (lm.space === undefined || lm.space.itemIndex(item) >= 0)) {
      items = this.fetchFiltered((m) => rankedToScored((lm.model as { similarItems(i: string, n: number): Scored[] }).similarItems(item, m), lm.space), k, accept, category !== undefined);
      for (const s of items) s.reason ??= `similar to ${item} (${lm.info.algorithm})`;
      source = 'model';
    }
    const idx = lm?.space?.itemIndex(item) ?? -1;
    const vecOf = lm === undefined ? undefined : itemVectorsOf(lm.model);
    if (items.length === 0 && lm !== undefined && idx >= 0 && canFoldIn(lm.model) && vecOf !== undefined) {
      // Factor models without their own neighbour search: rank by the item's embedding.
      const m = lm.model;
      const vec = vecOf(idx);
      const ex = Int32Array.of(idx);
      items = this.fetchFiltered((n) => rankedToScored(m.recommendForVector(vec, n, ex), lm.space), k, accept, category !== undefined);
      for (const s of items) s.reason = `close to ${item} in the ${lm.info.algorithm} embedding`;
      source = 'embedding';
    }
    if (items.length === 0) {
      items = this.cooc.similar(item, k, accept);
      source = 'cooccurrence';
    }
    if (items.length === 0 && !(await this.knownItem(item, lm))) throw new UnknownIdError('item', item);
    return { items, model: { version: lm?.info.version ?? 'live', algorithm: source === 'cooccurrence' ? 'cooccurrence' : (lm?.info.algorithm ?? 'cooccurrence'), slot, source } };
  }

  /** Items bought together with `item`: the model's answer when it has one, else purchase (then any) co-occurrence. */
  async boughtTogether(item: string, k: number, slot = DEFAULT_SLOT): Promise<{ items: Scored[]; model: ServedModel }> {
    const lm = this.registry.activeModel(slot);
    const accept = (id: string) => id !== item && !this.catalog.isHidden(id);
    const bt = this.registry.activeModel(BOUGHT_TOGETHER_SLOT);
    if (bt !== undefined && canBoughtTogether(bt.model)) {
      const raw = bt.model.boughtTogether(item, k * 2 + 8) as (Scored & { count?: number })[];
      const items: Scored[] = [];
      for (const s of raw) {
        if (items.length >= k || !accept(s.id)) continue;
        items.push({ id: s.id, score: s.score, reason: s.count === undefined ? `bought together with ${item}` : `bought together with ${item} in ${s.count} orders` });
      }
      if (items.length > 0) return { items, model: { version: bt.info.version, algorithm: bt.info.algorithm, slot: BOUGHT_TOGETHER_SLOT, source: 'model' } };
    }
    if (lm !== undefined && canBoughtTogether(lm.model)) {
      const items = lm.model.boughtTogether(item, k * 2).filter((s) => accept(s.id)).slice(0, k);
      if (items.length > 0) return { items, model: { version: lm.info.version, algorithm: lm.info.algorithm, slot, source: 'model' } };
    }
    let items = this.purchases.similar(item, k, accept);
    let source = 'purchases';
    if (items.length === 0) {
      items = this.cooc.similar(item, k, accept);
      source = 'cooccurrence';
    }
    if (items.length === 0 && !(await this.knownItem(item, lm))) throw new UnknownIdError('item', item);
    return { items, model: { version: 'live', algorithm: 'cooccurrence', slot, source } };
  }

  /** Calls `get(m)` with a growing candidate count until `k` accepted items or the list runs out. */
  fetchFiltered(get: (m: number) => Scored[], k: number, accept: (id: string) => boolean, selective: boolean): Scored[] {
    let m = selective ? k * 8 + 16 : k * 2 + 8;
    for (;;) {
      const raw = get(m);
      const out: Scored[] = [];
      for (let r = 0; r < raw.length && out.length < k; r++) if (accept(raw[r]!.id)) out.push(raw[r]!);
      if (out.length >= k || raw.length < m || m > 1_000_000) return out;
      m *= 4;
    }
  }

  /** Resolves client events to records: server ids when absent, weights by type, timestamps parsed. */
  resolveEvents(inputs: readonly EventInput[]): EventRecord[] {
    const now = Date.now();
    const out: EventRecord[] = new Array<EventRecord>(inputs.length);
    for (let k = 0; k < inputs.length; k++) {
      const e = inputs[k]!;
      let ts = now;
      if (e.timestamp !== undefined) {
        ts = typeof e.timestamp === 'number' || /^\d{1,15}$/.test(e.timestamp) ? Number(e.timestamp) : Date.parse(e.timestamp);
        if (!Number.isFinite(ts)) throw new InvalidArgumentError(`events[${k}].timestamp: expected an ISO 8601 date or epoch milliseconds, got ${JSON.stringify(e.timestamp)}`);
      }
      out[k] = { id: e.id ?? randomUUID(), user: e.user, item: e.item, type: e.type, value: e.value ?? this.weights[e.type] ?? 1, timestamp: ts, listId: e.listId ?? '' };
    }
    return out;
  }

  /**
   * Stores events (one transaction; ids already stored are skipped), then updates popularity, co-occurrence and
   * A/B clicks and invalidates the users' cached lists. Resolves only after the commit; a store outage rejects with
   * UnavailableError and nothing is acknowledged.
   */
  async ingest(inputs: readonly EventInput[]): Promise<{ accepted: number; duplicates: number; ids: string[] }> {
    const records = this.resolveEvents(inputs);
    const insertedIds = await this.store.insertEvents(records);
    const inserted = new Set(insertedIds);
    const users = new Set<string>();
    for (const r of records) {
      if (!inserted.delete(r.id)) continue;
      this.popularity.add(r.item, r.timestamp, 1, r.value);
      this.observe(r);
      if (r.listId !== '') this.experiments.click(r.listId);
      users.add(r.user);
    }
    const accepted = insertedIds.length;
    this.metrics.eventsIngested.inc({}, accepted);
    this.metrics.eventsDuplicate.inc({}, records.length - accepted);
    await this.invalidate([...users]);
    return { accepted, duplicates: records.length - accepted, ids: records.map((r) => r.id) };
  }

  /** Drops the cached lists of `users` for every loaded model version. */
  async invalidate(users: readonly string[]): Promise<void> {
    if (users.length === 0) return;
    const versions = [...this.registry.loadedVersions(), 'live'];
    const ns: string[] = [];
    // Bounded: dropping the counters only risks caching one list computed while an event arrived (TTL-bounded).
    if (this.generation.size > 1_000_000) this.generation.clear();
    for (const u of users) {
      this.generation.set(u, (this.generation.get(u) ?? 0) + 1);
      for (const v of versions) ns.push(`rec:${v}:${u}`);
    }
    await this.cache.drop(ns);
  }
}
