/**
 * bench/serve: autocannon against a running Reckon server (child process) over a synthetic catalog
 * (default 100k items, 50k users, 20 events each) with a 64-factor model.
 *
 *   npm run bench -- serve [--items N] [--users N] [--duration S] [--connections C] [--hot N] [--only lru|none|redis]
 *
 * Scenarios (one JSON line each): cached GET recommendations (in-process LRU; hot set of 500 users, each warmed once),
 * uncached GET (cache off, random users of the whole set: fold-in + full scoring per request), cached with Redis
 * (when REDIS_URL is set), event ingestion (batches of 100 and of 1); cached and uncached also at a fixed offered
 * rate (5,000 and 300 req/s), i.e. latency at a given load rather than at saturation. Client-side latency comes from autocannon
 * (integer milliseconds); the server-side histogram (/metrics, sub-millisecond buckets) is reported beside it.
 * The load generator runs on the same 2-core machine as the server. `serverCpuUsPerReq` (server process CPU time per
 * request, from /proc) is the figure least distorted by other processes sharing the machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ensureBenchData } from './serve-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const ITEMS = flag('items', 100_000);
const USERS = flag('users', 50_000);
const DURATION = flag('duration', 10);
const CONNECTIONS = flag('connections', 8);
const FACTORS = 64;
/** Users in the cached scenarios' hot set. */
const HOT = flag('hot', 500);

async function startChild(store: string, cache: string, models: string, prefix?: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'serve-server.ts'), store, cache, models, ...(prefix === undefined ? [] : [prefix])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /URL (\S+)/.exec(buf);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Math.round(Number(m[1]) / 1024);
}

/** Server-side histogram of the recommendations route: counts per bucket upper bound (seconds). */
async function serverHist(url: string, route: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<number, number>();
  const re = new RegExp(`reckon_http_request_duration_seconds_bucket\\{route="${route.replace(/[/]/g, '\\/')}",method="[A-Z]+",status="2xx",le="([^"]+)"\\} (\\d+)`, 'g');
  for (const m of text.matchAll(re)) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

/** Smallest bucket bound holding fraction q of the requests between two scrapes (ms). */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const b of bounds) if ((after.get(b) ?? 0) - (before.get(b) ?? 0) >= q * total) return b * 1000;
  return Infinity;
}

const REC_ROUTE = '/v1/users/:id/recommendations';

/** CPU time (user + system) of a process so far, in milliseconds (from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function recScenario(name: string, url: string, pid: number, users: number, warm: boolean, extra: Record<string, unknown> = {}, connections = CONNECTIONS, rate?: number): Promise<void> {
  const setupRequest = (req: { path?: string }) => {
    req.path = `/v1/users/u${Math.floor(Math.random() * users)}/recommendations?k=10`;
    return req;
  };
  // the first fold-in of a process builds the model's Y^T Y once (O(items f^2)); keep it out of the measurement
  await fetch(`${url}/v1/users/u${users - 1}/recommendations?k=10`);
  if (warm) {
    // one request per user of the hot set, so the measured run only hits the cache
    let next = 0;
    const seq = (req: { path?: string }) => {
      req.path = `/v1/users/u${next++ % users}/recommendations?k=10`;
      return req;
    };
    await autocannon({ url, connections: CONNECTIONS, amount: users, requests: [{ method: 'GET', setupRequest: seq }] });
  }
  const before = await serverHist(url, REC_ROUTE);
  const cpu0 = cpuMs(pid);
  // With a rate, autocannon offers that many requests per second over all connections (latency at a given load,
  // not at saturation, where queueing behind the load generator on the same two cores dominates).
  const r = await autocannon({ url, connections, duration: DURATION, ...(rate === undefined ? {} : { overallRate: rate }), requests: [{ method: 'GET', setupRequest }] });
  const serverCpuMs = cpuMs(pid) - cpu0;
  const after = await serverHist(url, REC_ROUTE);
  const line = {
    bench: 'serve',
    scenario: name,
    items: ITEMS,
    users: USERS,
    factors: FACTORS,
    connections,
    durationS: DURATION,
    ...(rate === undefined ? {} : { offeredReqPerSec: rate }),
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p999Ms: r.latency.p99_9,
    meanMs: Number(r.latency.mean.toFixed(3)),
    serverP50LeMs: bucketQuantile(before, after, 0.5),
    serverP99LeMs: bucketQuantile(before, after, 0.99),
    serverCpuUsPerReq: Math.round((serverCpuMs * 1000) / Math.max(1, r.requests.total)),
    errors: r.errors,
    non2xx: r.non2xx,
    ...extra,
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

async function ingestScenario(url: string, pid: number, batch: number): Promise<void> {
  let n = 0;
  const setupRequest = (req: { body?: string; path?: string; method?: string; headers?: Record<string, string> }) => {
    const events = [];
    for (let k = 0; k < batch; k++) events.push({ user: `u${Math.floor(Math.random() * USERS)}`, item: `i${Math.floor(Math.random() * ITEMS)}`, type: 'view', id: `bench-${process.pid}-${Date.now()}-${n++}` });
    req.body = JSON.stringify({ events });
    return req;
  };
  const cpu0 = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests: [{ method: 'POST', path: '/v1/events', headers: { 'content-type': 'application/json' }, setupRequest }] });
  const serverCpuMs = cpuMs(pid) - cpu0;
  process.stdout.write(
    JSON.stringify({
      bench: 'serve',
      scenario: `ingest-batch-${batch}`,
      store: 'sqlite (WAL, synchronous=FULL)',
      connections: CONNECTIONS,
      reqPerSec: Math.round(r.requests.average),
      eventsPerSec: Math.round(r.requests.average * batch),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      serverCpuUsPerEvent: Math.round((serverCpuMs * 1000) / Math.max(1, r.requests.total * batch)),
      errors: r.errors,
      non2xx: r.non2xx,
    }) + '\n',
  );
}

const oi = args.indexOf('--only');
/** Run only one server configuration: lru, none or redis (default: all). */
const ONLY = oi >= 0 ? args[oi + 1] : undefined;
const data = await ensureBenchData(ITEMS, USERS, 20, FACTORS);
if (ONLY === undefined || ONLY === 'lru') {
  const { url, child } = await startChild(data.store, 'memory', data.models);
  await recScenario('cached-lru', url, child.pid!, HOT, true);
  await recScenario('cached-lru at a fixed 5,000 req/s', url, child.pid!, HOT, false, {}, CONNECTIONS, 5000);
  await recScenario('uncached-foldin (cache on, cold users)', url, child.pid!, USERS, false, { note: 'first request of each user: fold-in + scoring of all items' });
  process.stdout.write(JSON.stringify({ bench: 'serve', scenario: 'server-peak-rss', cache: 'lru', peakRssMb: peakRssMb(child.pid!) }) + '\n');
  child.kill('SIGTERM');
}
if (ONLY === undefined || ONLY === 'none') {
  const { url, child } = await startChild(data.store, 'none', data.models);
  await recScenario('uncached (cache off)', url, child.pid!, USERS, false);
  await recScenario('uncached (cache off), 1 connection', url, child.pid!, USERS, false, { note: 'latency of one request at a time' }, 1);
  await recScenario('uncached (cache off) at a fixed 300 req/s', url, child.pid!, USERS, false, {}, CONNECTIONS, 300);
  await ingestScenario(url, child.pid!, 100);
  await ingestScenario(url, child.pid!, 1);
  child.kill('SIGTERM');
}
const redisUrl = process.env['REDIS_URL'];
if (ONLY !== undefined && ONLY !== 'redis') {
  // skipped by --only
} else if (redisUrl === undefined) {
  process.stdout.write(JSON.stringify({ bench: 'serve', scenario: 'cached-redis', skipped: 'REDIS_URL is not set' }) + '\n');
} else {
  const { url, child } = await startChild(data.store, redisUrl, data.models, `reckon-bench-${process.pid}`);
  await recScenario('cached-redis', url, child.pid!, HOT, true);
  child.kill('SIGTERM');
}
