import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { NumpyRandomState, roundHalfEven } from './numpy-random.js';

// Reference values printed by numpy 1.24.2 (Debian's /usr/bin/python3), e.g.
// python3 -c "import numpy as np; np.random.seed(42); print(np.random.rand(5).tolist())"
describe('NumpyRandomState (numpy legacy RandomState)', () => {
  it('draws the same 32-bit words as RandomState(42).randint(0, 2**32, dtype=uint32)', () => {
    const r = new NumpyRandomState(42);
    expect([0, 1, 2, 3, 4].map(() => r.nextUint32())).toEqual([1608637542, 3421126067, 4083286876, 787846414, 3143890026]);
  });

  it('rand() equals np.random.rand bit for bit, across the 624-word refill', () => {
    const r = new NumpyRandomState(42);
    expect(Array.from(r.randArray(5))).toEqual([0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652]);
    const x = new NumpyRandomState(42).randArray(1000);
    expect(x[311]).toBe(0.07845638134226596);
    expect(x[312]).toBe(0.02535074341545751);
    expect(x[999]).toBe(0.44600577295795574);
    expect(Array.from(new NumpyRandomState(4294967295).randArray(3))).toEqual([0.0976320289940138, 0.9123828453026218, 0.78903530185164]);
  });

  it('permutation(n) equals RandomState(seed).permutation(n)', () => {
    expect(Array.from(new NumpyRandomState(42).permutation(10))).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    expect(Array.from(new NumpyRandomState(42).permutation(23))).toEqual([15, 9, 0, 8, 17, 12, 1, 13, 5, 2, 11, 20, 3, 4, 18, 16, 21, 22, 7, 10, 14, 19, 6]);
    expect(Array.from(new NumpyRandomState(1).permutation(7))).toEqual([6, 2, 1, 0, 4, 3, 5]);
    const p = new NumpyRandomState(42).permutation(100000);
    expect(Array.from(p.subarray(0, 5))).toEqual([75721, 80184, 19864, 76699, 92991]);
    expect(Array.from(p.subarray(99995))).toEqual([6265, 54886, 76820, 860, 15795]);
    expect(p[24999]).toBe(11627);
    expect(new NumpyRandomState(3).permutation(0).length).toBe(0);
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(InvalidArgumentError);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(/2\^32/);
    expect(() => new NumpyRandomState(1.5)).toThrow(InvalidArgumentError);
  });
});

describe('roundHalfEven (Python round)', () => {
  it('rounds halves to even like Python 3', () => {
    expect([16.5, 17.5, 17.25, 2.5, 0.5, 3.75, 0].map(roundHalfEven)).toEqual([16, 18, 17, 2, 0, 4, 0]);
  });
});
