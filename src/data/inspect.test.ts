import { describe, expect, it } from 'vitest';
import { Frame, encodeStrings, numericColumn } from './frame.js';
import { countDuplicateRows, detectUserItem, inspectFrame, interactionSummary } from './inspect.js';

describe('inspectFrame', () => {
  it('counts duplicates exactly (missing equals missing; near-equal numbers differ)', () => {
    const f = new Frame([numericColumn('x', Float64Array.of(1, 1, NaN, NaN, 1.0000001)), encodeStrings('s', ['a', 'a', null, null, 'a'])]);
    expect(countDuplicateRows(f)).toBe(2);
  });

  it('summarises columns and interaction data', () => {
    const f = new Frame([encodeStrings('UserId', ['u1', 'u1', 'u2', null]), numericColumn('item', Float64Array.of(1, 2, 1, 3)), numericColumn('r', Float64Array.of(5, NaN, 3, 1))]);
    expect(detectUserItem(f)).toEqual({ user: 'UserId', item: 'item' });
    const s = inspectFrame(f, detectUserItem(f));
    expect(s.columns[2]).toEqual({ name: 'r', type: 'numeric', missing: 1, unique: 3, min: 1, max: 5, mean: 3 });
    expect(s.columns[0]).toEqual({ name: 'UserId', type: 'categorical', missing: 1, unique: 2 });
    expect(s.interactions).toEqual({ userColumn: 'UserId', itemColumn: 'item', users: 2, items: 2, pairs: 3, density: 0.75 });
    expect(interactionSummary(f, 'item', 'r').pairs).toBe(3);
  });
});
