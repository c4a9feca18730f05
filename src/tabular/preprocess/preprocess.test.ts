import { describe, expect, it } from 'vitest';
import { Frame, encodeStrings, numericColumn } from '../../data/frame.js';
import { LogisticRegression } from '../linear/logistic.js';
import { MinMaxScaler, OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler } from './basic.js';
import { coerceNumericColumns } from './coerce.js';
import { ColumnTransformer } from './column-transformer.js';
import { Pipeline } from './pipeline.js';
import { TargetEncoder } from './target-encoder.js';

const frame = (): Frame =>
  new Frame([numericColumn('a', Float64Array.of(1, NaN, 3, 4)), encodeStrings('c', ['x', 'y', null, 'x'])]);

describe('preprocessing', () => {
  it('SimpleImputer: mean, median, most frequent, constant', () => {
    expect([...(new SimpleImputer().fitTransform(frame()).numeric('a').values)]).toEqual([1, 8 / 3, 3, 4]);
    expect(new SimpleImputer({ strategy: 'median' }).fitTransform(frame()).numeric('a').values[1]).toBe(3);
    expect(new SimpleImputer({ strategy: 'most_frequent' }).fitTransform(frame()).strings('c')).toEqual(['x', 'y', 'x', 'x']);
    expect(new SimpleImputer({ strategy: 'constant', fillValue: -1, columns: ['a'] }).fitTransform(frame()).numeric('a').values[1]).toBe(-1);
  });

  it('StandardScaler and MinMaxScaler', () => {
    const f = new Frame([numericColumn('a', Float64Array.of(1, 2, 3))]);
    const s = new StandardScaler().fitTransform(f).numeric('a').values;
    expect(s[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect([...new MinMaxScaler().fitTransform(f).numeric('a').values]).toEqual([0, 0.5, 1]);
  });

  it('OneHotEncoder ignores or rejects unseen categories; OrdinalEncoder maps them to NaN', () => {
    const enc = new OneHotEncoder().fit(frame());
    const test = new Frame([numericColumn('a', Float64Array.of(0)), encodeStrings('c', ['z'])]);
    const out = enc.transform(test);
    expect(out.names).toEqual(['a', 'c=x', 'c=y']);
    expect(out.numeric('c=x').values[0]).toBe(0);
    expect(() => new OneHotEncoder({ handleUnknown: 'error' }).fit(frame()).transform(test)).toThrow(/column "c" has category "z" at row 1/);
    expect(Number.isNaN(new OrdinalEncoder().fit(frame()).transform(test).numeric('c').values[0])).toBe(true);
    expect([...new OrdinalEncoder().fitTransform(frame()).numeric('c').values].slice(0, 2)).toEqual([0, 1]);
  });

  it('TargetEncoder encodes out of fold at fit and with all rows after', () => {
    const c = encodeStrings('c', ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b']);
    const f = new Frame([c]);
    const y = Float64Array.of(1, 1, 1, 0, 0, 0, 0, 1);
    const te = new TargetEncoder({ smoothing: 0, folds: 4, seed: 1 });
    const oof = te.fitTransform(f, y).numeric('c').values;
    const full = te.transform(f).numeric('c').values;
    expect(full[0]).toBeCloseTo(0.75, 12);
    expect(full[4]).toBeCloseTo(0.25, 12);
    // Out of fold, a row never sees its own target: some encoded values differ from the full-data mean.
    expect([...oof].some((v, i) => Math.abs(v - full[i]) > 1e-9)).toBe(true);
  });

  it('coerces numeric strings with blanks and rejects strings in a numeric column', () => {
    const f = new Frame([encodeStrings('tc', ['1.5', ' ', '3'])]);
    const v = coerceNumericColumns(f).numeric('tc').values;
    expect(v[0]).toBe(1.5);
    expect(Number.isNaN(v[1])).toBe(true);
    const bad = new Frame([encodeStrings('amount', [...Array.from({ length: 19 }, (_, i) => String(i)), 'abc'])]);
    expect(() => coerceNumericColumns(bad)).toThrow(/column "amount" is numeric but holds the string "abc" at row 20/);
  });

  it('ColumnTransformer + Pipeline fit, predict and survive an artifact round trip', async () => {
    const n = 200;
    const a = new Float64Array(n);
    const cat: string[] = [];
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i % 7 === 0 ? NaN : (i % 10) - 5;
      cat.push(i % 3 === 0 ? 'hi' : 'lo');
      y[i] = (a[i] > 0 ? 1 : 0) ^ (i % 3 === 0 ? 1 : 0);
    }
    const f = new Frame([numericColumn('a', a), encodeStrings('c', cat)]);
    const ct = new ColumnTransformer([
      { columns: ['a'], steps: [new SimpleImputer(), new StandardScaler()] },
      { columns: ['c'], steps: [new OneHotEncoder()] },
    ]);
    const p = await new Pipeline([ct], new LogisticRegression()).fit(f, y);
    const pred = p.predictProba(f);
    const { loadTabularModel } = await import('../registry.js');
    const back = loadTabularModel(p.toArtifact()) as Pipeline;
    expect([...back.predictProba(f)]).toEqual([...pred]);
    const fresh = p.withParams({ regularization: 2 });
    expect(fresh.isFitted).toBe(false);
    expect(fresh.getParams()['regularization']).toBe(2);
  });
});
