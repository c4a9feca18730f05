import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { filterByValue, kCore, kCoreFilter, minCountFilter } from './filters.js';

function randomInteractions(seed: number, nU: number, nI: number, n: number): Interactions {
  const rng = new Rng(seed);
  const us: string[] = [];
  const is: string[] = [];
  const vs: number[] = [];
  for (let k = 0; k < n; k++) {
    // skewed so that peeling cascades over several rounds
    us.push(`u${Math.floor(nU * rng.float() ** 2)}`);
    is.push(`i${Math.floor(nI * rng.float() ** 2)}`);
    vs.push(rng.int(5) + 1);
  }
  return Interactions.fromRaw(us, is, vs);
}

/** Naive k-core: recount degrees over the surviving pairs until nothing changes. Returns surviving raw pairs. */
function naiveKCore(x: Interactions, uk: number, ik: number): Set<string> {
  let pairs: [string, string][] = [];
  for (let u = 0; u < x.nUsers; u++) for (const i of x.rowIndices(u)) pairs.push([x.users.idAt(u), x.items.idAt(i)]);
  for (;;) {
    const du = new Map<string, number>();
    const di = new Map<string, number>();
    for (const [u, i] of pairs) {
      du.set(u, (du.get(u) ?? 0) + 1);
      di.set(i, (di.get(i) ?? 0) + 1);
    }
    const next = pairs.filter(([u, i]) => du.get(u)! >= uk && di.get(i)! >= ik);
    if (next.length === pairs.length) break;
    pairs = next;
  }
  return new Set(pairs.map(([u, i]) => `${u}|${i}`));
}

function rawPairs(x: Interactions): Set<string> {
  const s = new Set<string>();
  for (let u = 0; u < x.nUsers; u++) for (const i of x.rowIndices(u)) s.add(`${x.users.idAt(u)}|${x.items.idAt(i)}`);
  return s;
}

describe('kCore', () => {
  it('matches a naive fixed-point on random data', () => {
    for (let seed = 0; seed < 6; seed++) {
      const x = randomInteractions(seed, 60, 50, 500);
      for (const [uk, ik] of [[3, 3], [5, 2], [2, 6], [10, 10]] as const) {
        const got = kCoreFilter(x, uk, ik);
        expect(rawPairs(got)).toEqual(naiveKCore(x, uk, ik));
        for (let u = 0; u < got.nUsers; u++) expect(got.rowLength(u)).toBeGreaterThanOrEqual(uk);
        const counts = got.itemCounts();
        for (let i = 0; i < got.nItems; i++) expect(counts[i]).toBeGreaterThanOrEqual(ik);
      }
    }
  });
  it('compacts the id maps, preserving order and values', () => {
    const x = randomInteractions(9, 60, 50, 500);
    const got = kCore(x, 4);
    expect(got.nUsers).toBeLessThan(x.nUsers);
    const uOrder = got.users.list.map((id) => x.users.indexOf(id));
    expect(uOrder).toEqual([...uOrder].sort((a, b) => a - b));
    for (let u = 0; u < got.nUsers; u++) {
      const ou = x.users.indexOf(got.users.idAt(u));
      for (let k = got.indptr[u]!; k < got.indptr[u + 1]!; k++) {
        expect(got.values[k]).toBe(x.get(ou, x.items.indexOf(got.items.idAt(got.indices[k]!))));
      }
    }
  });
});

describe('minCountFilter', () => {
  it('is one pass on the input counts', () => {
    const x = randomInteractions(3, 30, 30, 200);
    const got = minCountFilter(x, 5, 4);
    const counts = x.itemCounts();
    const want = new Set<string>();
    for (let u = 0; u < x.nUsers; u++) {
      if (x.rowLength(u) < 5) continue;
      for (const i of x.rowIndices(u)) if (counts[i]! >= 4) want.add(`${x.users.idAt(u)}|${x.items.idAt(i)}`);
    }
    expect(rawPairs(got)).toEqual(want);
  });
});

describe('filterByValue', () => {
  it('keeps entries in [min, max] and the id maps', () => {
    const x = randomInteractions(4, 20, 20, 150);
    const got = filterByValue(x, { min: 2, max: 4 });
    expect(got.users).toBe(x.users);
    let want = 0;
    for (const v of x.values) if (v >= 2 && v <= 4) want++;
    expect(got.nnz).toBe(want);
    for (const v of got.values) expect(v >= 2 && v <= 4).toBe(true);
    expect(() => filterByValue(x, { min: 3, max: 1 })).toThrow(/min <= max/);
  });
});
