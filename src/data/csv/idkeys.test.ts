import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { Rng } from '../../core/rng.js';
import { IdKeyer } from './idkeys.js';

describe('IdKeyer', () => {
  it('matches IdMap.add over the decoded strings (integer hash with growth, string ids, non-canonical integers)', () => {
    const rng = new Rng(9);
    const keyer = new IdKeyer(16);
    const ref = new IdMap();
    for (let k = 0; k < 50_000; k++) {
      const r = rng.uniform();
      const id = r < 0.8 ? String(rng.int(30_000)) : r < 0.9 ? `0${rng.int(50)}` : `u${rng.int(500)}`;
      const buf = Buffer.from(id);
      expect(keyer.keyBytes(buf, 0, buf.length, 'utf8', false)).toBe(ref.add(id));
    }
    expect(keyer.toIdMap().list).toEqual(ref.list);
    // a canonical integer given as a string goes to the integer table
    expect(keyer.keyString('17')).toBe(keyer.keyInt(17));
  });

  it('absorbs another keyer in its first-seen order (integers and strings interleaved)', () => {
    const a = new IdKeyer();
    const b = new IdKeyer();
    a.keyInt(5);
    a.keyString('x');
    b.keyInt(7);
    b.keyString('y');
    b.keyInt(5);
    b.keyString('x');
    const map = a.absorb(b.exportKeys());
    expect(Array.from(map)).toEqual([2, 3, 0, 1]);
    expect(a.toIdMap().list).toEqual(['5', 'x', '7', 'y']);
  });
});
