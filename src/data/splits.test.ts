import { describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { type Split, kFold, leaveLastN, perUserSplit, randomSplit, timeCutoff } from './splits.js';

/** Random interactions with timestamps (many ties: timestamps from a small range). */
function randomInteractions(seed: number, nU = 40, nI = 30, n = 600, withTs = true): Interactions {
  const rng = new Rng(seed);
  const users = IdMap.fromIds(Array.from({ length: nU }, (_, k) => `u${k}`));
  const items = IdMap.fromIds(Array.from({ length: nI }, (_, k) => `i${k}`));
  const t = { users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n), timestamps: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    t.users[k] = rng.int(nU);
    t.items[k] = rng.int(nI);
    t.values[k] = 1 + rng.int(5);
    t.timestamps[k] = rng.int(50);
  }
  const x = Interactions.fromTriples(withTs ? t : { users: t.users, items: t.items, values: t.values }, users, items, 'last');
  return x;
}

/** Set of "u,i,value,ts" strings for the stored entries. */
function entries(x: Interactions): string[] {
  const out: string[] = [];
  for (let u = 0; u < x.nUsers; u++) {
    for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) out.push(`${u},${x.indices[k]},${x.values[k]},${x.timestamps?.[k] ?? ''}`);
  }
  return out;
}

function checkPartition(x: Interactions, s: Split): void {
  expect(s.train.users).toBe(x.users);
  expect(s.train.items).toBe(x.items);
  expect(s.test.users).toBe(x.users);
  expect(s.test.items).toBe(x.items);
  const tr = entries(s.train);
  const te = entries(s.test);
  const trSet = new Set(tr.map((e) => e.split(',').slice(0, 2).join(',')));
  for (const e of te) expect(trSet.has(e.split(',').slice(0, 2).join(','))).toBe(false);
  expect([...tr, ...te].sort()).toEqual(entries(x).sort());
}

describe('randomSplit', () => {
  it('is disjoint, complete, sized and deterministic', () => {
    const x = randomInteractions(1);
    const s = randomSplit(x, { testRatio: 0.2, seed: 7 });
    checkPartition(x, s);
    expect(s.test.nnz).toBe(Math.round(0.2 * x.nnz));
    const again = randomSplit(x, { testRatio: 0.2, seed: 7 });
    expect(entries(again.test)).toEqual(entries(s.test));
    const other = randomSplit(x, { testRatio: 0.2, seed: 8 });
    expect(entries(other.test)).not.toEqual(entries(s.test));
  });
  it('rejects a bad ratio', () => {
    expect(() => randomSplit(randomInteractions(1), { testRatio: 1.2, seed: 1 })).toThrow(/testRatio must be in \(0, 1\), got 1.2/);
  });
});

describe('kFold', () => {
  it('folds partition the entries, each split disjoint and complete, deterministic', () => {
    const x = randomInteractions(2);
    const folds = kFold(x, 5, { seed: 3 });
    expect(folds).toHaveLength(5);
    const allTest: string[] = [];
    for (const f of folds) {
      checkPartition(x, f);
      allTest.push(...entries(f.test));
      expect(Math.abs(f.test.nnz - x.nnz / 5)).toBeLessThanOrEqual(1);
    }
    expect(allTest.sort()).toEqual(entries(x).sort());
    const again = kFold(x, 5, { seed: 3 });
    for (let f = 0; f < 5; f++) expect(entries(again[f]!.test)).toEqual(entries(folds[f]!.test));
  });
  it('without shuffle takes contiguous runs of CSR order', () => {
    const x = randomInteractions(2);
    const folds = kFold(x, 3, { seed: 0, shuffle: false });
    expect(entries(folds[0]!.test)).toEqual(entries(x).slice(0, folds[0]!.test.nnz));
  });
  it('rejects k out of range', () => {
    expect(() => kFold(randomInteractions(2), 1, { seed: 0 })).toThrow(/k must be an integer in \[2, nnz/);
  });
});

describe('perUserSplit', () => {
  it('gives each user round((1 - ratio) n) train entries (at least minTrain)', () => {
    const x = randomInteractions(3);
    const s = perUserSplit(x, { testRatio: 0.25, seed: 11 });
    checkPartition(x, s);
    for (let u = 0; u < x.nUsers; u++) {
      const n = x.rowLength(u);
      if (n === 0) continue;
      expect(s.train.rowLength(u)).toBe(Math.max(Math.round(0.75 * n), 1));
    }
    expect(entries(perUserSplit(x, { testRatio: 0.25, seed: 11 }).test)).toEqual(entries(s.test));
  });
  it('honours minTrain', () => {
    const x = randomInteractions(3);
    const s = perUserSplit(x, { testRatio: 0.9, seed: 1, minTrain: 5 });
    for (let u = 0; u < x.nUsers; u++) expect(s.train.rowLength(u)).toBe(Math.max(Math.round(0.1 * x.rowLength(u)), Math.min(5, x.rowLength(u))));
  });
});

describe('leaveLastN', () => {
  it('takes each user latest n entries, ties by item index', () => {
    const x = randomInteractions(4);
    const s = leaveLastN(x, { n: 2 });
    checkPartition(x, s);
    const ts = x.timestamps!;
    for (let u = 0; u < x.nUsers; u++) {
      const len = x.rowLength(u);
      // naive: sort (ts, item) descending, take the first min(2, len - 1)
      const row: [number, number][] = [];
      for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) row.push([ts[k]!, x.indices[k]!]);
      row.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
      const want = row.slice(0, Math.min(2, Math.max(0, len - 1))).map((r) => r[1]).sort((a, b) => a - b);
      expect(Array.from(s.test.rowIndices(u))).toEqual(want);
      // every test entry is at least as late as every train entry
      const trainTs = Array.from(s.train.timestamps!.subarray(s.train.indptr[u]!, s.train.indptr[u + 1]!));
      const testTs = Array.from(s.test.timestamps!.subarray(s.test.indptr[u]!, s.test.indptr[u + 1]!));
      if (trainTs.length > 0 && testTs.length > 0) expect(Math.min(...testTs)).toBeGreaterThanOrEqual(Math.max(...trainTs));
    }
  });
  it('needs timestamps', () => {
    expect(() => leaveLastN(randomInteractions(4, 10, 10, 50, false), { n: 1 })).toThrow(/leaveLastN needs timestamps/);
  });
});

describe('timeCutoff', () => {
  it('puts entries before the cutoff in train', () => {
    const x = randomInteractions(5);
    const s = timeCutoff(x, { cutoff: 30 });
    checkPartition(x, s);
    for (const t of s.train.timestamps!) expect(t).toBeLessThan(30);
    for (const t of s.test.timestamps!) expect(t).toBeGreaterThanOrEqual(30);
  });
  it('needs timestamps', () => {
    expect(() => timeCutoff(randomInteractions(5, 10, 10, 50, false), { cutoff: 1 })).toThrow(/timeCutoff needs timestamps/);
  });
});
