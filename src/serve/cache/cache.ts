/**
 * The result cache: one interface, an in-process LRU (default) and Redis. Entries live in namespaces (one per user and
 * model version, e.g. `rec:v3:alice`) holding fields (one per query shape, e.g. `k=10&offset=0`), so invalidating a
 * user is one namespace delete whatever the queries cached.
 *
 * A cache never throws: a failing back end answers `undefined` (a miss), counts the failure in `stats.errors` and
 * reports `degraded`; the caller computes the answer from the model instead.
 */
export interface ResultCache {
  /** "lru", "redis" or "none". */
  readonly kind: string;
  get(ns: string, field: string): Promise<string | undefined>;
  set(ns: string, field: string, value: string): Promise<void>;
  /** Drops whole namespaces. */
  drop(namespaces: readonly string[]): Promise<void>;
  /** True while the back end is failing (answers are being computed without it). */
  readonly degraded: boolean;
  readonly stats: CacheStats;
  close(): Promise<void>;
}

/** Counters since start. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Back-end failures (each one served degraded, from the model). */
  errors: number;
}

/** A cache that stores nothing (`--cache none`), for measuring the uncached path. */
export class NoCache implements ResultCache {
  readonly kind = 'none';
  readonly degraded = false;
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  async get(): Promise<string | undefined> {
    this.stats.misses++;
    return undefined;
  }
  async set(): Promise<void> {}
  async drop(): Promise<void> {}
  async close(): Promise<void> {}
}
