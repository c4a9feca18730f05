/**
 * CSV -> Interactions: Reckon's byte-level reader (readInteractionsCsv, to CSR; on one thread and on two worker
 * threads) beside DuckDB's read_csv (into typed
 * arrays, and end to end to CSR) in the same run, on ml-latest-small and on a generated 20M-row ratings CSV
 * (200k users, 50k items with a skewed popularity, ratings 0.5..5, timestamps; seeded, written to bench/out, never
 * committed). Each measurement runs in its own child process so peak RSS (maxRSS) belongs to that side alone.
 *
 *   npm run bench -- csv [--rows N] [--skip-large]
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Rng } from '../src/core/rng.js';
import { buildCsr } from '../src/data/csr-build.js';
import { IdKeyer } from '../src/data/csv/idkeys.js';
import { readInteractionsCsv } from '../src/data/ratings.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const outDir = join(here, 'out');
const dataDir = process.env['RECKON_DATA'] ?? resolve(root, '..', 'shared', 'data');

type Side = 'reckon' | 'reckon-2w' | 'duckdb-read' | 'duckdb-csr';

interface ChildResult {
  side: Side;
  rows: number;
  users: number;
  items: number;
  seconds: number;
  /** User + system CPU time of the process over the run (all threads). */
  cpuSeconds: number;
  coldSeconds?: number;
  repeat?: number;
  peakRssMb: number;
}

/** Writes the seeded synthetic ratings file. */
function generate(path: string, rows: number): void {
  const rng = new Rng(20261129);
  const fd = openSync(path, 'w');
  let s = 'userId,movieId,rating,timestamp\n';
  for (let k = 0; k < rows; k++) {
    const u = rng.int(200_000) + 1;
    const i = Math.floor(rng.uniform() * rng.uniform() * 50_000) + 1;
    const half = rng.int(10) + 1;
    const r = half % 2 === 0 ? `${half / 2}.0` : `${(half - 1) / 2}.5`;
    s += `${u},${i},${r},${1_000_000_000 + rng.int(500_000_000)}\n`;
    if (s.length > 1 << 20) {
      writeSync(fd, s);
      s = '';
    }
  }
  writeSync(fd, s);
  closeSync(fd);
}

/** Best of `repeat` runs (the first is cold: JIT warm-up included), and the cold time. */
async function child(side: Side, path: string, repeat: number): Promise<ChildResult> {
  let best: ChildResult | undefined;
  let cold = 0;
  for (let k = 0; k < repeat; k++) {
    const r = await once(side, path);
    if (k === 0) cold = r.seconds;
    if (best === undefined || r.seconds < best.seconds) best = r;
  }
  return { ...best!, coldSeconds: cold, repeat, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function once(side: Side, path: string): Promise<ChildResult> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let rows = 0;
  let users = 0;
  let items = 0;
  if (side === 'reckon' || side === 'reckon-2w') {
    const r = await readInteractionsCsv(path, { combine: 'last', workers: side === 'reckon' ? 1 : 2 });
    rows = r.nnz;
    users = r.nUsers;
    items = r.nItems;
  } else {
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const res = await con.stream(
      `SELECT userId::INTEGER AS u, movieId::INTEGER AS i, rating::FLOAT AS r, timestamp::DOUBLE AS t FROM read_csv('${path.replaceAll("'", "''")}', header = true)`,
    );
    let cap = 1 << 20;
    let u = new Int32Array(cap);
    let it = new Int32Array(cap);
    let v = new Float32Array(cap);
    let ts = new Float64Array(cap);
    let n = 0;
    for (;;) {
      const chunk = await res.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (n + m > cap) {
        cap *= 2;
        const u2 = new Int32Array(cap);
        u2.set(u);
        u = u2;
        const i2 = new Int32Array(cap);
        i2.set(it);
        it = i2;
        const v2 = new Float32Array(cap);
        v2.set(v);
        v = v2;
        const t2 = new Float64Array(cap);
        t2.set(ts);
        ts = t2;
      }
      const cu = chunk.getColumnVector(0);
      const ci = chunk.getColumnVector(1);
      const cr = chunk.getColumnVector(2);
      const ct = chunk.getColumnVector(3);
      for (let k = 0; k < m; k++) {
        u[n + k] = cu.getItem(k) as number;
        it[n + k] = ci.getItem(k) as number;
        v[n + k] = cr.getItem(k) as number;
        ts[n + k] = ct.getItem(k) as number;
      }
      n += m;
    }
    rows = n;
    if (side === 'duckdb-csr') {
      // the same end point as ours: dense ids in first-seen order, then CSR
      const uk = new IdKeyer(1 << 14);
      const ik = new IdKeyer(1 << 14);
      const du = new Int32Array(n);
      const di = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        du[k] = uk.keyInt(u[k]!);
        di[k] = ik.keyInt(it[k]!);
      }
      const csr = buildCsr({ users: du, items: di, values: v.subarray(0, n), timestamps: ts.subarray(0, n) }, uk.toIdMap(), ik.toIdMap(), 'last');
      rows = csr.nnz;
      users = csr.nUsers;
      items = csr.nItems;
    }
    con.closeSync();
    inst.closeSync();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { side, rows, users, items, seconds, cpuSeconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

function runChild(side: Side, path: string, repeat: number): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', side, path, String(repeat)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${side} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(await child(args[1] as Side, args[2]!, Number(args[3] ?? 1))) + '\n');
    return;
  }
  const rowsArg = args.indexOf('--rows');
  const largeRows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 20_000_000;
  const datasets: { name: string; path: string; repeat: number }[] = [];
  const small = join(dataDir, 'ml-latest-small', 'ratings.csv');
  if (existsSync(small)) datasets.push({ name: 'ml-latest-small', path: small, repeat: 5 });
  else process.stderr.write(`skipping ml-latest-small: ${small} not found (set RECKON_DATA)\n`);
  if (!args.includes('--skip-large')) {
    mkdirSync(outDir, { recursive: true });
    const big = join(outDir, `ratings-${largeRows}.csv`);
    if (!existsSync(big)) {
      process.stderr.write(`generating ${big} ...\n`);
      generate(big, largeRows);
    }
    datasets.push({ name: `synthetic-${largeRows / 1e6}M`, path: big, repeat: 1 });
  }
  const log = join(outDir, 'csv.jsonl');
  mkdirSync(outDir, { recursive: true });
  for (const d of datasets) {
    const bytes = statSync(d.path).size;
    const res: Partial<Record<Side, ChildResult>> = {};
    for (const side of ['reckon', 'reckon-2w', 'duckdb-read', 'duckdb-csr'] as const) {
      const r = runChild(side, d.path, d.repeat);
      res[side] = r;
      const line = {
        bench: 'csv',
        dataset: d.name,
        side: r.side,
        rows: r.rows,
        users: r.users,
        items: r.items,
        bytes,
        seconds: Number(r.seconds.toFixed(3)),
        cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
        coldSeconds: Number((r.coldSeconds ?? r.seconds).toFixed(3)),
        loadAvg1m: Number(loadavg()[0]!.toFixed(2)),
        repeat: d.repeat,
        rowsPerSecond: Math.round(r.rows / r.seconds),
        peakRssMb: r.peakRssMb,
        cpus: cpus().length,
        date: new Date().toISOString(),
      };
      process.stdout.write(JSON.stringify(line) + '\n');
      appendFileSync(log, JSON.stringify(line) + '\n');
    }
    const ours = res.reckon!;
    const ratio = {
      bench: 'csv',
      dataset: d.name,
      ratio: 'peer seconds / reckon seconds (wall clock; >1 = reckon faster)',
      vsDuckdbRead: Number((res['duckdb-read']!.seconds / ours.seconds).toFixed(2)),
      vsDuckdbCsr: Number((res['duckdb-csr']!.seconds / ours.seconds).toFixed(2)),
      cpuVsDuckdbCsr: Number((res['duckdb-csr']!.cpuSeconds / ours.cpuSeconds).toFixed(2)),
      vsDuckdbCsr2w: Number((res['duckdb-csr']!.seconds / res['reckon-2w']!.seconds).toFixed(2)),
      rssVsDuckdbCsr: Number((res['duckdb-csr']!.peakRssMb / ours.peakRssMb).toFixed(2)),
    };
    process.stdout.write(JSON.stringify(ratio) + '\n');
    appendFileSync(log, JSON.stringify(ratio) + '\n');
  }
}

await main();
