/**
 * Byte-level helpers shared by the delimited readers: number parsing straight from bytes (no string per field on the
 * fast path), field decoding, and the canonical-integer test used to key integer ids without strings.
 */

const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let k = 1; k < POW10.length; k++) POW10[k] = POW10[k - 1]! * 10;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
};

/** Marker returned by {@link parseNumberBytes} for text that is not a number (distinct from a literal "NaN"). */
export const NOT_A_NUMBER = Symbol('not-a-number');

/**
 * Parses the decimal number in `b[s..e)` (spaces/tabs around it allowed). Plain `[-+]digits[.digits]` with at most 15
 * significant digits is parsed from the bytes and correctly rounded (one exact integer divided by an exact power of
 * ten); anything else (exponents, long mantissas, NaN/Infinity spellings) goes through `Number`. Returns NaN for an
 * empty field; {@link NOT_A_NUMBER} when the text is not a number.
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number | typeof NOT_A_NUMBER {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  const c0 = b[i]!;
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  while (i < e) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
    digits++;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      digits++;
      frac++;
      i++;
    }
  }
  if (i === e && digits > 0 && digits <= 15) {
    const v = frac === 0 ? m : m / POW10[frac]!;
    return neg ? -v : v;
  }
  return parseNumberSlow(latin1(b, s, e));
}

/** `Number` restricted to decimal syntax (no hex, no empty-is-zero) plus NaN/Infinity spellings. */
export function parseNumberText(text: string): number | typeof NOT_A_NUMBER {
  const t = text.trim();
  if (t === '') return NaN;
  return parseNumberSlow(t);
}

function parseNumberSlow(t: string): number | typeof NOT_A_NUMBER {
  if (NUMBER_RE.test(t)) return Number(t);
  const sp = SPECIAL[t.toLowerCase()];
  return sp === undefined ? NOT_A_NUMBER : sp;
}

/**
 * The value of `b[s..e)` when it is a canonical non-negative integer below 10^9 (digits only, no sign, no leading
 * zero unless it is "0"), else -1. Such ids round-trip exactly through `String(n)`, so they can be keyed by number.
 */
export function canonicalIntBytes(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 0 || len > 9) return -1;
  if (b[s] === 48 && len > 1) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Bytes as latin-1 text (one char per byte). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/** Text encodings the readers accept. */
export type TextEncoding = 'utf8' | 'latin1';

/** Decodes `b[s..e)`; when `escaped`, doubled quote characters inside a quoted field are folded to one. */
export function decodeField(buf: Buffer, s: number, e: number, encoding: TextEncoding, escaped: boolean, quote = '"'): string {
  const t = buf.toString(encoding, s, e);
  return escaped ? t.replaceAll(quote + quote, quote) : t;
}
