/**
 * Data for bench/content.bench.ts: the Netflix catalog's descriptions and a generated corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { ENGLISH_STOP_WORDS } from '../src/text/stopwords.js';

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, embedded newlines, CRLF) for the bench only. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34) {
      let j = i + 1;
      let parts = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          parts += text.slice(j);
          j = n;
          break;
        }
        parts += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          parts += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      field = parts;
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) i++;
    else {
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Rows of a CSV with a header, as (id, title, description) of the Netflix catalog. */
export function netflixCatalog(dataDir: string): { ids: string[]; titles: string[]; docs: string[] } {
  const rows = parseCsv(readFileSync(join(dataDir, 'catalog', 'netflix_titles.csv'), 'utf8'));
  const header = rows[0]!;
  const id = header.indexOf('show_id');
  const title = header.indexOf('title');
  const desc = header.indexOf('description');
  const out = { ids: [] as string[], titles: [] as string[], docs: [] as string[] };
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length < header.length) continue;
    out.ids.push(row[id]!);
    out.titles.push(row[title]!);
    out.docs.push(row[desc]!);
  }
  return out;
}

/**
 * A generated corpus of `n` documents of 15-40 tokens drawn from a Zipf(1) law over a vocabulary whose 318 most
 * frequent words are the English stop words (as in real text) followed by `vocab` pseudo-words. Seeded.
 */
export function syntheticCorpus(n: number, vocab = 60000, seed = 7): string[] {
  const rng = new Rng(seed);
  const stop = [...ENGLISH_STOP_WORDS];
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'sha', 'gor', 'lin', 'dra', 'mu', 'ex', 'ql'];
  const words: string[] = stop.slice();
  const seen = new Set(words);
  while (words.length < stop.length + vocab) {
    let w = '';
    const len = 2 + rng.int(3);
    for (let s = 0; s < len; s++) w += syll[rng.int(syll.length)]!;
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const V = words.length;
  const cdf = new Float64Array(V);
  let h = 0;
  for (let r = 0; r < V; r++) cdf[r] = h += 1 / (r + 1);
  for (let r = 0; r < V; r++) cdf[r] = cdf[r]! / h;
  const docs: string[] = new Array<string>(n);
  for (let d = 0; d < n; d++) {
    const len = 15 + rng.int(26);
    const toks: string[] = [];
    for (let t = 0; t < len; t++) {
      const u = rng.uniform();
      let lo = 0;
      let hi = V - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      toks.push(words[lo]!);
    }
    docs[d] = toks.join(' '); // a flat string, as a file reader would give (not a rope of concatenations)
  }
  return docs;
}
