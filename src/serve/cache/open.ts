import { InvalidArgumentError } from '../../core/errors.js';
import { NoCache, type ResultCache } from './cache.js';
import { LruCache } from './lru.js';
import { RedisCache, type RedisCacheOptions } from './redis.js';

/**
 * Opens the cache named by `url`: `memory` / `lru` / `lru:N` (in-process, N namespaces), `none` (no caching), or
 * `redis://host:port[/db]` / `rediss://...`.
 */
export function openCache(url: string, redisOpts: RedisCacheOptions = {}): ResultCache {
  const u = url.trim();
  if (u === '' || u === 'memory' || u === 'lru') return new LruCache();
  const lru = /^lru:(\d+)$/.exec(u);
  if (lru !== null) return new LruCache({ maxNamespaces: Number(lru[1]) });
  if (u === 'none' || u === 'off') return new NoCache();
  if (u.startsWith('redis://') || u.startsWith('rediss://')) return new RedisCache(u, redisOpts);
  throw new InvalidArgumentError(`cache URL "${url}": expected memory, lru[:N], none or redis://host:port`, { url });
}
