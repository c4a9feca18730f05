import { Redis } from 'ioredis';
import type { CacheStats, ResultCache } from './cache.js';

/** Options of the Redis cache. */
export interface RedisCacheOptions {
  /** Key prefix (default "reckon"); give each test run its own. */
  prefix?: string;
  /** Entry lifetime in seconds (default 600). */
  ttlSeconds?: number;
  /** Milliseconds before a command counts as failed (default 500). */
  commandTimeoutMs?: number;
  /** Called once per failure streak (start of an outage) and once on recovery. */
  onStateChange?: (degraded: boolean, error?: Error) => void;
}

/**
 * Redis cache (ioredis): a namespace is one Redis hash (`HGET` / `HSET` + `EXPIRE` in one pipeline / `DEL`).
 * Commands fail fast instead of queueing while Redis is away (no offline queue, one try, a command timeout); the
 * client keeps reconnecting in the background, and the cache is used again as soon as it is back.
 *
 * Keys carry an epoch that moves whenever an invalidation could not be applied (a failed or skipped `DEL`): entries
 * written before it are no longer addressed (they expire by TTL), so a missed invalidation cannot resurrect a stale
 * list after an outage. A slow or failed read only counts as a miss (it cannot make anything stale).
 */
export class RedisCache implements ResultCache {
  readonly kind = 'redis';
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttl: number;
  private readonly onStateChange: ((degraded: boolean, error?: Error) => void) | undefined;
  private epoch = Date.now().toString(36);
  private failing = false;

  constructor(url: string, opts: RedisCacheOptions = {}) {
    this.prefix = opts.prefix ?? 'reckon';
    this.ttl = opts.ttlSeconds ?? 600;
    this.onStateChange = opts.onStateChange;
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 500,
      connectTimeout: 1000,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(50 * times, 1000),
    });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => this.recovered());
  }

  get degraded(): boolean {
    return this.failing;
  }

  private key(ns: string): string {
    return `${this.prefix}:${this.epoch}:${ns}`;
  }

  private failed(e: unknown, invalidationLost = false): void {
    this.stats.errors++;
    if (invalidationLost) this.epoch = `${Date.now().toString(36)}${this.stats.errors}`;
    if (!this.failing) {
      this.failing = true;
      this.onStateChange?.(true, e instanceof Error ? e : new Error(String(e)));
    }
  }

  private recovered(): void {
    if (this.failing) {
      this.failing = false;
      this.onStateChange?.(false);
    }
  }

  async get(ns: string, field: string): Promise<string | undefined> {
    if (this.redis.status !== 'ready') {
      this.failed(new Error(`redis connection is ${this.redis.status}`));
      return undefined;
    }
    try {
      const v = await this.redis.hget(this.key(ns), field);
      this.recovered();
      if (v === null) {
        this.stats.misses++;
        return undefined;
      }
      this.stats.hits++;
      return v;
    } catch (e) {
      this.failed(e);
      return undefined;
    }
  }

  async set(ns: string, field: string, value: string): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      const k = this.key(ns);
      await this.redis.multi().hset(k, field, value).expire(k, this.ttl).exec();
    } catch (e) {
      this.failed(e);
    }
  }

  async drop(namespaces: readonly string[]): Promise<void> {
    if (namespaces.length === 0) return;
    if (this.redis.status !== 'ready') {
      this.failed(new Error(`redis connection is ${this.redis.status}`), true);
      return;
    }
    try {
      await this.redis.del(...namespaces.map((ns) => this.key(ns)));
    } catch (e) {
      this.failed(e, true);
    }
  }

  /** Resolves once connected (or rejects after `ms`); for start-up and tests. */
  async waitReady(ms = 2000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`redis not ready after ${ms} ms (status ${this.redis.status})`)), ms);
      this.redis.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
