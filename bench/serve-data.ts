/**
 * Data for bench/serve: a synthetic catalog of N items and M users with Zipf-popular items, written into a SQLite
 * store, and a 64-factor model (real ALS when registered and RECKON_BENCH_ALS=1, else planted random factors with the
 * same fold-in kernel shape) published in a model registry. Built once per parameter set under the OS temp dir.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { ModelRegistry } from '../src/serve/registry.js';
import { SqliteStore } from '../src/serve/store/sqlite.js';
import { TestFactorModel } from '../src/serve/test-support/factors.js';
import type { EventRecord, ItemInput } from '../src/serve/types.js';

export interface BenchData {
  dir: string;
  store: string;
  models: string;
  users: number;
  items: number;
}

export async function ensureBenchData(items: number, users: number, eventsPerUser: number, factors: number): Promise<BenchData> {
  const dir = join(tmpdir(), `reckon-bench-serve-${items}-${users}-${eventsPerUser}-${factors}`);
  const out: BenchData = { dir, store: `sqlite:${join(dir, 'bench.db')}`, models: join(dir, 'models'), users, items };
  if (existsSync(join(dir, 'ready'))) return out;
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const store = new SqliteStore(join(dir, 'bench.db'));
  const rng = new Rng(7);
  const cats = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  for (let start = 0; start < items; start += 10_000) {
    const batch: ItemInput[] = [];
    for (let i = start; i < Math.min(items, start + 10_000); i++) batch.push({ id: `i${i}`, title: `Item ${i}`, categories: [cats[i % cats.length]!] });
    await store.upsertItems(batch);
  }
  const ts = Date.UTC(2026, 0, 1);
  let batch: EventRecord[] = [];
  for (let u = 0; u < users; u++) {
    for (let e = 0; e < eventsPerUser; e++) {
      // Zipf-like item popularity: i = floor(items * x^3)
      const i = Math.floor(items * Math.pow(rng.uniform(), 3));
      batch.push({ id: `b${u}-${e}`, user: `u${u}`, item: `i${i}`, type: 'view', value: 1, timestamp: ts + e * 1000, listId: '' });
    }
    if (batch.length >= 50_000) {
      await store.insertEvents(batch);
      batch = [];
    }
  }
  await store.insertEvents(batch);
  await store.close();
  const registry = await ModelRegistry.open(out.models, (a) => TestFactorModel.fromArtifact(a));
  await registry.publish('recommender', TestFactorModel.random(items, factors, 11).toArtifact(), { activate: true });
  writeFileSync(join(dir, 'ready'), String(Date.now() - t0));
  process.stderr.write(`bench data built in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${dir}\n`);
  return out;
}
