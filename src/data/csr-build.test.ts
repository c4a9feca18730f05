import { describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import { buildCsr } from './csr-build.js';
import { COMBINE_CHOICES, Interactions, type Triples } from './interactions.js';

function randomTriples(seed: number, n: number, nU: number, nI: number, withTimes: boolean): Triples {
  const rng = new Rng(seed);
  const t: Triples = { users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n) };
  if (withTimes) t.timestamps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    t.users[k] = rng.int(nU);
    t.items[k] = rng.int(nI);
    t.values[k] = rng.int(10) / 2;
    if (t.timestamps) t.timestamps[k] = rng.int(50);
  }
  return t;
}

const ids = (n: number) => IdMap.fromIds(Array.from({ length: n }, (_, k) => `id${k}`));

describe('buildCsr', () => {
  it('matches Interactions.fromTriples for every combine rule, with and without timestamps (random data with duplicates)', () => {
    for (const withTimes of [false, true]) {
      for (const combine of COMBINE_CHOICES) {
        if (combine === 'error') continue;
        const t = randomTriples(11, 5000, 60, 40, withTimes);
        const a = buildCsr(t, ids(60), ids(40), combine);
        const b = Interactions.fromTriples(t, ids(60), ids(40), combine);
        expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
        expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
        // mean may differ in float32 rounding order only; tolerance 1e-6
        for (let k = 0; k < a.nnz; k++) expect(Math.abs(a.values[k]! - b.values[k]!)).toBeLessThanOrEqual(1e-6);
        if (withTimes) expect(Array.from(a.timestamps!)).toEqual(Array.from(b.timestamps!));
      }
    }
  });

  it('uses float64 sort keys when item and position bits exceed 31 (many items, a long row) with the same result', () => {
    const nI = 1 << 18;
    const rng = new Rng(4);
    const n = 9000;
    const t: Triples = { users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n) };
    for (let k = 0; k < n; k++) {
      t.users[k] = k < 8500 ? 0 : 1; // row 0 has 8500 entries: 14 position bits + 19 item bits > 31
      t.items[k] = rng.int(nI);
      t.values[k] = k;
    }
    const items = ids(nI);
    const a = buildCsr(t, ids(2), items, 'sum');
    const b = Interactions.fromTriples(t, ids(2), items, 'sum');
    expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('throws on duplicates under combine "error" and on out-of-range indices', () => {
    const t: Triples = { users: Int32Array.of(0, 0), items: Int32Array.of(1, 1), values: Float32Array.of(1, 2) };
    expect(() => buildCsr(t, ids(1), ids(2), 'error')).toThrow(/duplicate pair \(user "id0", item "id1"\)/);
    expect(() => buildCsr(t, ids(1), ids(1), 'sum')).toThrow(/outside/);
  });

  it('handles empty rows and an empty input', () => {
    const t: Triples = { users: Int32Array.of(2, 0), items: Int32Array.of(0, 1), values: Float32Array.of(1, 2) };
    const r = buildCsr(t, ids(4), ids(2));
    expect(Array.from(r.indptr)).toEqual([0, 1, 1, 2, 2]);
    const e = buildCsr({ users: new Int32Array(0), items: new Int32Array(0), values: new Float32Array(0) }, ids(0), ids(0));
    expect(e.nnz).toBe(0);
  });
});
