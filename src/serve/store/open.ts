import { resolve } from 'node:path';
import { InvalidArgumentError } from '../../core/errors.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** Store URL schemes and what they open. */
export const STORE_SCHEMES = ['sqlite:', 'file:', 'postgres:', 'postgresql:'] as const;

/**
 * Opens (and migrates) the store named by `url`: `sqlite:PATH` / `file:PATH` / a bare path (SQLite file, created when
 * missing; `sqlite::memory:` for a throw-away one) or `postgres://user@host:port/db[?schema=NAME]`.
 */
export async function openStore(url: string): Promise<Store> {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  const scheme = m === null || /^[a-z]:[\\/]/i.test(url) ? '' : m[1]!.toLowerCase() + ':';
  let store: Store;
  if (scheme === 'postgres:' || scheme === 'postgresql:') {
    store = new PostgresStore(url);
  } else if (scheme === '' || scheme === 'sqlite:' || scheme === 'file:') {
    let path = scheme === '' ? url : url.slice(scheme.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new InvalidArgumentError(`store URL "${url}" has no file path`, { url });
    store = new SqliteStore(path === ':memory:' ? path : resolve(path));
  } else {
    throw new InvalidArgumentError(`store URL "${url}": unknown scheme "${scheme}"; expected one of: ${STORE_SCHEMES.join(', ')} or a file path`, { url });
  }
  await store.migrate();
  return store;
}
