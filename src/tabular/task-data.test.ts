import { describe, expect, it } from 'vitest';
import { Frame, encodeStrings, numericColumn } from '../data/frame.js';
import { prepareTabular } from './task-data.js';

describe('prepareTabular: clear errors naming the column', () => {
  const f = new Frame([
    encodeStrings('id', Array.from({ length: 30 }, (_, i) => `c${i}`)),
    numericColumn('x', Float64Array.from({ length: 30 }, (_, i) => i)),
    encodeStrings('total', Array.from({ length: 30 }, (_, i) => (i === 3 ? ' ' : String(i * 2)))),
    encodeStrings('Churn', Array.from({ length: 30 }, (_, i) => (i % 3 ? 'No' : 'Yes'))),
  ]);

  it('target column that does not exist', () => {
    expect(() => prepareTabular(f, 'churn')).toThrow(/target column "churn" does not exist; columns are: id, x, total, Churn/);
  });

  it('single-class target', () => {
    const one = f.withColumn(encodeStrings('Churn', Array.from({ length: 30 }, () => 'No')));
    expect(() => prepareTabular(one, 'Churn')).toThrow(/target column "Churn" has a single class \("No"\)/);
  });

  it('strings in a numeric column', () => {
    const bad = f.withColumn(encodeStrings('total', Array.from({ length: 30 }, (_, i) => (i === 7 ? 'n/a' : String(i)))));
    expect(() => prepareTabular(bad, 'Churn')).toThrow(/column "total" is numeric but holds the string "n\/a" at row 8/);
  });

  it('labels sorted, blanks missing, id columns dropped, task inferred', () => {
    const d = prepareTabular(f, 'Churn');
    expect(d.task).toBe('classification');
    expect(d.labels).toEqual(['No', 'Yes']);
    expect(d.y[0]).toBe(1);
    expect(d.dropped).toEqual(['id']);
    expect(Number.isNaN(d.X.numeric('total').values[3])).toBe(true);
    expect(prepareTabular(f, 'x').task).toBe('regression');
  });
});
