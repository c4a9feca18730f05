import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { TfidfVectorizer } from '../tfidf.js';
import { cosineTopKParallel } from './parallel.js';
import { SimilarityIndex, allTopKReference } from './similarity.js';

const docs = JSON.parse(readFileSync(new URL('../fixtures/corpus.json', import.meta.url), 'utf8')) as string[];

describe('SimilarityIndex', () => {
  const X = new TfidfVectorizer({ stopWords: 'english' }).fitTransform(docs);
  const ref = allTopKReference(X, 5);

  it('allTopK equals the dense reference (scores to 1e-6, each listed neighbour has that cosine)', async () => {
    const index = new SimilarityIndex(X);
    for (const blockRows of [1, 7, 2048]) {
      const nb = await index.allTopK(5, { blockRows });
      for (let i = 0; i < X.rows; i++) {
        const want = ref.scores[i]!;
        for (let m = 0; m < 5; m++) {
          const got = nb.scores[i * 5 + m]!;
          if (m >= want.length) {
            expect(nb.indices[i * 5 + m]).toBe(-1);
            expect(Number.isNaN(got)).toBe(true);
            continue;
          }
          expect(Math.abs(got - want[m]!)).toBeLessThan(1e-6);
          const j = nb.indices[i * 5 + m]!;
          expect(j).not.toBe(i);
          expect(Math.abs(index.cosine(i, j) - got)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('rows with no terms (empty, stop words only) have no neighbours', async () => {
    const nb = await cosineTopKParallel(X, 3);
    expect(Array.from(nb.indices.subarray(5 * 3, 5 * 3 + 3))).toEqual([-1, -1, -1]);
    expect(Array.from(nb.indices.subarray(6 * 3, 6 * 3 + 3))).toEqual([-1, -1, -1]);
  });

  it('query() ranks a new text against the catalog, neighboursOf() equals allTopK', async () => {
    const v = new TfidfVectorizer({ stopWords: 'english' });
    const Y = v.fitTransform(docs);
    const index = new SimilarityIndex(Y);
    const q = v.transform(['hackers and machines in a cyberpunk dystopia']);
    const top = index.query(q.indices, q.values, 3);
    expect(top.indices[0]).toBe(2); // "A cyberpunk dystopia where hackers ..."
    const all = await index.allTopK(4);
    const one = index.neighboursOf(0, 4);
    for (let m = 0; m < one.indices.length; m++) expect(Math.abs(one.scores[m]! - all.scores[m]!)).toBeLessThan(1e-6);
  });

  it('gives the same neighbours on 2 worker threads as on this thread', async () => {
    const one = await cosineTopKParallel(X, 4, { threads: 1 });
    const two = await cosineTopKParallel(X, 4, { threads: 2, blockRows: 5 });
    expect(Array.from(two.indices)).toEqual(Array.from(one.indices));
    expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
  });

  it('rejects bad arguments', async () => {
    const index = new SimilarityIndex(X);
    await expect(index.allTopK(0)).rejects.toThrow(InvalidArgumentError);
    expect(() => index.neighboursOf(X.rows, 3)).toThrow(InvalidArgumentError);
    expect(() => index.query([X.cols], [1], 3)).toThrow(InvalidArgumentError);
  });
});
