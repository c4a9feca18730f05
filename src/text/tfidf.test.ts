import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, NotFittedError } from '../core/errors.js';
import { csrRowDense } from './csr.js';
import { TfidfVectorizer } from './tfidf.js';
import { WordAnalyzer, compareCodePoints, scanWordTokens } from './tokenizer.js';

describe('tokenizer', () => {
  it('keeps runs of two or more word characters, lowercased', () => {
    expect(new WordAnalyzer().analyze('A cat, THE dog_house 42 x')).toEqual(['cat', 'the', 'dog_house', '42']);
  });
  it('handles non-Latin scripts and astral characters', () => {
    expect(scanWordTokens('東京の夜 Москве 𝐛𝐨𝐥𝐝 🎬🍿', [])).toEqual(['東京の夜', 'Москве', '𝐛𝐨𝐥𝐝']);
    // Devanagari vowel signs are marks, not word characters (as in Python's re)
    expect(scanWordTokens('सपनों', [])).toEqual(['सपन']);
  });
  it('removes stop words before forming n-grams', () => {
    const a = new WordAnalyzer({ stopWords: 'english', ngramRange: [1, 2] });
    expect(a.analyze('the dark of the night sky')).toEqual(['dark', 'night', 'sky', 'dark night', 'night sky']);
  });
  it('supports a custom token pattern with a capture group', () => {
    const a = new WordAnalyzer({ tokenPattern: /#(\w+)/ });
    expect(a.analyze('#Cyberpunk and #noir')).toEqual(['cyberpunk', 'noir']);
  });
  it('strips accents', () => {
    expect(new WordAnalyzer({ stripAccents: 'unicode' }).analyze('Café naïve')).toEqual(['cafe', 'naive']);
  });
  it('orders strings by code point like Python', () => {
    const xs = ['\uffff', '𝐛', 'a'];
    xs.sort(compareCodePoints);
    expect(xs).toEqual(['a', '\uffff', '𝐛']);
  });
  it('rejects a bad ngram range', () => {
    expect(() => new WordAnalyzer({ ngramRange: [2, 1] })).toThrow(InvalidArgumentError);
  });
});

describe('TfidfVectorizer', () => {
  const docs = ['space opera rebels', 'space station', '', 'the of and', 'rebels rebels love'];
  it('gives empty rows for empty and stop-word-only documents', () => {
    const v = new TfidfVectorizer({ stopWords: 'english' });
    const X = v.fitTransform(docs);
    expect(X.indptr[3]! - X.indptr[2]!).toBe(0);
    expect(X.indptr[4]! - X.indptr[3]!).toBe(0);
    expect(v.featureNames).toEqual(['love', 'opera', 'rebels', 'space', 'station']);
  });
  it('rows are unit L2 by default and idf is smoothed', () => {
    const v = new TfidfVectorizer();
    const X = v.fitTransform(docs);
    const r = csrRowDense(X, 0);
    expect(Math.abs(r.reduce((s, x) => s + x * x, 0) - 1)).toBeLessThan(1e-12);
    const j = v.indexOf('space');
    expect(v.idf[j]).toBeCloseTo(Math.log(6 / 3) + 1, 12);
  });
  it('throws a clear error when only stop words remain', () => {
    expect(() => new TfidfVectorizer({ stopWords: 'english' }).fit(['the of', '', 'and'])).toThrow(EmptyInputError);
  });
  it('throws when min/max df prune everything or conflict', () => {
    expect(() => new TfidfVectorizer({ minDf: 10 }).fit(docs)).toThrow(InvalidArgumentError);
    expect(() => new TfidfVectorizer({ minDf: 3 }).fit(docs)).toThrow(/no terms remain/);
  });
  it('explicit df bounds: maxDf {count: 1} keeps terms of a single document', () => {
    const v = new TfidfVectorizer({ maxDf: { count: 1 } });
    v.fit(docs);
    expect(v.featureNames).toEqual(['and', 'love', 'of', 'opera', 'station', 'the']);
  });
  it('ignores unknown terms in transform and throws before fit', () => {
    expect(() => new TfidfVectorizer().transform(['x'])).toThrow(NotFittedError);
    const v = new TfidfVectorizer().fit(docs);
    const Y = v.transform(['zebra space']);
    expect(Array.from(Y.indices)).toEqual([v.indexOf('space')]);
    expect(Y.values[0]).toBeCloseTo(1, 12);
  });
  it('round-trips through an artifact', () => {
    const v = new TfidfVectorizer({ stopWords: 'english', ngramRange: [1, 2], sublinearTf: true }).fit(docs);
    const w = TfidfVectorizer.fromArtifact(v.toArtifact());
    const a = v.transform(['space rebels love']);
    const b = w.transform(['space rebels love']);
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  });
  it('validates options', () => {
    expect(() => new TfidfVectorizer({ maxFeatures: 0 })).toThrow(InvalidArgumentError);
    expect(() => new TfidfVectorizer({ minDf: 2.5 })).toThrow(InvalidArgumentError);
  });
});
