import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { writeParquet } from '../data/duckdb.js';
import { Frame, encodeStrings, numericColumn } from '../data/frame.js';
import { aggregateEventLog, readAggregated } from './out-of-core.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-ooc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ev {
  u: string;
  i: string;
  type: string;
  value: number;
  ts: number;
}

describe('out-of-core aggregation with DuckDB', () => {
  it('weights, decay and k-core over a partitioned Parquet log equal a direct computation; CSR read back', async () => {
    const rng = new Rng(5);
    const types = ['view', 'cart', 'purchase'];
    const all: Ev[] = [];
    for (const day of [1, 2, 3]) {
      const evs: Ev[] = [];
      for (let n = 0; n < 400; n++) {
        evs.push({ u: `u${Math.floor(rng.float() * 40)}`, i: `i${Math.floor(rng.float() * rng.float() * 60)}`, type: types[Math.floor(rng.float() * 3)]!, value: 1 + Math.floor(rng.float() * 2), ts: Date.UTC(2026, 0, day) + Math.floor(rng.float() * 86_400_000) });
      }
      all.push(...evs);
      const part = join(dir, 'log', `date=2026-01-0${day}`);
      mkdirSync(part, { recursive: true });
      const frame = new Frame([
        encodeStrings('user_id', evs.map((e) => e.u)),
        encodeStrings('item_id', evs.map((e) => e.i)),
        encodeStrings('type', evs.map((e) => e.type)),
        numericColumn('value', Float64Array.from(evs.map((e) => e.value))),
        numericColumn('ts', Float64Array.from(evs.map((e) => e.ts))),
      ]);
      await writeParquet(frame, join(part, 'part-0.parquet'));
    }
    const weights = { view: 1, cart: 3, purchase: 5 };
    const asOf = Date.UTC(2026, 0, 4);
    const rep = await aggregateEventLog({ source: join(dir, 'log', '*', '*.parquet'), outDir: join(dir, 'out'), weights, halfLifeDays: 2, asOf, kCore: 3, memoryLimit: '256MB' });

    // Direct computation.
    const sum = new Map<string, number>();
    for (const e of all) {
      const key = `${e.u}\t${e.i}`;
      sum.set(key, (sum.get(key) ?? 0) + weights[e.type as keyof typeof weights] * e.value * Math.exp((-Math.LN2 * (asOf - e.ts)) / (2 * 86_400_000)));
    }
    let pairs = [...sum.keys()];
    for (let round = 0; round < 100; round++) {
      const uc = new Map<string, number>();
      const ic = new Map<string, number>();
      for (const p of pairs) {
        const [u, i] = p.split('\t') as [string, string];
        uc.set(u, (uc.get(u) ?? 0) + 1);
        ic.set(i, (ic.get(i) ?? 0) + 1);
      }
      const next = pairs.filter((p) => {
        const [u, i] = p.split('\t') as [string, string];
        return uc.get(u)! >= 3 && ic.get(i)! >= 3;
      });
      if (next.length === pairs.length) break;
      pairs = next;
    }
    expect(rep.pairs).toBe(pairs.length);
    expect(rep.kCoreRounds).toBeGreaterThan(1);

    const x = await readAggregated(join(dir, 'out'));
    expect(x.nnz).toBe(pairs.length);
    expect(x.nUsers).toBe(rep.users);
    for (let u = 0; u < x.nUsers; u++) {
      for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) {
        const want = sum.get(`${x.users.idAt(u)}\t${x.items.idAt(x.indices[k]!)}`)!;
        expect(Math.abs(x.values[k]! - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, want));
        if (k > x.indptr[u]!) expect(x.indices[k]!).toBeGreaterThan(x.indices[k - 1]!);
      }
    }
  });
});
