import { describe, expect, it } from 'vitest';
import { SchemaError } from '../core/errors.js';
import { clip, coerceTypes, dedupe, dropMissing, fillMissing, normalizeStrings } from './clean.js';
import { Frame, encodeStrings, numericColumn } from './frame.js';

const f64 = (...x: number[]) => Float64Array.from(x);

describe('cleaning', () => {
  const frame = new Frame([numericColumn('x', f64(1, NaN, 3, NaN, 10)), encodeStrings('s', ['a', 'b', null, 'b', null])]);

  it('dropMissing: any / all / subset', () => {
    expect(dropMissing(frame).nRows).toBe(1);
    expect(dropMissing(frame, { how: 'all' }).nRows).toBe(5);
    expect(dropMissing(new Frame([numericColumn('a', f64(NaN, 1)), encodeStrings('b', [null, null])]), { how: 'all' }).nRows).toBe(1);
    expect(Array.from(dropMissing(frame, { columns: ['x'] }).numeric('x').values)).toEqual([1, 3, 10]);
  });

  it('fillMissing: mean, median, mode, constant, ffill', () => {
    expect(Array.from(fillMissing(frame, { x: 'mean' }).numeric('x').values)).toEqual([1, 14 / 3, 3, 14 / 3, 10]);
    expect(Array.from(fillMissing(frame, { x: 'median' }).numeric('x').values)).toEqual([1, 3, 3, 3, 10]);
    expect(Array.from(fillMissing(frame, { x: 'ffill' }).numeric('x').values)).toEqual([1, 1, 3, 3, 10]);
    expect(Array.from(fillMissing(frame, { x: { value: 0 } }).numeric('x').values)).toEqual([1, 0, 3, 0, 10]);
    expect(Array.from(fillMissing(frame, { x: 'mode' }).numeric('x').values)).toEqual([1, 1, 3, 1, 10]); // tie -> smallest
    expect(fillMissing(frame, { s: 'mode' }).strings('s')).toEqual(['a', 'b', 'b', 'b', 'b']);
    expect(fillMissing(frame, { s: { value: 'none' } }).strings('s')).toEqual(['a', 'b', 'none', 'b', 'none']);
    expect(fillMissing(frame, { s: 'ffill' }).strings('s')).toEqual(['a', 'b', 'b', 'b', 'b']);
    expect(() => fillMissing(frame, { s: 'mean' })).toThrow(SchemaError);
    expect(() => fillMissing(frame, { x: { value: 'z' } })).toThrow(/must be a number/);
  });

  it('coerceTypes reports every failure with row, column and text', () => {
    const f = new Frame([encodeStrings('n', ['1', ' 2.5 ', 'abc', null, '1e3', 'abc'])]);
    const { frame: g, report } = coerceTypes(f, { n: 'numeric' });
    expect(Array.from(g.numeric('n').values)).toEqual([1, 2.5, NaN, NaN, 1000, NaN]);
    expect(report.failures).toBe(2);
    expect(report.samples).toEqual([
      { row: 2, column: 'n', text: 'abc' },
      { row: 5, column: 'n', text: 'abc' },
    ]);
    const back = coerceTypes(g, { n: 'categorical' }).frame;
    expect(back.strings('n')).toEqual(['1', '2.5', null, null, '1000', null]);
  });

  it('dedupe keeps first/last by key, optionally ordered by a timestamp', () => {
    const f = new Frame([encodeStrings('u', ['a', 'a', 'b', 'a']), numericColumn('t', f64(5, 1, 2, 3)), numericColumn('v', f64(10, 20, 30, 40))]);
    expect(Array.from(dedupe(f, { keys: ['u'] }).numeric('v').values)).toEqual([10, 30]);
    expect(Array.from(dedupe(f, { keys: ['u'], keep: 'last' }).numeric('v').values)).toEqual([30, 40]);
    expect(Array.from(dedupe(f, { keys: ['u'], keep: 'first', orderBy: 't' }).numeric('v').values)).toEqual([20, 30]);
    expect(Array.from(dedupe(f, { keys: ['u'], keep: 'last', orderBy: 't' }).numeric('v').values)).toEqual([10, 30]);
    const whole = new Frame([numericColumn('a', f64(1, 1, 2)), encodeStrings('b', ['x', 'x', 'x'])]);
    expect(dedupe(whole).nRows).toBe(2);
  });

  it('clip bounds a numeric column, keeping missing', () => {
    expect(Array.from(clip(frame, 'x', { min: 2, max: 5 }).numeric('x').values)).toEqual([2, NaN, 3, NaN, 5]);
    expect(() => clip(frame, 'x', { min: 3, max: 1 })).toThrow(/min 3 > max 1/);
  });

  it('normalizeStrings: NFC, trim, collapse spaces, case; merges entries that become equal', () => {
    const f = new Frame([encodeStrings('c', ['  New   York ', 'new york', 'Cafe\u0301', 'Café', '   '])]);
    const g = normalizeStrings(f, ['c'], { case: 'lower' });
    expect(g.strings('c')).toEqual(['new york', 'new york', 'café', 'café', null]);
    expect(g.categorical('c').dictionary).toEqual(['new york', 'café']);
  });
});
