/**
 * Pipeline benchmark. `npm run bench -- pipeline [events=10000000] [alsUsers=50000]`
 * 1. Generates a partitioned Parquet event log of `events` rows inside DuckDB (deterministic hash-based ids), then
 *    aggregates it into interactions (weights, 14-day decay, 2-core) in a child process with DuckDB memory_limit 2GB,
 *    reporting wall time and the child's peak RSS (process.resourceUsage().maxRSS).
 * 2. ALS throughput: the same fit single-process (AlsModel) and distributed over 1, 2, 3 local `reckon worker`
 *    processes through Redis (REDIS_URL; skipped without it), reporting wall time and nnz x epochs per second.
 * The machine has 2 cores shared with other jobs: 3 workers oversubscribe it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Redis } from 'ioredis';
import { Rng } from '../src/core/rng.js';
import { Interactions } from '../src/data/interactions.js';
import { distributedAls } from '../src/pipeline/distributed/als-coordinator.js';
import { aggregateEventLog } from '../src/pipeline/out-of-core.js';
import { AlsModel } from '../src/recommenders/implicit/als.js';

const self = fileURLToPath(import.meta.url);

async function childAggregate(src: string, out: string): Promise<void> {
  const t0 = performance.now();
  const rep = await aggregateEventLog({ source: join(src, '*', '*.parquet'), outDir: out, weights: { view: 1, cart: 3, purchase: 5 }, halfLifeDays: 14, kCore: 2, memoryLimit: '2GB', threads: 2 });
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ ...rep, seconds: s, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

async function generate(dir: string, events: number, parts: number): Promise<number> {
  const db = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', threads: '2' });
  const c = await db.connect();
  const t0 = performance.now();
  const per = Math.ceil(events / parts);
  const users = Math.max(1000, Math.floor(events / 50));
  const items = Math.max(500, Math.floor(events / 500));
  for (let p = 0; p < parts; p++) {
    const n = Math.min(per, events - p * per);
    if (n <= 0) break;
    const d = join(dir, `date=2026-01-${String(p + 1).padStart(2, '0')}`);
    mkdirSync(d, { recursive: true });
    // ids from a hash of the row number: skewed items (square of a uniform), uniform users.
    await c.run(`COPY (SELECT 'u' || (hash(r * 2 + ${p * 7919}) % ${users}) AS user_id,
        'i' || CAST(floor(pow((hash(r * 2 + 1 + ${p * 7919}) % 1000003) / 1000003.0, 2) * ${items}) AS BIGINT) AS item_id,
        CASE hash(r + ${p}) % 10 WHEN 0 THEN 'purchase' WHEN 1 THEN 'cart' ELSE 'view' END AS type, 1.0 AS value,
        ${Date.UTC(2026, 0, p + 1)} + (hash(r + 17) % 86400000) AS ts FROM range(${n}) t(r))
      TO '${join(d, 'part-0.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  }
  c.closeSync();
  db.closeSync();
  return (performance.now() - t0) / 1000;
}

function plantedAls(nUsers: number, seed: number): Interactions {
  const rng = new Rng(seed);
  const u: string[] = [];
  const i: string[] = [];
  const v: number[] = [];
  const nItems = Math.max(100, Math.floor(nUsers / 3));
  for (let a = 0; a < nUsers; a++) {
    const n = 5 + Math.floor(rng.float() * 30);
    for (let k = 0; k < n; k++) {
      u.push(`u${a}`);
      i.push(`i${Math.floor(rng.float() * rng.float() * nItems)}`);
      v.push(1);
    }
  }
  return Interactions.fromRaw(u, i, v);
}

function spawnWorkers(n: number, queue: string, redisUrl: string): ChildProcess[] {
  const main = fileURLToPath(new URL('../src/pipeline/distributed/worker-main.ts', import.meta.url));
  return Array.from({ length: n }, () => spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, REDIS_URL: redisUrl, RECKON_QUEUE: queue }, stdio: 'ignore' }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--aggregate') return childAggregate(args[1]!, args[2]!);
  const events = Number(args[0] ?? 10_000_000);
  const alsUsers = Number(args[1] ?? 50_000);
  const dir = mkdtempSync(join(process.env['RECKON_BENCH_TMP'] ?? tmpdir(), 'reckon-pipeline-bench-'));
  try {
    const genS = await generate(join(dir, 'log'), events, 10);
    const du = spawnSync('du', ['-sm', join(dir, 'log')], { encoding: 'utf8' }).stdout.split('\t')[0];
    process.stdout.write(JSON.stringify({ bench: 'pipeline', step: 'generate', events, parquetMB: Number(du), seconds: genS }) + '\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--aggregate', join(dir, 'log'), join(dir, 'out')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`aggregate child failed: ${r.stderr}`);
    const agg = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    process.stdout.write(JSON.stringify({ bench: 'pipeline', step: 'aggregate', events, memoryLimit: '2GB', ...agg, eventsPerSecond: events / agg['seconds']! }) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const data = plantedAls(alsUsers, 1);
  const params = { factors: 32, epochs: 3, regularization: 0.05, alpha: 1, cgSteps: 3, seed: 7 };
  const t0 = performance.now();
  await new AlsModel(params).fit(data, { seed: params.seed });
  const single = (performance.now() - t0) / 1000;
  const work = data.nnz * params.epochs;
  process.stdout.write(JSON.stringify({ bench: 'pipeline', step: 'als', runner: 'single-process', users: data.nUsers, items: data.nItems, nnz: data.nnz, factors: params.factors, epochs: params.epochs, seconds: single, nnzEpochsPerSecond: work / single }) + '\n');
  const redisUrl = process.env['REDIS_URL'];
  if (redisUrl === undefined) {
    process.stdout.write(JSON.stringify({ bench: 'pipeline', step: 'als', skipped: 'REDIS_URL is not set' }) + '\n');
    return;
  }
  for (const w of [1, 2, 3]) {
    const queue = `reckon-bench-${process.pid}-${w}`;
    const ws = spawnWorkers(w, queue, redisUrl);
    const adir = mkdtempSync(join(tmpdir(), 'reckon-dals-bench-'));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const t1 = performance.now();
      await distributedAls(data, params, { redisUrl, queue, dir: adir, rowsPerShard: Math.ceil(Math.max(data.nUsers, data.nItems) / 24) });
      const s = (performance.now() - t1) / 1000;
      process.stdout.write(JSON.stringify({ bench: 'pipeline', step: 'als', runner: `bullmq-${w}-workers`, nnz: data.nnz, factors: params.factors, epochs: params.epochs, seconds: s, nnzEpochsPerSecond: work / s, vsSingle: single / s }) + '\n');
    } finally {
      for (const c of ws) c.kill('SIGTERM');
      rmSync(adir, { recursive: true, force: true });
      const r = new Redis(redisUrl);
      const keys = await r.keys(`bull:${queue}:*`);
      if (keys.length > 0) await r.del(...keys);
      r.disconnect();
    }
  }
}

await main();
