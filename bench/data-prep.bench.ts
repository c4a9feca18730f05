/**
 * Data-prep benchmarks: the synthetic generator (events/s), events -> interactions (events/s) beside pandas doing the
 * same weighting + decay + groupby-sum (bench/peers/events_pandas.py, timed after its CSV load), k-core beside an
 * iterative pandas filter, and every split on the resulting matrix.
 *
 * Usage: npm run bench -- data-prep [--users N] [--items N] [--events-per-user N]
 * Defaults give about 1M events. Each figure is the median of 5 runs (min also given), after a warm-up; the pandas
 * peer does the same. Prints one JSON line per measurement.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interactionsFromEvents } from '../src/data/events.js';
import { kCore } from '../src/data/filters.js';
import { kFold, leaveLastN, perUserSplit, randomSplit } from '../src/data/splits.js';
import { generateSynthetic, syntheticEventLog } from '../src/data/synthetic.js';
import { writeSynthetic } from '../src/data/synthetic-io.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const users = arg('users', 33000);
const items = arg('items', 20000);
const eventsPerUser = arg('events-per-user', 30);
const HALF_LIFE = 30 * 86400;
const K = 5;

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ ...o, date: new Date().toISOString(), cores: 2 }) + '\n');
}

const REPEATS = 5;

/** Runs `fn` REPEATS times; seconds = the median, min = the fastest (the machine is shared: both are reported). */
function time<T>(fn: () => T): { value: T; seconds: number; min: number } {
  const times: number[] = [];
  let value: T | undefined;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    value = fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { value: value as T, seconds: times[REPEATS >> 1]!, min: times[0]! };
}

// warm-up on a small set so the JIT is not measured
generateSynthetic({ users: 500, items: 300, seed: 1 });

const gen = time(() => generateSynthetic({ users, items, eventsPerUser, seed: 7 }));
const d = gen.value;
const nEvents = d.events.users.length;
emit({ bench: 'generate', impl: 'reckon', users, items, events: nEvents, ratings: d.ratings.values.length, seconds: gen.seconds, min: gen.min, eventsPerSecond: nEvents / gen.seconds });

const evOnly = time(() => generateSynthetic({ users, items, eventsPerUser, ratingsPerUser: 0, seed: 7 }));
emit({ bench: 'generate-events-only', impl: 'reckon', users, items, events: evOnly.value.events.users.length, seconds: evOnly.seconds, min: evOnly.min, eventsPerSecond: evOnly.value.events.users.length / evOnly.seconds });

const log = syntheticEventLog(d);
interactionsFromEvents(log, { weights: { view: 1, cart: 3, purchase: 5 } });
const agg = time(() => interactionsFromEvents(log, { weights: { view: 1, cart: 3, purchase: 5 }, halfLife: HALF_LIFE }));
const x = agg.value;
emit({ bench: 'events-aggregate', impl: 'reckon', events: nEvents, pairs: x.nnz, seconds: agg.seconds, min: agg.min, eventsPerSecond: nEvents / agg.seconds });
const kc = time(() => kCore(x, K));
emit({ bench: 'kcore', impl: 'reckon', k: K, pairs: kc.value.nnz, seconds: kc.seconds, min: kc.min });

for (const [name, fn] of [
  ['randomSplit', () => randomSplit(x, { testRatio: 0.2, seed: 1 })],
  ['perUserSplit', () => perUserSplit(x, { testRatio: 0.2, seed: 1 })],
  ['leaveLastN', () => leaveLastN(x, { n: 1 })],
  ['kFold5', () => kFold(x, 5, { seed: 1 })],
] as const) {
  const r = time(fn as () => unknown);
  emit({ bench: 'split', impl: 'reckon', split: name, nnz: x.nnz, seconds: r.seconds, min: r.min });
}

// pandas peer on the same events, written as CSV
const dir = mkdtempSync(join(tmpdir(), 'reckon-bench-'));
try {
  await writeSynthetic(d, dir, { tables: ['events'] });
  const peer = join(dirname(fileURLToPath(import.meta.url)), 'peers', 'events_pandas.py');
  const r = spawnSync('/usr/bin/python3', [peer, join(dir, 'events.csv'), String(HALF_LIFE), String(K)], { encoding: 'utf8' });
  if (r.status !== 0) {
    emit({ bench: 'events-aggregate', impl: 'pandas', skipped: `python3 peer failed: ${r.stderr.trim().split('\n').pop()}` });
  } else {
    for (const line of r.stdout.trim().split('\n')) {
      const m = JSON.parse(line) as { bench: string; seconds: number };
      const ours = m.bench === 'kcore' ? kc.seconds : agg.seconds;
      emit({ ...m, reckonSeconds: ours, speedup: m.seconds / ours });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
