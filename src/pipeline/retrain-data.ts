import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/artifact.js';
import { InvalidArgumentError } from '../core/errors.js';
import { Interactions } from '../data/interactions.js';
import type { Store } from '../serve/store/store.js';

/** Extracted events as columns (JSON file handed from `extract` to `build`). */
export interface EventColumnsFile {
  users: string[];
  items: string[];
  values: number[];
  ts: number[];
}

/** Reads every event with timestamp < `until` from the store, `pageSize` at a time, into columns. */
export async function extractEvents(store: Store, until: number, pageSize = 100_000): Promise<EventColumnsFile> {
  const out: EventColumnsFile = { users: [], items: [], values: [], ts: [] };
  let from = 0;
  // Pages by time: all events of the last timestamp of a full page are re-read from that timestamp on, skipping ids seen.
  const seen = new Set<string>();
  for (;;) {
    const page = await store.eventsInRange(from, until, pageSize);
    let fresh = 0;
    for (const e of page) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      fresh++;
      out.users.push(e.user);
      out.items.push(e.item);
      out.values.push(e.value);
      out.ts.push(e.timestamp);
    }
    if (page.length < pageSize) break;
    if (fresh === 0) {
      throw new InvalidArgumentError(`extract: more than ${pageSize} events share timestamp ${from}; raise the page size`, { pageSize, timestamp: from });
    }
    let maxTs = from;
    for (const e of page) if (e.timestamp > maxTs) maxTs = e.timestamp;
    from = maxTs;
  }
  return out;
}

/** Writes the columns as JSON under `dir`. */
export async function writeEvents(dir: string, name: string, ev: EventColumnsFile): Promise<string> {
  const path = join(dir, name);
  await writeFileAtomic(path, JSON.stringify(ev));
  return path;
}

/** Cleaning report of {@link buildInteractions}. */
export interface CleanReport {
  kept: number;
  droppedInvalid: number;
}

/**
 * Cleans extracted events (drops empty ids and non-finite or non-positive values) and sums them into a user x item
 * matrix, keeping each pair's latest timestamp (for the time-based holdout).
 */
export async function buildInteractions(path: string): Promise<{ data: Interactions; report: CleanReport }> {
  const ev = JSON.parse(await readFile(path, 'utf8')) as EventColumnsFile;
  const users: string[] = [];
  const items: string[] = [];
  const values: number[] = [];
  const ts: number[] = [];
  let dropped = 0;
  for (let k = 0; k < ev.users.length; k++) {
    const u = ev.users[k]!;
    const i = ev.items[k]!;
    const v = ev.values[k]!;
    if (u === '' || i === '' || !Number.isFinite(v) || v <= 0) {
      dropped++;
      continue;
    }
    users.push(u);
    items.push(i);
    values.push(v);
    ts.push(ev.ts[k]!);
  }
  const data = Interactions.fromRaw(users, items, values, { timestamps: ts, combine: 'sum' });
  return { data, report: { kept: users.length, droppedInvalid: dropped } };
}

/** The timestamp below which a fraction `1 - holdout` of the pairs fall (the time-based holdout's cutoff). */
export function holdoutCutoff(data: Interactions, holdout: number): number {
  const ts = data.timestamps;
  if (ts === undefined || data.nnz === 0) return Infinity;
  const sorted = Float64Array.from(ts).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - holdout)))]!;
}
