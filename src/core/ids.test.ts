import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { IdMap } from './ids.js';

describe('IdMap', () => {
  it('assigns indices in order of first appearance and round-trips ids', () => {
    const m = new IdMap();
    expect(m.add('b')).toBe(0);
    expect(m.add('a')).toBe(1);
    expect(m.add('b')).toBe(0);
    expect(m.add('')).toBe(2);
    expect(m.size).toBe(3);
    expect(m.indexOf('a')).toBe(1);
    expect(m.indexOf('zzz')).toBe(-1);
    expect(m.has('')).toBe(true);
    expect(m.has('c')).toBe(false);
    for (let i = 0; i < m.size; i++) expect(m.indexOf(m.idAt(i))).toBe(i);
    expect(Array.from(m.indicesOf(['a', 'x', 'b']))).toEqual([1, -1, 0]);
  });

  it('serializes as its id list and rebuilds exactly', () => {
    const m = new IdMap();
    const ids = Array.from({ length: 1000 }, (_, i) => `u${(i * 7919) % 1000}`);
    for (const id of ids) m.add(id);
    const json = JSON.stringify(m);
    const back = IdMap.fromIds(JSON.parse(json) as string[]);
    expect(back.size).toBe(m.size);
    for (const id of ids) expect(back.indexOf(id)).toBe(m.indexOf(id));
    expect(back.toArray()).toEqual(m.toArray());
  });

  it('hands out copies from toArray / toJSON but a live view from list', () => {
    const m = IdMap.fromIds(['x', 'y']);
    const arr = m.toArray();
    arr.push('z');
    expect(m.size).toBe(2);
    expect(m.list).toEqual(['x', 'y']);
    m.add('w');
    expect(m.list.length).toBe(3);
  });

  it('refuses duplicate ids in fromIds and out-of-range indices', () => {
    expect(() => IdMap.fromIds(['a', 'b', 'a'])).toThrow(InvalidArgumentError);
    expect(() => IdMap.fromIds(['a', 'b', 'a'])).toThrow(/duplicate id "a"/);
    const m = IdMap.fromIds(['a']);
    expect(() => m.idAt(1)).toThrow(/out of range \[0, 1\)/);
    expect(() => m.idAt(-1)).toThrow(InvalidArgumentError);
  });

  it('distinguishes ids that look alike (numbers as strings, prototype names)', () => {
    const m = IdMap.fromIds(['1', '01', '1.0', '__proto__', 'constructor']);
    expect(m.indexOf('01')).toBe(1);
    expect(m.indexOf('__proto__')).toBe(3);
    expect(m.indexOf('toString')).toBe(-1);
  });
});
