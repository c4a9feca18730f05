/**
 * Data for bench/serve: a synthetic catalog of N items and M users with Zipf-popular items, written into a SQLite
 * store, and a 64-factor implicit ALS (3 sweeps: serving speed does not depend on convergence) trained on those events
 * and published in a model registry. Built once per parameter set under the OS temp dir.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { Interactions } from '../src/data/interactions.js';
import { AlsModel } from '../src/recommenders/implicit/als.js';
import { ModelRegistry } from '../src/serve/registry.js';
import { SqliteStore } from '../src/serve/store/sqlite.js';
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
  const t = await store.trainingTriples();
  await store.close();
  const t1 = Date.now();
  const als = await new AlsModel({ factors, epochs: 3, seed: 11 }).fit(Interactions.fromRaw(t.users, t.items, t.values));
  process.stderr.write(`ALS (${factors} factors, 3 sweeps) fitted on ${t.users.length} pairs in ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
  const registry = await ModelRegistry.open(out.models);
  await registry.publish('recommender', als.toArtifact(), { activate: true });
  writeFileSync(join(dir, 'ready'), String(Date.now() - t0));
  process.stderr.write(`bench data built in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${dir}\n`);
  return out;
}
