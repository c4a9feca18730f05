import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { storeContract } from '../test-support/store-contract.js';
import { openStore } from './open.js';
import { PostgresStore } from './postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-store-'));
storeContract('sqlite file', () => openStore(`sqlite:${join(dir, 'a.db')}`), async () => rmSync(dir, { recursive: true, force: true }));
storeContract('sqlite memory', () => openStore('sqlite::memory:'));

const pgUrl = process.env['DATABASE_URL'];
if (pgUrl === undefined) {
  console.log('store.test: DATABASE_URL is not set; skipping the PostgreSQL contract run');
} else {
  const schema = `reckon_t${process.pid}_${Date.now() % 100000}`;
  const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  storeContract('postgres', () => openStore(url), (s) => (s as PostgresStore).dropSchema());
}

describe('openStore', () => {
  it('rejects unknown schemes with the list of known ones', async () => {
    await expect(openStore('mysql://x')).rejects.toThrow(/unknown scheme "mysql:"; expected one of/);
    await expect(openStore('mysql://x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
  it('rejects an unsafe schema name', () => {
    expect(() => new PostgresStore('postgres://h/db?schema=x;drop')).toThrow(/schema must match/);
  });
});
