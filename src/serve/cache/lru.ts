import type { CacheStats, ResultCache } from './cache.js';

/** Options of the in-process cache. */
export interface LruCacheOptions {
  /** Most namespaces kept (least recently used evicted first; default 100,000). */
  maxNamespaces?: number;
  /** Entry lifetime in milliseconds (default 10 minutes). */
  ttlMs?: number;
}

interface Entry {
  value: string;
  expires: number;
}

/**
 * In-process LRU over namespaces, using a Map's insertion order as the recency list (a hit re-inserts the namespace):
 * O(1) get/set/evict. Each namespace is a small Map of fields.
 */
export class LruCache implements ResultCache {
  readonly kind = 'lru';
  readonly degraded = false;
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly map = new Map<string, Map<string, Entry>>();
  private readonly max: number;
  private readonly ttl: number;

  constructor(opts: LruCacheOptions = {}) {
    this.max = opts.maxNamespaces ?? 100_000;
    this.ttl = opts.ttlMs ?? 600_000;
  }

  /** Synchronous lookup (the async `get` wraps it). */
  getSync(ns: string, field: string): string | undefined {
    const fields = this.map.get(ns);
    const e = fields?.get(field);
    if (e === undefined || e.expires < Date.now()) {
      this.stats.misses++;
      return undefined;
    }
    this.map.delete(ns);
    this.map.set(ns, fields!);
    this.stats.hits++;
    return e.value;
  }

  async get(ns: string, field: string): Promise<string | undefined> {
    return this.getSync(ns, field);
  }

  async set(ns: string, field: string, value: string): Promise<void> {
    let fields = this.map.get(ns);
    if (fields === undefined) {
      fields = new Map();
      if (this.map.size >= this.max) {
        const oldest = this.map.keys().next();
        if (oldest.done !== true) this.map.delete(oldest.value);
      }
    } else {
      this.map.delete(ns);
    }
    this.map.set(ns, fields);
    fields.set(field, { value, expires: Date.now() + this.ttl });
  }

  async drop(namespaces: readonly string[]): Promise<void> {
    for (const ns of namespaces) this.map.delete(ns);
  }

  /** Namespaces held. */
  get size(): number {
    return this.map.size;
  }

  async close(): Promise<void> {
    this.map.clear();
  }
}
