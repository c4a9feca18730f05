import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { IdMap } from '../core/ids.js';
import { InvalidArgumentError } from '../core/errors.js';
import { duckdbQuery, sqlString } from '../data/duckdb.js';
import { Interactions } from '../data/interactions.js';

/** How a partitioned event log becomes interactions. */
export interface AggregateOptions {
  /** Glob(s) of the log: `logs/date=*\/*.parquet` (hive partitions are read) or CSV files. */
  source: string | readonly string[];
  format?: 'parquet' | 'csv';
  /** Output folder: interactions.parquet (u, i, v, t as dense indices), users.parquet, items.parquet. */
  outDir: string;
  /** Column names in the log (defaults user_id, item_id, type, value, ts with ts in epoch ms). */
  columns?: { user?: string; item?: string; type?: string; value?: string; ts?: string };
  /** Weight per event type (others get `defaultWeight`); an event counts weight x value. */
  weights?: Record<string, number>;
  defaultWeight?: number;
  /** Exponential time decay: an event `halfLifeDays` older than `asOf` counts half. Off by default. */
  halfLifeDays?: number;
  /** Reference time of the decay (epoch ms; default the latest event). */
  asOf?: number;
  /** Only events with ts < until (epoch ms; default all). */
  until?: number;
  /** Keep only users and items with at least k pairs, iterated to a fixed point (default 1 = off). */
  kCore?: number;
  /** DuckDB memory limit, e.g. "2GB" (default "1GB"); beyond it DuckDB spills to `tempDir`. */
  memoryLimit?: string;
  tempDir?: string;
  /** DuckDB threads (default 2). */
  threads?: number;
}

/** Sizes after aggregation. */
export interface AggregateReport {
  pairs: number;
  users: number;
  items: number;
  kCoreRounds: number;
}

function ident(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new InvalidArgumentError(`aggregateEventLog: column name must match [A-Za-z_][A-Za-z0-9_]*, got "${s}"`);
  return `"${s}"`;
}

/**
 * Aggregates an event log larger than memory into a user x item matrix inside DuckDB (bounded by `memoryLimit`,
 * spilling to `tempDir`): weight by type, optional exponential decay, sum per pair, optional k-core, dense id
 * encoding; results written as Parquet under `outDir`. Only the aggregated pairs ever reach JS (see
 * {@link readAggregated}).
 */
export async function aggregateEventLog(o: AggregateOptions): Promise<AggregateReport> {
  mkdirSync(o.outDir, { recursive: true });
  const tempDir = o.tempDir ?? join(o.outDir, 'duckdb-tmp');
  mkdirSync(tempDir, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { memory_limit: o.memoryLimit ?? '1GB', temp_directory: tempDir, threads: String(o.threads ?? 2), preserve_insertion_order: 'false' });
  const c = await db.connect();
  try {
    const col = o.columns ?? {};
    const [u, i, ty, val, ts] = [ident(col.user ?? 'user_id'), ident(col.item ?? 'item_id'), ident(col.type ?? 'type'), ident(col.value ?? 'value'), ident(col.ts ?? 'ts')];
    const files = `[${(typeof o.source === 'string' ? [o.source] : o.source).map(sqlString).join(', ')}]`;
    const scan = (o.format ?? 'parquet') === 'parquet' ? `read_parquet(${files}, hive_partitioning = true, union_by_name = true)` : `read_csv(${files}, header = true, union_by_name = true)`;
    const weights = Object.entries(o.weights ?? {});
    const w = weights.length === 0 ? String(o.defaultWeight ?? 1) : `CASE ${ty} ${weights.map(([k, x]) => `WHEN ${sqlString(k)} THEN ${Number(x)}`).join(' ')} ELSE ${Number(o.defaultWeight ?? 1)} END`;
    let decay = '1';
    if (o.halfLifeDays !== undefined) {
      const asOf = o.asOf ?? Number((await (await c.runAndReadAll(`SELECT CAST(MAX(${ts}) AS DOUBLE) FROM ${scan}`)).getRows())[0]![0]);
      decay = `exp(-ln(2) * (${asOf} - CAST(${ts} AS DOUBLE)) / ${o.halfLifeDays * 86_400_000})`;
    }
    await c.run(`CREATE TABLE agg AS SELECT CAST(${u} AS VARCHAR) AS u, CAST(${i} AS VARCHAR) AS i, SUM(${w} * CAST(${val} AS DOUBLE) * ${decay}) AS v,
      MAX(CAST(${ts} AS DOUBLE)) AS t FROM ${scan}${o.until === undefined ? '' : ` WHERE CAST(${ts} AS DOUBLE) < ${Number(o.until)}`} GROUP BY 1, 2`);
    let rounds = 0;
    const k = o.kCore ?? 1;
    while (k > 1 && rounds < 100) {
      const before = Number((await (await c.runAndReadAll('SELECT COUNT(*) FROM agg')).getRows())[0]![0]);
      await c.run(`DELETE FROM agg WHERE u IN (SELECT u FROM agg GROUP BY u HAVING COUNT(*) < ${k}) OR i IN (SELECT i FROM agg GROUP BY i HAVING COUNT(*) < ${k})`);
      rounds++;
      const after = Number((await (await c.runAndReadAll('SELECT COUNT(*) FROM agg')).getRows())[0]![0]);
      if (after === before) break;
    }
    await c.run('CREATE TABLE users AS SELECT u AS id, CAST(row_number() OVER (ORDER BY u) - 1 AS INTEGER) AS idx FROM (SELECT DISTINCT u FROM agg)');
    await c.run('CREATE TABLE items AS SELECT i AS id, CAST(row_number() OVER (ORDER BY i) - 1 AS INTEGER) AS idx FROM (SELECT DISTINCT i FROM agg)');
    const out = (n: string): string => sqlString(join(o.outDir, n));
    await c.run(`COPY (SELECT id, idx FROM users ORDER BY idx) TO ${out('users.parquet')} (FORMAT parquet)`);
    await c.run(`COPY (SELECT id, idx FROM items ORDER BY idx) TO ${out('items.parquet')} (FORMAT parquet)`);
    await c.run(`COPY (SELECT uu.idx AS u, ii.idx AS i, CAST(a.v AS FLOAT) AS v, a.t AS t FROM agg a JOIN users uu ON a.u = uu.id JOIN items ii ON a.i = ii.id
      ORDER BY 1, 2) TO ${out('interactions.parquet')} (FORMAT parquet)`);
    const n = (await (await c.runAndReadAll('SELECT (SELECT COUNT(*) FROM agg), (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM items)')).getRows())[0]!;
    return { pairs: Number(n[0]), users: Number(n[1]), items: Number(n[2]), kCoreRounds: rounds };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Reads the output of {@link aggregateEventLog} as CSR interactions (rows sorted by user then item). */
export async function readAggregated(outDir: string): Promise<Interactions> {
  const p = (n: string): string => sqlString(join(outDir, n));
  const users = (await duckdbQuery(`SELECT id FROM read_parquet(${p('users.parquet')}) ORDER BY idx`)).strings('id');
  const items = (await duckdbQuery(`SELECT id FROM read_parquet(${p('items.parquet')}) ORDER BY idx`)).strings('id');
  const f = await duckdbQuery(`SELECT u, i, v, t FROM read_parquet(${p('interactions.parquet')}) ORDER BY u, i`);
  const uc = f.numeric('u').values;
  const ic = f.numeric('i').values;
  const vc = f.numeric('v').values;
  const nnz = uc.length;
  const indptr = new Int32Array(users.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const times = Float64Array.from(f.numeric('t').values);
  for (let k = 0; k < nnz; k++) {
    indptr[uc[k]! + 1]!++;
    indices[k] = ic[k]!;
    values[k] = vc[k]!;
  }
  for (let r = 0; r < users.length; r++) indptr[r + 1]! += indptr[r]!;
  return new Interactions(IdMap.fromIds(users.map(String)), IdMap.fromIds(items.map(String)), indptr, indices, values, times);
}
