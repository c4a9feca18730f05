/**
 * The fused fast path of the ratings reader: scans one record and parses its user/item ids (canonical integers) and
 * value/timestamp (plain decimals) in the same pass over the bytes, with no offsets stored and no strings made.
 * Any record it is not sure about (a quote, a non-integer id, an exponent, a wrong field count, the window's end)
 * returns {@link FAST_FAIL} and the caller re-reads it with the general scanner, which handles and reports
 * everything. So the fast path changes speed only, never results.
 */

/** Returned when the record must go through the general path. */
export const FAST_FAIL = -2;

const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let k = 1; k < POW10.length; k++) POW10[k] = POW10[k - 1]! * 10;

/** Column layout of the fast path: [nFields, uCol, iCol, vCol, tCol, delimiter byte, quote byte]. */
export type FastLayout = Int32Array;

export function fastLayout(nFields: number, uCol: number, iCol: number, vCol: number, tCol: number, delimiter: number, quote: number): FastLayout {
  return Int32Array.of(nFields, uCol, iCol, vCol, tCol, delimiter, quote);
}

/**
 * Parses the record at `pos` (which must not be a blank line). On success writes [user, item, value, time] to `out`
 * and returns the position after the line end; else {@link FAST_FAIL}. The record must end before `end`.
 */
export function fastRecord(b: Uint8Array, pos: number, end: number, layout: FastLayout, out: Float64Array): number {
  const nFields = layout[0]!;
  const uCol = layout[1]!;
  const iCol = layout[2]!;
  const vCol = layout[3]!;
  const tCol = layout[4]!;
  const d0 = layout[5]!;
  const q = layout[6]!;
  let i = pos;
  out[2] = 1;
  out[3] = 0;
  for (let f = 0; ; f++) {
    if (i >= end) return FAST_FAIL;
    const s = i;
    let c = b[i]!;
    if (c === q) return FAST_FAIL;
    if (f === uCol || f === iCol) {
      let v = 0;
      while (i < end) {
        c = b[i]!;
        const d = c - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        i++;
      }
      const len = i - s;
      if (len === 0 || len > 9 || (len > 1 && b[s] === 48)) return FAST_FAIL;
      out[f === uCol ? 0 : 1] = v;
      if (uCol === iCol) return FAST_FAIL;
    } else if (f === vCol || f === tCol) {
      let neg = false;
      if (c === 45) {
        neg = true;
        i++;
      }
      let m = 0;
      let digits = 0;
      let frac = 0;
      while (i < end) {
        const d = b[i]! - 48;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        digits++;
        i++;
      }
      if (i < end && b[i] === 46) {
        i++;
        while (i < end) {
          const d = b[i]! - 48;
          if (d < 0 || d > 9) break;
          m = m * 10 + d;
          digits++;
          frac++;
          i++;
        }
      }
      if (digits === 0 || digits > 15) return FAST_FAIL;
      const x = frac === 0 ? m : m / POW10[frac]!;
      out[f === vCol ? 2 : 3] = neg ? -x : x;
    } else {
      while (i < end) {
        c = b[i]!;
        if (c === d0 || c === 10 || c === 13) break;
        if (c === q) return FAST_FAIL;
        i++;
      }
    }
    if (i >= end) return FAST_FAIL;
    c = b[i]!;
    if (c === d0) {
      if (f + 1 >= nFields) return FAST_FAIL;
      i++;
      continue;
    }
    if (f + 1 !== nFields) return FAST_FAIL;
    if (c === 10) return i + 1;
    if (c === 13) {
      if (i + 1 >= end) return FAST_FAIL;
      return b[i + 1] === 10 ? i + 2 : i + 1;
    }
    return FAST_FAIL;
  }
}
