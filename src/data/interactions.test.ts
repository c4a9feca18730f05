import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import { COMBINE_CHOICES, Interactions, type Combine, type Triples } from './interactions.js';

function ids(prefix: string, n: number): IdMap {
  return IdMap.fromIds(Array.from({ length: n }, (_, i) => `${prefix}${i}`));
}

function randomTriples(rng: Rng, nU: number, nI: number, n: number, withTs: boolean): Triples {
  const t: Triples = { users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n) };
  if (withTs) t.timestamps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    t.users[k] = rng.int(nU);
    t.items[k] = rng.int(nI);
    t.values[k] = rng.int(10) - 3 + 0.5 * rng.int(2);
    if (t.timestamps) t.timestamps[k] = rng.int(20); // coarse: many ties
  }
  return t;
}

interface Cell { value: number; ts: number }

/** The obvious build: a Map from "u,i" to the combined value, then rows sorted by item. Values in double. */
function naiveBuild(t: Triples, nU: number, combine: Combine): Array<Map<number, Cell>> {
  const acc = new Map<string, { vals: number[]; tss: number[] }>();
  for (let k = 0; k < t.users.length; k++) {
    const key = `${t.users[k]},${t.items[k]}`;
    const e = acc.get(key) ?? { vals: [], tss: [] };
    e.vals.push(t.values[k]!);
    e.tss.push(t.timestamps ? t.timestamps[k]! : 0);
    acc.set(key, e);
  }
  const rows: Array<Map<number, Cell>> = Array.from({ length: nU }, () => new Map());
  for (const [key, { vals, tss }] of acc) {
    const [u, i] = key.split(',').map(Number) as [number, number];
    let value: number;
    const hasTs = t.timestamps !== undefined;
    switch (combine) {
      case 'sum': value = vals.reduce((a, b) => a + b, 0); break;
      case 'mean': value = vals.reduce((a, b) => a + b, 0) / vals.length; break;
      case 'max': value = Math.max(...vals); break;
      case 'min': value = Math.min(...vals); break;
      case 'error': value = vals[0]!; break;
      case 'first': {
        let best = 0; // earliest timestamp, ties to the earliest input
        if (hasTs) for (let q = 1; q < vals.length; q++) if (tss[q]! < tss[best]!) best = q;
        value = vals[best]!;
        break;
      }
      case 'last': {
        let best = vals.length - 1; // latest timestamp, ties to the latest input
        if (hasTs) {
          best = 0;
          for (let q = 1; q < vals.length; q++) if (tss[q]! >= tss[best]!) best = q;
        }
        value = vals[best]!;
        break;
      }
    }
    const ts = combine === 'first' ? Math.min(...tss) : Math.max(...tss);
    rows[u]!.set(i, { value, ts });
  }
  return rows;
}

function expectMatchesNaive(x: Interactions, naive: Array<Map<number, Cell>>, withTs: boolean): void {
  let nnz = 0;
  for (let u = 0; u < naive.length; u++) {
    const want = [...naive[u]!.entries()].sort((a, b) => a[0] - b[0]);
    const items = Array.from(x.rowIndices(u));
    expect(items).toEqual(want.map((e) => e[0]));
    const vals = x.rowValues(u);
    for (let q = 0; q < want.length; q++) {
      const w = want[q]![1].value;
      expect(Math.abs(vals[q]! - w)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(w))); // float32 accumulation
      if (withTs) expect(x.timestamps![x.indptr[u]! + q]).toBe(want[q]![1].ts);
    }
    nnz += want.length;
  }
  expect(x.nnz).toBe(nnz);
  expect(x.indptr[0]).toBe(0);
  expect(x.indptr[x.nUsers]).toBe(nnz);
}

describe('Interactions.fromTriples against a naive Map-based build', () => {
  const rng = new Rng(2024);
  for (const combine of COMBINE_CHOICES) {
    for (const withTs of [false, true]) {
      it(`combine = ${combine}, ${withTs ? 'with' : 'without'} timestamps`, () => {
        for (let trial = 0; trial < 20; trial++) {
          const nU = 1 + rng.int(25), nI = 1 + rng.int(30);
          const n = rng.int(300);
          const t = randomTriples(rng, nU, nI, n, withTs);
          const users = ids('u', nU), items = ids('i', nI);
          if (combine === 'error') {
            const hasDup = new Set(Array.from(t.users, (u, k) => `${u},${t.items[k]}`)).size < n;
            if (hasDup) {
              expect(() => Interactions.fromTriples(t, users, items, 'error')).toThrow(/duplicate pair \(user "u\d+", item "i\d+"\)/);
              continue;
            }
          }
          const x = Interactions.fromTriples(t, users, items, combine);
          expect(x.timestamps !== undefined).toBe(withTs);
          expectMatchesNaive(x, naiveBuild(t, nU, combine), withTs);
        }
      });
    }
  }

  it('combine = error accepts distinct pairs', () => {
    const t: Triples = { users: Int32Array.of(0, 1, 0), items: Int32Array.of(1, 0, 0), values: Float32Array.of(1, 2, 3) };
    const x = Interactions.fromTriples(t, ids('u', 2), ids('i', 2), 'error');
    expect(Array.from(x.indices)).toEqual([0, 1, 0]);
    expect(Array.from(x.values)).toEqual([3, 1, 2]);
  });

  it('builds empty matrices, including zero users or items', () => {
    const empty: Triples = { users: new Int32Array(0), items: new Int32Array(0), values: new Float32Array(0) };
    const x = Interactions.fromTriples(empty, ids('u', 3), ids('i', 2));
    expect(x.nnz).toBe(0);
    expect(Array.from(x.indptr)).toEqual([0, 0, 0, 0]);
    expect(x.density).toBe(0);
    expect(Number.isNaN(x.meanValue())).toBe(true);
    const none = Interactions.fromTriples(empty, new IdMap(), new IdMap());
    expect(none.nUsers).toBe(0);
    expect(none.density).toBe(0);
    expect(none.csc().indptr.length).toBe(1);
  });

  it('refuses out-of-range indices, non-finite values and length mismatches, naming the entry', () => {
    const u = ids('u', 2), i = ids('i', 2);
    const mk = (users: number[], items: number[], values: number[]): Triples => ({ users: Int32Array.from(users), items: Int32Array.from(items), values: Float32Array.from(values) });
    expect(() => Interactions.fromTriples(mk([0, 2], [0, 0], [1, 1]), u, i)).toThrow(/entry 1 has \(user 2, item 0\) outside \[0, 2\) x \[0, 2\)/);
    expect(() => Interactions.fromTriples(mk([0], [-1], [1]), u, i)).toThrow(InvalidArgumentError);
    expect(() => Interactions.fromTriples(mk([0, 1], [0, 1], [1, NaN]), u, i)).toThrow(/entry 1 has non-finite value NaN/);
    expect(() => Interactions.fromTriples(mk([0, 1], [0, 1], [Infinity, 1]), u, i)).toThrow(/non-finite/);
    expect(() => Interactions.fromTriples(mk([0, 1], [0], [1, 1]), u, i)).toThrow(/same length/);
    const ts: Triples = { ...mk([0], [0], [1]), timestamps: new Float64Array(2) };
    expect(() => Interactions.fromTriples(ts, u, i)).toThrow(/same length/);
  });

  it('validates CSR arrays given to the constructor', () => {
    const u = ids('u', 2), i = ids('i', 2);
    expect(() => new Interactions(u, i, Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr has 2 entries, expected users \+ 1 = 3/);
    expect(() => new Interactions(u, i, Int32Array.of(0, 1, 2), Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr\[last\] = 2/);
  });
});

describe('Interactions views and helpers', () => {
  const rng = new Rng(77);
  const nU = 23, nI = 31;
  const t = randomTriples(rng, nU, nI, 400, true);
  const x = Interactions.fromTriples(t, ids('u', nU), ids('i', nI), 'last');

  it('csc() equals a naive transpose and is built once', () => {
    const c = x.csc();
    expect(x.csc()).toBe(c);
    const cols: Array<Array<[number, number, number]>> = Array.from({ length: nI }, () => []);
    for (let u = 0; u < nU; u++) {
      for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) cols[x.indices[k]!]!.push([u, x.values[k]!, x.timestamps![k]!]);
    }
    for (let i = 0; i < nI; i++) {
      const lo = c.indptr[i]!, hi = c.indptr[i + 1]!;
      expect(Array.from(c.indices.subarray(lo, hi))).toEqual(cols[i]!.map((e) => e[0]));
      expect(Array.from(c.values.subarray(lo, hi))).toEqual(cols[i]!.map((e) => e[1]));
      expect(Array.from(c.timestamps!.subarray(lo, hi))).toEqual(cols[i]!.map((e) => e[2]));
    }
    expect(Array.from(x.itemCounts())).toEqual(cols.map((col) => col.length));
  });

  it('get() finds stored values and returns `missing` otherwise', () => {
    for (let u = 0; u < nU; u++) {
      const row = new Map<number, number>();
      for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) row.set(x.indices[k]!, x.values[k]!);
      for (let i = 0; i < nI; i++) {
        if (row.has(i)) expect(x.get(u, i)).toBe(row.get(i));
        else {
          expect(Number.isNaN(x.get(u, i))).toBe(true);
          expect(x.get(u, i, -7)).toBe(-7);
        }
      }
    }
  });

  it('selectEntries keeps exactly the masked entries with the same id maps', () => {
    const mask = new Uint8Array(x.nnz);
    for (let k = 0; k < mask.length; k++) mask[k] = rng.uniform() < 0.4 ? 1 : 0;
    const s = x.selectEntries(mask);
    expect(s.users).toBe(x.users);
    expect(s.items).toBe(x.items);
    const kept: Array<[number, number, number, number]> = [];
    for (let u = 0; u < nU; u++) for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) if (mask[k]) kept.push([u, x.indices[k]!, x.values[k]!, x.timestamps![k]!]);
    const got: Array<[number, number, number, number]> = [];
    for (let u = 0; u < nU; u++) for (let k = s.indptr[u]!; k < s.indptr[u + 1]!; k++) got.push([u, s.indices[k]!, s.values[k]!, s.timestamps![k]!]);
    expect(got).toEqual(kept);
    expect(() => x.selectEntries(new Uint8Array(3))).toThrow(/mask has 3 entries, expected nnz/);
  });

  it('toTriples round-trips', () => {
    const back = Interactions.fromTriples(x.toTriples(), x.users, x.items, 'error');
    expect(Array.from(back.indptr)).toEqual(Array.from(x.indptr));
    expect(Array.from(back.indices)).toEqual(Array.from(x.indices));
    expect(Array.from(back.values)).toEqual(Array.from(x.values));
    expect(Array.from(back.timestamps!)).toEqual(Array.from(x.timestamps!));
  });

  it('reports sizes, density, row lengths and the mean value', () => {
    expect(x.nUsers).toBe(nU);
    expect(x.nItems).toBe(nI);
    expect(x.density).toBeCloseTo(x.nnz / (nU * nI), 12);
    let sum = 0;
    for (let u = 0; u < nU; u++) {
      expect(x.rowLength(u)).toBe(x.rowIndices(u).length);
      for (const v of x.rowValues(u)) sum += v;
    }
    expect(x.meanValue()).toBeCloseTo(sum / x.nnz, 10);
  });
});

describe('Interactions.fromRaw', () => {
  it('maps raw ids in order of first appearance and combines duplicates', () => {
    const x = Interactions.fromRaw(['bob', 'amy', 'bob', 'bob'], ['m2', 'm1', 'm2', 'm1'], [4, 3, 5, 1], { timestamps: [10, 11, 5, 12], combine: 'last' });
    expect(x.users.toArray()).toEqual(['bob', 'amy']);
    expect(x.items.toArray()).toEqual(['m2', 'm1']);
    expect(x.get(0, 0)).toBe(4); // bob/m2: t=10 beats t=5
    expect(x.get(0, 1)).toBe(1);
    expect(x.get(1, 1)).toBe(3);
    expect(Array.from(x.timestamps!)).toEqual([10, 12, 11]);
  });

  it('extends given id maps and checks lengths', () => {
    const users = IdMap.fromIds(['z']);
    const x = Interactions.fromRaw(['a'], ['i'], [1], { users });
    expect(x.users).toBe(users);
    expect(users.toArray()).toEqual(['z', 'a']);
    expect(x.rowLength(0)).toBe(0);
    expect(() => Interactions.fromRaw(['a'], [], [1])).toThrow(/same length/);
  });
});
