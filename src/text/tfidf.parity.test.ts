import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TfidfVectorizer, type TfidfOptions } from './tfidf.js';

/** scikit-learn's output for the fixture corpus, written by bench/peers/tfidf_reference.py. */
interface RefCase {
  name: string;
  reckon: Record<string, unknown>;
  features: string[];
  idf: number[] | null;
  indptr: number[];
  indices: number[];
  data: number[];
}
const docs = JSON.parse(readFileSync(new URL('./fixtures/corpus.json', import.meta.url), 'utf8')) as string[];
const ref = JSON.parse(readFileSync(new URL('./fixtures/tfidf_reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

describe('TfidfVectorizer matches scikit-learn 1.2.1 on the fixture corpus (tolerance 1e-6)', () => {
  it('has many option sets', () => {
    expect(ref.cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const c of ref.cases) {
    it(c.name, () => {
      const v = new TfidfVectorizer(c.reckon as TfidfOptions);
      const X = v.fitTransform(docs);
      expect([...v.featureNames]).toEqual(c.features);
      if (c.idf !== null) {
        expect(v.idf.length).toBe(c.idf.length);
        for (let j = 0; j < c.idf.length; j++) expect(Math.abs(v.idf[j]! - c.idf[j]!)).toBeLessThan(1e-6);
      }
      expect(X.rows).toBe(docs.length);
      expect(Array.from(X.indptr)).toEqual(c.indptr);
      expect(Array.from(X.indices)).toEqual(c.indices);
      let maxErr = 0;
      for (let k = 0; k < c.data.length; k++) maxErr = Math.max(maxErr, Math.abs(X.values[k]! - c.data[k]!));
      expect(maxErr).toBeLessThan(1e-6);
      // transform of the training docs equals fitTransform
      const Y = v.transform(docs);
      expect(Array.from(Y.indices)).toEqual(c.indices);
      for (let k = 0; k < c.data.length; k++) expect(Math.abs(Y.values[k]! - c.data[k]!)).toBeLessThan(1e-6);
    });
  }
});
