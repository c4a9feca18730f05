import { InvalidArgumentError } from '../core/errors.js';
import { ENGLISH_STOP_WORDS } from './stopwords.js';

/**
 * Tokenizer and word analyzer with scikit-learn's `CountVectorizer(analyzer='word')` semantics:
 * preprocess (lowercase, then optional accent stripping), tokenize with the token pattern, drop stop words, then
 * form word n-grams over the remaining tokens (so an n-gram may span a removed stop word, as in scikit-learn).
 *
 * The default token pattern is scikit-learn's `(?u)\b\w\w+\b`: maximal runs of two or more Unicode word characters.
 * Python's `\w` is a letter (L*), a number (N*) or `_`; combining marks (Mn, Mc) are not word characters, so
 * e.g. Devanagari vowel signs split words exactly as they do in scikit-learn. JavaScript's `\b` is ASCII-only, so the
 * default pattern is implemented as a scanner over code points rather than a RegExp.
 */

/** Accent stripping as in scikit-learn: 'unicode' (NFKD, drop combining marks) or 'ascii' (NFKD, drop non-ASCII). */
export type StripAccents = 'ascii' | 'unicode' | null;

/** Options of the word analyzer. */
export interface AnalyzerOptions {
  /** Lowercase before tokenizing (default true). */
  lowercase?: boolean;
  /** Accent stripping (default null: none). */
  stripAccents?: StripAccents;
  /**
   * A custom token RegExp (the `g` flag is added). As in scikit-learn, when it has one capture group the group is
   * the token. Default: the two-or-more word characters scanner described above.
   */
  tokenPattern?: RegExp | null;
  /** 'english' (scikit-learn's 318-word list), a custom list, or null for none (default null). */
  stopWords?: 'english' | readonly string[] | null;
  /** Smallest and largest n-gram size, inclusive (default [1, 1]). */
  ngramRange?: readonly [number, number];
}

const enum Cls {
  Unknown = 0,
  Word = 1,
  Other = 2,
}

/** Classification of the BMP code units as Python `\w` or not; astral code points are classified on the fly. */
const BMP = new Uint8Array(0x10000);
const WORD_RE = /^[\p{L}\p{N}_]$/u;

function isWordCodePoint(cp: number): boolean {
  if (cp < 0x10000) {
    let c = BMP[cp]!;
    if (c === Cls.Unknown) {
      c = cp >= 0xd800 && cp <= 0xdfff ? Cls.Other : WORD_RE.test(String.fromCharCode(cp)) ? Cls.Word : Cls.Other;
      BMP[cp] = c;
    }
    return c === Cls.Word;
  }
  return WORD_RE.test(String.fromCodePoint(cp));
}

/**
 * Appends to `out` the tokens of `text` under the default pattern (maximal runs of >= 2 word characters, counted
 * in code points). Returns `out`.
 */
export function scanWordTokens(text: string, out: string[]): string[] {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (!isWordCodePoint(cp)) {
      i += width;
      continue;
    }
    const start = i;
    let count = 0;
    while (i < n) {
      cp = text.charCodeAt(i);
      width = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      if (!isWordCodePoint(cp)) break;
      count++;
      i += width;
    }
    if (count >= 2) out.push(text.slice(start, i));
  }
  return out;
}

const cccCache = new Map<string, boolean>();

/**
 * Whether `ch` has a non-zero canonical combining class (Python's `unicodedata.combining(ch) != 0`). JavaScript has
 * no API for it, so it is probed through canonical reordering: a mark with class c is moved before U+0345 (class
 * 240) when 0 < c < 240, and U+0334 (class 1) is moved before it when c > 1.
 */
function hasCombiningClass(ch: string): boolean {
  let r = cccCache.get(ch);
  if (r === undefined) {
    const s1 = 'a\u0345' + ch;
    const s2 = 'a' + ch + '\u0334';
    r = s1.normalize('NFD') !== s1 || s2.normalize('NFD') !== s2;
    cccCache.set(ch, r);
  }
  return r;
}

/** scikit-learn's `strip_accents_unicode` / `strip_accents_ascii`. */
export function stripAccents(text: string, mode: Exclude<StripAccents, null>): string {
  const nf = text.normalize('NFKD');
  if (mode === 'unicode') {
    // eslint-disable-next-line no-control-regex
    if (/^[\x00-\x7f]*$/.test(text)) return text;
    let out = '';
    for (const ch of nf) if (!hasCombiningClass(ch)) out += ch;
    return out;
  }
  // eslint-disable-next-line no-control-regex
  return nf.replace(/[^\x00-\x7f]/g, '');
}

/** A compiled word analyzer: `analyze(doc)` returns the doc's terms (tokens and n-grams) in scikit-learn's order. */
export class WordAnalyzer {
  readonly lowercase: boolean;
  readonly stripAccentsMode: StripAccents;
  readonly stopWords: ReadonlySet<string> | null;
  readonly minN: number;
  readonly maxN: number;
  private readonly pattern: RegExp | null;
  private readonly tokens: string[] = [];

  constructor(opts: AnalyzerOptions = {}) {
    this.lowercase = opts.lowercase ?? true;
    this.stripAccentsMode = opts.stripAccents ?? null;
    if (this.stripAccentsMode !== null && this.stripAccentsMode !== 'ascii' && this.stripAccentsMode !== 'unicode') {
      throw new InvalidArgumentError(`stripAccents must be 'ascii', 'unicode' or null, got ${JSON.stringify(this.stripAccentsMode)}`);
    }
    const sw = opts.stopWords ?? null;
    if (sw === 'english') this.stopWords = ENGLISH_STOP_WORDS;
    else if (sw === null) this.stopWords = null;
    else if (Array.isArray(sw)) this.stopWords = new Set(sw);
    else throw new InvalidArgumentError(`stopWords must be 'english', a list of words or null, got ${JSON.stringify(sw)}`);
    const range = opts.ngramRange ?? [1, 1];
    const [minN, maxN] = range;
    if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
      throw new InvalidArgumentError(`ngramRange must be [min, max] with integers 1 <= min <= max, got ${JSON.stringify(range)}`);
    }
    this.minN = minN;
    this.maxN = maxN;
    const p = opts.tokenPattern ?? null;
    this.pattern = p === null ? null : new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
  }

  /** Lowercasing and accent stripping (scikit-learn's preprocessor). */
  preprocess(doc: string): string {
    let s = this.lowercase ? doc.toLowerCase() : doc;
    if (this.stripAccentsMode !== null) s = stripAccents(s, this.stripAccentsMode);
    return s;
  }

  /** Tokens of a preprocessed document (before stop words and n-grams). */
  tokenize(text: string, out: string[] = []): string[] {
    if (this.pattern === null) return scanWordTokens(text, out);
    this.pattern.lastIndex = 0;
    for (const m of text.matchAll(this.pattern)) {
      const tok = m.length > 1 ? m[1] : m[0];
      if (tok !== undefined) out.push(tok);
    }
    return out;
  }

  /**
   * Appends the terms of `doc` to `out` (unigrams first, then bigrams, ..., as scikit-learn's `_word_ngrams`).
   * `null`/`undefined` documents count as empty.
   */
  analyze(doc: string | null | undefined, out: string[] = []): string[] {
    if (doc === null || doc === undefined || doc.length === 0) return out;
    const toks = this.tokens;
    toks.length = 0;
    this.tokenize(this.preprocess(doc), toks);
    let m = toks.length;
    if (this.stopWords !== null) {
      const sw = this.stopWords;
      let w = 0;
      for (let i = 0; i < m; i++) {
        const t = toks[i]!;
        if (!sw.has(t)) toks[w++] = t;
      }
      m = w;
      toks.length = m;
    }
    let minN = this.minN;
    if (minN === 1) {
      for (let i = 0; i < m; i++) out.push(toks[i]!);
      minN = 2;
    }
    const maxN = Math.min(this.maxN, m);
    for (let n = minN; n <= maxN; n++) {
      for (let i = 0; i + n <= m; i++) {
        let s = toks[i]!;
        for (let j = 1; j < n; j++) s += ' ' + toks[i + j]!;
        out.push(s);
      }
    }
    return out;
  }
}

/**
 * Compares two strings by Unicode code point (Python's string order), which differs from JavaScript's UTF-16
 * order only when a supplementary character meets a BMP character in U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800) ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
    if (cb >= 0xd800) cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    return ca - cb;
  }
  return a.length - b.length;
}
