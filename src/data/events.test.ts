import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { encodeStrings, Frame, numericColumn } from './frame.js';
import { type EventOptions, eventLogFromFrame, eventLogFromStrings, interactionsFromEvents } from './events.js';
import type { Interactions } from './interactions.js';
import { checkInteractionsScale, checkRatings, interactionsFromRatings } from './rating-scale.js';

const TYPES = ['view', 'cart', 'purchase', 'share'];
const WEIGHTS = { view: 1, cart: 3, purchase: 5, share: 0 };

function randomLog(seed: number, n: number, nU = 25, nI = 20): { u: string[]; i: string[]; t: string[]; ts: number[] } {
  const rng = new Rng(seed);
  const out = { u: [] as string[], i: [] as string[], t: [] as string[], ts: [] as number[] };
  for (let k = 0; k < n; k++) {
    out.u.push(`u${Math.floor(nU * rng.float() ** 2)}`);
    out.i.push(`i${Math.floor(nI * rng.float() ** 2)}`);
    out.t.push(TYPES[rng.int(TYPES.length)]!);
    out.ts.push(1000 + rng.int(500));
  }
  return out;
}

/** Naive reference: per-pair maps, then one-pass min counts, fixed-point k-core, scale. Returns "u|i" -> value. */
function naive(log: ReturnType<typeof randomLog>, o: EventOptions): Map<string, number> {
  const ref = o.referenceTime ?? Math.max(...log.ts);
  const acc = new Map<string, { v: number; t: number }>();
  for (let k = 0; k < log.u.length; k++) {
    const w0 = o.weights[log.t[k]!];
    if (w0 === undefined || w0 === 0) continue;
    const w = o.halfLife === undefined ? w0 : w0 * 0.5 ** ((ref - log.ts[k]!) / o.halfLife);
    const key = `${log.u[k]}|${log.i[k]}`;
    const cur = acc.get(key);
    const agg = o.aggregate ?? 'sum';
    if (cur === undefined) acc.set(key, { v: w, t: log.ts[k]! });
    else if (agg === 'sum') cur.v += w;
    else if (agg === 'max') cur.v = Math.max(cur.v, w);
    else if (log.ts[k]! >= cur.t) {
      cur.v = w;
      cur.t = log.ts[k]!;
    }
  }
  let pairs = [...acc.entries()];
  const degrees = (ps: typeof pairs) => {
    const du = new Map<string, number>();
    const di = new Map<string, number>();
    for (const [key] of ps) {
      const [u, i] = key.split('|') as [string, string];
      du.set(u, (du.get(u) ?? 0) + 1);
      di.set(i, (di.get(i) ?? 0) + 1);
    }
    return { du, di };
  };
  const keep = (ps: typeof pairs, ku: number, ki: number) => {
    const { du, di } = degrees(ps);
    return ps.filter(([key]) => {
      const [u, i] = key.split('|') as [string, string];
      return du.get(u)! >= ku && di.get(i)! >= ki;
    });
  };
  pairs = keep(pairs, o.minUserInteractions ?? 0, o.minItemInteractions ?? 0);
  if (o.kCore !== undefined) {
    for (;;) {
      const next = keep(pairs, o.kCore, o.kCore);
      if (next.length === pairs.length) break;
      pairs = next;
    }
  }
  const out = new Map(pairs.map(([k, v]) => [k, v.v]));
  if (o.scale !== undefined) {
    const vals = [...out.values()];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    for (const [k, v] of out) {
      out.set(k, o.scale.mode === 'clip' ? Math.min(o.scale.max, Math.max(o.scale.min, v)) : o.scale.min + ((v - lo) / (hi - lo)) * (o.scale.max - o.scale.min));
    }
  }
  return out;
}

function asMap(x: Interactions): Map<string, number> {
  const m = new Map<string, number>();
  for (let u = 0; u < x.nUsers; u++) {
    for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) m.set(`${x.users.idAt(u)}|${x.items.idAt(x.indices[k]!)}`, x.values[k]!);
  }
  return m;
}

function expectClose(got: Map<string, number>, want: Map<string, number>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, v] of want) expect(Math.abs(got.get(k)! - v)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v)));
}

describe('interactionsFromEvents', () => {
  const cases: EventOptions[] = [
    { weights: WEIGHTS },
    { weights: WEIGHTS, aggregate: 'max' },
    { weights: WEIGHTS, aggregate: 'last' },
    { weights: WEIGHTS, halfLife: 100 },
    { weights: WEIGHTS, halfLife: 50, referenceTime: 1600, aggregate: 'max' },
    { weights: WEIGHTS, minUserInteractions: 4, minItemInteractions: 3 },
    { weights: WEIGHTS, kCore: 4 },
    { weights: WEIGHTS, minUserInteractions: 2, kCore: 3, halfLife: 200, scale: { min: 1, max: 5, mode: 'rescale' } },
    { weights: WEIGHTS, scale: { min: 1, max: 8, mode: 'clip' } },
  ];
  it('matches a naive aggregation (sum/max/last, decay, min counts, k-core, scale) on random logs', () => {
    for (let seed = 0; seed < 4; seed++) {
      const log = randomLog(seed, 800);
      const el = eventLogFromStrings(log.u, log.i, log.t, log.ts);
      for (const o of cases) expectClose(asMap(interactionsFromEvents(el, o)), naive(log, o));
    }
  });
  it('keeps the latest timestamp of each pair', () => {
    const el = eventLogFromStrings(['a', 'a', 'a'], ['x', 'x', 'y'], ['view', 'cart', 'view'], [10, 5, 7]);
    const x = interactionsFromEvents(el, { weights: WEIGHTS, aggregate: 'last' });
    expect(Array.from(x.timestamps!)).toEqual([10, 7]);
    expect(Array.from(x.values)).toEqual([1, 1]);
  });
  it('decays by exactly one half per half-life', () => {
    const el = eventLogFromStrings(['a', 'a'], ['x', 'y'], ['purchase', 'purchase'], [0, 100]);
    const x = interactionsFromEvents(el, { weights: WEIGHTS, halfLife: 50 });
    expect(x.get(0, 0)).toBeCloseTo(5 * 0.25, 6);
    expect(x.get(0, 1)).toBeCloseTo(5, 6);
  });
  it('unknown types: an error naming the type, or ignored', () => {
    const el = eventLogFromStrings(['a', 'b'], ['x', 'y'], ['view', 'wishlist']);
    expect(() => interactionsFromEvents(el, { weights: { view: 1 } })).toThrow(/type "wishlist" with no weight/);
    const x = interactionsFromEvents(el, { weights: { view: 1 }, unknownTypes: 'ignore' });
    expect(x.nnz).toBe(1);
  });
  it('decay needs timestamps', () => {
    const el = eventLogFromStrings(['a'], ['x'], ['view']);
    expect(() => interactionsFromEvents(el, { weights: WEIGHTS, halfLife: 10 })).toThrow(/halfLife needs timestamps/);
  });
  it('reads a Frame with named columns', () => {
    const f = new Frame([
      encodeStrings('uid', ['a', 'b', 'a']),
      encodeStrings('iid', ['x', 'x', 'x']),
      encodeStrings('kind', ['view', 'purchase', 'cart']),
      numericColumn('timestamp', Float64Array.of(1, 2, 3)),
    ]);
    const x = interactionsFromEvents(eventLogFromFrame(f, { user: 'uid', item: 'iid', type: 'kind' }), { weights: WEIGHTS });
    expect(asMap(x)).toEqual(new Map([['a|x', 4], ['b|x', 5]]));
    const g = new Frame([encodeStrings('user_id', ['a']), encodeStrings('item_id', ['x']), encodeStrings('event', ['cart'])]);
    expect(asMap(interactionsFromEvents(eventLogFromFrame(g), { weights: WEIGHTS }))).toEqual(new Map([['a|x', 3]]));
    expect(() => eventLogFromFrame(new Frame([encodeStrings('who', ['a'])]))).toThrow(/no column "user_id"; columns are: who/);
  });
});

describe('interactionsFromRatings', () => {
  it('builds with a declared scale', () => {
    const x = interactionsFromRatings(['a', 'b'], ['x', 'y'], [1, 5], { scale: { min: 1, max: 5 } });
    expect(x.nnz).toBe(2);
  });
  it('a rating outside the scale names value, row and scale', () => {
    expect(() => checkRatings([3, 4, 6], { min: 1, max: 5 })).toThrow('rating 6 at row 2 is outside the declared scale [1, 5]');
    expect(() => checkRatings([3, NaN], { min: 1, max: 5 })).toThrow('rating NaN at row 1');
    const x = interactionsFromRatings(['a', 'b'], ['x', 'y'], [1, 5], { scale: { min: 1, max: 5 } });
    expect(() => checkInteractionsScale(x, { min: 1, max: 4 })).toThrow('rating 5 of (user "b", item "y") is outside the declared scale [1, 4]');
  });
});
