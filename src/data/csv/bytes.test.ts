import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { NOT_A_NUMBER, canonicalIntBytes, parseNumberBytes, parseNumberText } from './bytes.js';

const parse = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return parseNumberBytes(b, 0, b.length);
};

describe('parseNumberBytes', () => {
  it('equals Number() on random decimals (exact rounding on the fast path and beyond it)', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 20_000; k++) {
      const intDigits = rng.int(12);
      const fracDigits = rng.int(12);
      let s = rng.uniform() < 0.3 ? '-' : '';
      for (let d = 0; d < intDigits; d++) s += String(rng.int(10));
      if (fracDigits > 0 || intDigits === 0) {
        s += '.';
        for (let d = 0; d < Math.max(fracDigits, 1); d++) s += String(rng.int(10));
      }
      expect(parse(s)).toBe(Number(s));
    }
  });

  it('handles exponents, spaces, specials, and refuses non-numbers', () => {
    expect(parse(' 1.5e3 ')).toBe(1500);
    expect(parse('+2')).toBe(2);
    expect(parse('')).toBeNaN();
    expect(parse('NaN')).toBeNaN();
    expect(parse('-inf')).toBe(-Infinity);
    expect(parse('Infinity')).toBe(Infinity);
    for (const bad of ['0x10', '1,5', 'abc', '1e', '.', '--1', '1.2.3']) expect(parse(bad)).toBe(NOT_A_NUMBER);
    expect(parseNumberText(' 7 ')).toBe(7);
    expect(parseNumberText('x')).toBe(NOT_A_NUMBER);
  });
});

describe('canonicalIntBytes', () => {
  it('accepts only ids that round-trip through String(n)', () => {
    const c = (s: string) => canonicalIntBytes(Buffer.from(s), 0, s.length);
    expect(c('0')).toBe(0);
    expect(c('123456789')).toBe(123456789);
    for (const s of ['', '01', '-1', '+1', '1234567890', '1.0', ' 1']) expect(c(s)).toBe(-1);
  });
});
