import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../core/errors.js';
import { closeDuckdb } from './duckdb.js';
import { Frame, encodeStrings, numericColumn } from './frame.js';
import { groupBy, joinFilesDuckdb, joinFrames } from './merge.js';
import { tempFiles } from './test-support/files.js';

const tmp = tempFiles();
afterAll(async () => {
  await closeDuckdb();
  tmp.cleanup();
});
const f64 = (...x: number[]) => Float64Array.from(x);

describe('joinFrames', () => {
  // different dictionaries on purpose: keys compare by text
  const left = new Frame([encodeStrings('k', ['a', 'b', 'c', null]), numericColumn('x', f64(1, 2, 3, 4))]);
  const right = new Frame([encodeStrings('k', ['c', 'a', 'a', 'd']), numericColumn('x', f64(30, 10, 11, 40)), encodeStrings('name', ['C', 'A1', 'A2', 'D'])]);

  it('inner: left order, matches in right order, clashing names suffixed', () => {
    const j = joinFrames(left, right, { on: 'k' });
    expect(j.names).toEqual(['k', 'x_x', 'x_y', 'name']);
    expect(j.strings('k')).toEqual(['a', 'a', 'c']);
    expect(Array.from(j.numeric('x_y').values)).toEqual([10, 11, 30]);
    expect(j.strings('name')).toEqual(['A1', 'A2', 'C']);
  });

  it('left keeps unmatched left rows (a missing key never matches)', () => {
    const j = joinFrames(left, right, { on: 'k', how: 'left' });
    expect(j.strings('k')).toEqual(['a', 'a', 'b', 'c', null]);
    expect(Array.from(j.numeric('x_y').values)).toEqual([10, 11, NaN, 30, NaN]);
  });

  it('outer adds unmatched right rows with their keys', () => {
    const j = joinFrames(left, right, { on: 'k', how: 'outer' });
    expect(j.strings('k')).toEqual(['a', 'a', 'b', 'c', null, 'd']);
    expect(Array.from(j.numeric('x_x').values)).toEqual([1, 1, 2, 3, 4, NaN]);
    expect(j.strings('name')).toEqual(['A1', 'A2', null, 'C', null, 'D']);
  });

  it('joins on several keys and checks key columns', () => {
    const a = new Frame([numericColumn('u', f64(1, 1, 2)), encodeStrings('i', ['p', 'q', 'p']), numericColumn('r', f64(5, 4, 3))]);
    const b = new Frame([encodeStrings('i', ['p', 'p']), numericColumn('u', f64(2, 1)), numericColumn('w', f64(0.2, 0.1))]);
    const j = joinFrames(a, b, { on: ['u', 'i'] });
    expect(Array.from(j.numeric('r').values)).toEqual([5, 3]);
    expect(Array.from(j.numeric('w').values)).toEqual([0.1, 0.2]);
    expect(() => joinFrames(a, b, { on: 'zz' })).toThrow(/key "zz" is not a column of the left frame/);
    const c = new Frame([encodeStrings('u', ['1'])]);
    expect(() => joinFrames(a, c, { on: 'u' })).toThrow(SchemaError);
  });
});

describe('groupBy', () => {
  it('count, sum, mean, min, max, first, last, nunique; missing skipped', () => {
    const f = new Frame([
      encodeStrings('g', ['a', 'b', 'a', 'a', 'b', null]),
      numericColumn('v', f64(1, 5, NaN, 3, 7, 100)),
      encodeStrings('s', ['x', 'y', 'x', 'z', null, 'w']),
    ]);
    const g = groupBy(f, 'g', [
      { column: 'v', op: 'count' },
      { column: 'v', op: 'sum' },
      { column: 'v', op: 'mean' },
      { column: 'v', op: 'min' },
      { column: 'v', op: 'max' },
      { column: 'v', op: 'first' },
      { column: 'v', op: 'last' },
      { column: 's', op: 'nunique' },
      { column: 's', op: 'last', as: 'lastS' },
    ]);
    expect(g.strings('g')).toEqual(['a', 'b']);
    expect(Array.from(g.numeric('v_count').values)).toEqual([2, 2]);
    expect(Array.from(g.numeric('v_sum').values)).toEqual([4, 12]);
    expect(Array.from(g.numeric('v_mean').values)).toEqual([2, 6]);
    expect(Array.from(g.numeric('v_min').values)).toEqual([1, 5]);
    expect(Array.from(g.numeric('v_max').values)).toEqual([3, 7]);
    expect(Array.from(g.numeric('v_first').values)).toEqual([1, 5]);
    expect(Array.from(g.numeric('v_last').values)).toEqual([3, 7]);
    expect(Array.from(g.numeric('s_nunique').values)).toEqual([2, 1]);
    expect(g.strings('lastS')).toEqual(['z', 'y']);
    expect(() => groupBy(f, 'g', [{ column: 's', op: 'sum' }])).toThrow(/needs a numeric column/);
  });

  it('matches a naive Map-based group-by on random data (two keys)', () => {
    const n = 2000;
    const a = new Float64Array(n);
    const b: string[] = [];
    const v = new Float64Array(n);
    let seed = 1;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let r = 0; r < n; r++) {
      a[r] = Math.floor(rnd() * 5);
      b.push(`k${Math.floor(rnd() * 4)}`);
      v[r] = Math.floor(rnd() * 100);
    }
    const f = new Frame([numericColumn('a', a), encodeStrings('b', b), numericColumn('v', v)]);
    const g = groupBy(f, ['a', 'b'], [{ column: 'v', op: 'sum' }]);
    const naive = new Map<string, number>();
    for (let r = 0; r < n; r++) naive.set(`${a[r]}|${b[r]}`, (naive.get(`${a[r]}|${b[r]}`) ?? 0) + v[r]!);
    expect(g.nRows).toBe(naive.size);
    for (let r = 0; r < g.nRows; r++) expect(g.numeric('v_sum').values[r]).toBe(naive.get(`${g.get(r, 'a')}|${g.get(r, 'b')}`));
  });
});

describe('joinFilesDuckdb', () => {
  it('joins files out of core', async () => {
    const a = tmp.write('a.csv', 'k,x\n1,10\n2,20\n');
    const b = tmp.write('b.csv', 'k,y\n2,200\n3,300\n');
    const j = await joinFilesDuckdb(a, b, { on: 'k', how: 'outer' });
    const rows = j.toRecords().sort((p, q) => Number(p['k']) - Number(q['k']));
    expect(rows).toEqual([
      { k: 1, x: 10, y: NaN },
      { k: 2, x: 20, y: 200 },
      { k: 3, x: NaN, y: 300 },
    ]);
  });
});
