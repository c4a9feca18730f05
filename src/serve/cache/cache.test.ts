import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy, hostPort, viaProxy } from '../test-support/proxy.js';
import { NoCache } from './cache.js';
import { LruCache } from './lru.js';
import { openCache } from './open.js';
import { RedisCache } from './redis.js';

describe('LruCache', () => {
  it('hits, misses, drops namespaces and counts', async () => {
    const c = new LruCache();
    await c.set('rec:v1:a', 'k=10', 'A10');
    await c.set('rec:v1:a', 'k=5', 'A5');
    expect(await c.get('rec:v1:a', 'k=10')).toBe('A10');
    expect(await c.get('rec:v1:a', 'k=20')).toBeUndefined();
    expect(await c.get('rec:v2:a', 'k=10')).toBeUndefined();
    await c.drop(['rec:v1:a']);
    expect(await c.get('rec:v1:a', 'k=5')).toBeUndefined();
    expect(c.stats).toEqual({ hits: 1, misses: 3, errors: 0 });
  });

  it('evicts the least recently used namespace', async () => {
    const c = new LruCache({ maxNamespaces: 2 });
    await c.set('a', 'f', '1');
    await c.set('b', 'f', '2');
    expect(c.getSync('a', 'f')).toBe('1'); // a is now most recent
    await c.set('c', 'f', '3');
    expect(c.getSync('b', 'f')).toBeUndefined();
    expect(c.getSync('a', 'f')).toBe('1');
    expect(c.size).toBe(2);
  });

  it('expires entries after the TTL', async () => {
    const c = new LruCache({ ttlMs: -1 });
    await c.set('a', 'f', '1');
    expect(c.getSync('a', 'f')).toBeUndefined();
  });
});

describe('openCache', () => {
  it('chooses the adapter by URL and rejects unknown ones', () => {
    expect(openCache('memory')).toBeInstanceOf(LruCache);
    expect(openCache('none')).toBeInstanceOf(NoCache);
    expect(() => openCache('memcached://x')).toThrow(/expected memory, lru\[:N\], none or redis/);
  });
});

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) console.log('cache.test: REDIS_URL is not set; skipping the Redis cache tests');
describe.skipIf(redisUrl === undefined)('RedisCache', () => {
  const prefix = `reckon-test-${process.pid}-${Date.now()}`;
  const proxies: TcpProxy[] = [];
  afterAll(async () => {
    for (const p of proxies) await p.close();
  });

  it('stores, drops and counts', async () => {
    const c = new RedisCache(redisUrl!, { prefix });
    await c.waitReady();
    await c.set('rec:v1:a', 'k=10', 'A10');
    expect(await c.get('rec:v1:a', 'k=10')).toBe('A10');
    await c.drop(['rec:v1:a']);
    expect(await c.get('rec:v1:a', 'k=10')).toBeUndefined();
    expect(c.stats.hits).toBe(1);
    await c.close();
  });

  it('never throws while Redis is cut, reports degraded, and is used again once back', async () => {
    const { host, port } = hostPort(redisUrl!, 6379);
    const proxy = await new TcpProxy(host, port).start();
    proxies.push(proxy);
    const states: boolean[] = [];
    const c = new RedisCache(viaProxy(redisUrl!, proxy), { prefix, onStateChange: (d) => states.push(d) });
    await c.waitReady();
    await c.set('n', 'f', 'v');
    expect(await c.get('n', 'f')).toBe('v');
    proxy.cut();
    for (let i = 0; i < 5; i++) {
      expect(await c.get('n', 'f')).toBeUndefined();
      await c.set('n', 'f', 'v2');
      await c.drop(['n']);
    }
    expect(c.degraded).toBe(true);
    expect(c.stats.errors).toBeGreaterThan(0);
    proxy.restore();
    await c.waitReady(5000);
    await c.set('n', 'f', 'v3');
    expect(await c.get('n', 'f')).toBe('v3');
    expect(c.degraded).toBe(false);
    expect(states).toEqual([true, false]);
    await c.close();
  });
});
