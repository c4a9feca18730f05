import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SchemaError } from '../core/errors.js';
import { Frame, categoricalColumn, encodeStrings, numericColumn } from './frame.js';

function sample(): Frame {
  return new Frame([
    numericColumn('rating', Float64Array.of(4, NaN, 2.5, 5)),
    encodeStrings('genre', ['drama', null, 'comedy', 'drama']),
    numericColumn('year', Float64Array.of(1999, 2001, 1985, 2020)),
  ]);
}

describe('encodeStrings', () => {
  it('dictionary-encodes in order of first appearance with -1 for missing', () => {
    const c = encodeStrings('g', ['b', 'a', undefined, 'b', null, '']);
    expect(c.kind).toBe('categorical');
    expect(c.dictionary).toEqual(['b', 'a', '']);
    expect(Array.from(c.codes)).toEqual([0, 1, -1, 0, -1, 2]);
  });
});

describe('Frame', () => {
  it('exposes shape, names, columns and cells', () => {
    const f = sample();
    expect(f.nRows).toBe(4);
    expect(f.nCols).toBe(3);
    expect(f.names).toEqual(['rating', 'genre', 'year']);
    expect(f.has('genre')).toBe(true);
    expect(f.has('nope')).toBe(false);
    expect(f.get(0, 'rating')).toBe(4);
    expect(Number.isNaN(f.get(1, 'rating') as number)).toBe(true);
    expect(f.get(1, 'genre')).toBeNull();
    expect(f.get(2, 'genre')).toBe('comedy');
    expect(f.numeric('year').values[3]).toBe(2020);
    expect(f.categorical('genre').dictionary).toEqual(['drama', 'comedy']);
    expect(f.strings('rating')).toEqual(['4', null, '2.5', '5']);
    expect(f.strings('genre')).toEqual(['drama', null, 'comedy', 'drama']);
    expect(new Frame([]).nRows).toBe(0);
  });

  it('explains missing columns and kind mismatches', () => {
    const f = sample();
    expect(() => f.column('score')).toThrow(SchemaError);
    expect(() => f.column('score')).toThrow(/no column "score"; columns are: rating, genre, year/);
    expect(() => f.numeric('genre')).toThrow(/column "genre" is categorical, expected numeric/);
    expect(() => f.categorical('year')).toThrow(/column "year" is numeric, expected categorical/);
  });

  it('refuses duplicate names and ragged columns', () => {
    expect(() => new Frame([numericColumn('a', new Float64Array(2)), numericColumn('a', new Float64Array(2))])).toThrow(/duplicate column name "a"/);
    expect(() => new Frame([numericColumn('a', new Float64Array(2)), categoricalColumn('b', new Int32Array(3), [])])).toThrow(/column "b" has 3 rows, expected 2/);
  });

  it('select reorders and drop removes columns, sharing buffers', () => {
    const f = sample();
    const s = f.select(['year', 'rating']);
    expect(s.names).toEqual(['year', 'rating']);
    expect(s.numeric('year').values).toBe(f.numeric('year').values);
    expect(() => f.select(['nope'])).toThrow(SchemaError);
    expect(f.drop(['genre']).names).toEqual(['rating', 'year']);
    expect(() => f.drop(['nope'])).toThrow(SchemaError);
  });

  it('take picks rows in order with repeats and checks bounds', () => {
    const f = sample();
    const t = f.take(Int32Array.of(3, 0, 3));
    expect(t.nRows).toBe(3);
    expect(t.toRecords()).toEqual([
      { rating: 5, genre: 'drama', year: 2020 },
      { rating: 4, genre: 'drama', year: 1999 },
      { rating: 5, genre: 'drama', year: 2020 },
    ]);
    expect(t.categorical('genre').dictionary).toBe(f.categorical('genre').dictionary);
    expect(f.take(new Int32Array(0)).nRows).toBe(0);
    expect(() => f.take(Int32Array.of(4))).toThrow(InvalidArgumentError);
    expect(() => f.take(Int32Array.of(-1))).toThrow(/row -1 out of range \[0, 4\)/);
  });

  it('filter keeps masked rows and checks the mask length', () => {
    const f = sample();
    const r = f.filter(Uint8Array.of(0, 1, 1, 0));
    expect(r.nRows).toBe(2);
    expect(r.get(0, 'genre')).toBeNull();
    expect(r.get(1, 'year')).toBe(1985);
    expect(() => f.filter(new Uint8Array(3))).toThrow(/mask has 3 entries, expected 4/);
  });

  it('head returns the first rows', () => {
    const f = sample();
    expect(f.head(2).numeric('year').values).toEqual(Float64Array.of(1999, 2001));
    expect(f.head(10).nRows).toBe(4);
    expect(f.head().nRows).toBe(4);
  });

  it('withColumn adds at the end or replaces in place, and checks the row count', () => {
    const f = sample();
    const added = f.withColumn(numericColumn('score', Float64Array.of(1, 2, 3, 4)));
    expect(added.names).toEqual(['rating', 'genre', 'year', 'score']);
    const replaced = f.withColumn(encodeStrings('rating', ['a', 'b', 'c', 'd']));
    expect(replaced.names).toEqual(['rating', 'genre', 'year']);
    expect(replaced.get(2, 'rating')).toBe('c');
    expect(f.get(2, 'rating')).toBe(2.5); // the original frame is unchanged
    expect(() => f.withColumn(numericColumn('x', new Float64Array(3)))).toThrow(/withColumn: "x" has 3 rows, expected 4/);
    const fromEmpty = new Frame([]).withColumn(numericColumn('a', new Float64Array(5)));
    expect(fromEmpty.nRows).toBe(5);
  });

  it('toRecords renders missing values as NaN and null', () => {
    const recs = sample().toRecords();
    expect(recs.length).toBe(4);
    expect(recs[1]!['genre']).toBeNull();
    expect(Number.isNaN(recs[1]!['rating'] as number)).toBe(true);
  });
});
