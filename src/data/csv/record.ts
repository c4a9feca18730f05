import { InvalidArgumentError } from '../../core/errors.js';

/**
 * The record scanner under every delimited reader: finds the fields of one record in a byte buffer (RFC 4180: quoted
 * fields may hold delimiters, doubled quotes and newlines; CRLF, LF or CR line ends). It stores byte offsets only; the
 * caller decides which fields to decode and how.
 */

/** A delimiter and quote character, as bytes. */
export interface Dialect {
  /** Field separator bytes (one or more, e.g. `,`, `\t`, `::`). */
  readonly delimiter: Uint8Array;
  /** Quote byte, or -1 when quoting is off (e.g. MovieLens files, where `"` is ordinary text). */
  readonly quote: number;
}

/** Builds a dialect; the delimiter must be non-empty and contain no quote or line-end character. */
export function makeDialect(delimiter: string, quote: string | null = '"'): Dialect {
  const d = Buffer.from(delimiter, 'latin1');
  if (d.length === 0) throw new InvalidArgumentError('delimiter must not be empty');
  const q = quote === null ? -1 : quote.charCodeAt(0);
  for (const c of d) {
    if (c === 10 || c === 13 || c === q) throw new InvalidArgumentError(`delimiter ${JSON.stringify(delimiter)} must not contain a quote or line end`, { delimiter });
  }
  if (quote !== null && quote.length !== 1) throw new InvalidArgumentError(`quote must be one character, got ${JSON.stringify(quote)}`);
  return { delimiter: new Uint8Array(d), quote: q };
}

/** Field offsets of one record, reused from record to record (grows as needed). */
export class RecordCells {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 when the field was quoted and contains doubled quotes to fold. */
  escaped = new Uint8Array(64);
  count = 0;
  /** Newlines inside quoted fields of this record (so the caller can keep line numbers right). */
  innerNewlines = 0;
  /** Set when the record is malformed (text after a closing quote, unterminated quote at end of file). */
  error: string | null = null;

  push(s: number, e: number, esc: number): void {
    if (this.count === this.starts.length) {
      const n = this.count * 2;
      const s2 = new Int32Array(n);
      s2.set(this.starts);
      this.starts = s2;
      const e2 = new Int32Array(n);
      e2.set(this.ends);
      this.ends = e2;
      const x2 = new Uint8Array(n);
      x2.set(this.escaped);
      this.escaped = x2;
    }
    this.starts[this.count] = s;
    this.ends[this.count] = e;
    this.escaped[this.count] = esc;
    this.count++;
  }
}

/** Returned by {@link scanRecord} when the buffer ends inside a record and more bytes may follow. */
export const INCOMPLETE = -1;

/**
 * Scans the record starting at `pos` in `b[..end)`. Fills `rec` and returns the position just after its line end
 * (or `end` at end of file), or {@link INCOMPLETE} when `!atEof` and the record runs past `end`. A record with no
 * bytes before its line end has `count === 0` (a blank line).
 */
export function scanRecord(b: Uint8Array, pos: number, end: number, atEof: boolean, d: Dialect, rec: RecordCells): number {
  rec.count = 0;
  rec.innerNewlines = 0;
  rec.error = null;
  const delim = d.delimiter;
  const d0 = delim[0]!;
  const dLen = delim.length;
  const q = d.quote;
  let i = pos;
  // blank line
  if (i < end && (b[i] === 10 || b[i] === 13)) {
    if (b[i] === 13) {
      if (i + 1 >= end && !atEof) return INCOMPLETE;
      if (i + 1 < end && b[i + 1] === 10) return i + 2;
    }
    return i + 1;
  }
  if (i >= end) return atEof ? end : INCOMPLETE;
  for (;;) {
    // one field starting at i
    if (b[i] === q && i < end) {
      const s = i + 1;
      let j = s;
      let esc = 0;
      let closed = -1;
      let nl = 0;
      while (j < end) {
        const c = b[j]!;
        if (c === q) {
          if (j + 1 < end && b[j + 1] === q) {
            esc = 1;
            j += 2;
            continue;
          }
          if (j + 1 >= end && !atEof) return INCOMPLETE;
          closed = j;
          break;
        }
        if (c === 10) nl++;
        j++;
      }
      if (closed < 0) {
        if (!atEof) return INCOMPLETE;
        rec.push(s, end, esc);
        rec.innerNewlines += nl;
        rec.error = 'unterminated quoted field';
        return end;
      }
      rec.push(s, closed, esc);
      rec.innerNewlines += nl;
      i = closed + 1;
      if (i >= end) {
        if (!atEof) return INCOMPLETE;
        return end;
      }
      const c = b[i]!;
      if (c === d0 && matchDelim(b, i, end, delim, dLen)) {
        i += dLen;
        continue;
      }
      if (c === 10) return i + 1;
      if (c === 13) {
        if (i + 1 >= end && !atEof) return INCOMPLETE;
        return i + 1 < end && b[i + 1] === 10 ? i + 2 : i + 1;
      }
      // text after the closing quote: malformed; skip to the end of the line
      rec.error = 'text after a closing quote';
      while (i < end && b[i] !== 10) i++;
      if (i >= end) return atEof ? end : INCOMPLETE;
      return i + 1;
    }
    // unquoted field
    const s = i;
    while (i < end) {
      const c = b[i]!;
      if (c === d0 && (dLen === 1 || matchDelim(b, i, end, delim, dLen))) break;
      if (c === 10 || c === 13) break;
      i++;
    }
    if (i >= end) {
      if (!atEof) return INCOMPLETE;
      rec.push(s, end, 0);
      return end;
    }
    rec.push(s, i, 0);
    const c = b[i]!;
    if (c === 10) return i + 1;
    if (c === 13) {
      if (i + 1 >= end && !atEof) return INCOMPLETE;
      return i + 1 < end && b[i + 1] === 10 ? i + 2 : i + 1;
    }
    i += dLen;
    if (i >= end) {
      // delimiter at the very end: one more (empty) field
      if (!atEof) return INCOMPLETE;
      rec.push(end, end, 0);
      return end;
    }
  }
}

function matchDelim(b: Uint8Array, i: number, end: number, delim: Uint8Array, dLen: number): boolean {
  if (i + dLen > end) return false;
  for (let k = 1; k < dLen; k++) if (b[i + k] !== delim[k]) return false;
  return true;
}
