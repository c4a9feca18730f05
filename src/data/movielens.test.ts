import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReckonError, UnsupportedFormatError } from '../core/errors.js';
import { detectMovieLens, loadMovieLens, movieLensRatingsFile, ratingsRowOrder, readRatings, yearFromTitle, type MovieLensFormat } from './movielens.js';
import { FIXTURES } from './test-support/files.js';

describe('loadMovieLens', () => {
  it('reads ml-100k: ratings with timestamps, latin-1 titles, 19 genre flags', async () => {
    const d = await loadMovieLens(join(FIXTURES, 'ml-100k'), 'ml-100k');
    expect(d.ratings.nnz).toBe(5);
    expect(d.ratings.users.list).toEqual(['1', '2', '3']);
    expect(d.ratings.items.list).toEqual(['10', '20', '30']);
    const u2 = d.ratings.users.indexOf('2');
    expect(d.ratings.get(u2, d.ratings.items.indexOf('20'))).toBe(2);
    expect(d.ratings.timestamps).toBeDefined();
    expect(d.ratingScale).toEqual([1, 5]);
    expect(d.items).toEqual([
      { id: '10', title: 'Toy Story (1995)', year: 1995, genres: ['Animation', "Children's", 'Comedy'] },
      { id: '20', title: 'Café au lait (1993)', year: 1993, genres: ['Drama'] },
      { id: '30', title: 'Unknown film', year: 1997, genres: ['unknown'] },
    ]);
    expect(d.tags).toBeUndefined();
  });

  it('reads ml-latest: CRLF, quoted titles with commas and doubled quotes, tags, re-rating keeps the latest', async () => {
    const d = await loadMovieLens(join(FIXTURES, 'ml-latest'));
    expect(d.format).toBe('ml-latest');
    expect(d.ratings.nnz).toBe(4);
    const r = d.ratings;
    // user 1 rated movie 1 twice: 4.0 at 964982703, then 2.0 at 964990000 -> keeps 2.0 and the later time
    const u1 = r.users.indexOf('1');
    const m1 = r.items.indexOf('1');
    expect(r.get(u1, m1)).toBe(2);
    expect(r.get(r.users.indexOf('2'), m1)).toBe(0.5);
    expect(d.ratingScale).toEqual([0.5, 5]);
    expect(d.items.map((i) => i.title)).toEqual(['Toy Story (1995)', 'American President, The (1995)', 'Lucky Number "Slevin" (2006)', 'Amélie (2001)']);
    expect(d.items[2]!.genres).toEqual([]);
    expect(d.items[0]!.genres).toEqual(['Adventure', 'Animation', 'Children']);
    expect(d.items[3]!.year).toBe(2001);
    expect(d.tags).toEqual([
      { user: '2', item: '1', tag: 'funny', timestamp: 1445714994 },
      { user: '2', item: '3', tag: 'dark, twisty', timestamp: 1445714996 },
    ]);
  });

  it('reads the :: format of ml-1m', async () => {
    const d = await loadMovieLens(join(FIXTURES, 'ml-1m'), 'ml-1m');
    expect(d.ratings.nnz).toBe(3);
    expect(d.ratings.items.list).toEqual(['1193', '661']);
    expect(d.items[0]).toEqual({ id: '1193', title: "One Flew Over the Cuckoo's Nest (1975)", year: 1975, genres: ['Drama'] });
    expect(d.items[1]!.genres).toEqual(['Animation', "Children's", 'Musical']);
  });

  it('detects formats and refuses unknown ones and missing folders', async () => {
    expect(detectMovieLens(join(FIXTURES, 'ml-1m'))).toBe('ml-1m');
    expect(detectMovieLens(FIXTURES)).toBeUndefined();
    await expect(loadMovieLens(join(FIXTURES, 'ml-1m'), 'ml-25x' as MovieLensFormat)).rejects.toThrow(UnsupportedFormatError);
    await expect(loadMovieLens(FIXTURES)).rejects.toThrow(/not a MovieLens folder/);
    await expect(loadMovieLens(join(FIXTURES, 'ml-1m'), 'ml-100k')).rejects.toThrow(ReckonError);
  });

  it('readRatings reads one file', async () => {
    const r = await readRatings(join(FIXTURES, 'ml-100k', 'u.data'), { format: 'ml-100k' });
    expect(r.nUsers).toBe(3);
    expect(r.nItems).toBe(3);
    expect(Array.from(r.timestamps!)).toHaveLength(5);
  });

  it('ratingsRowOrder gives each stored entry its line in the file', async () => {
    const file = movieLensRatingsFile(join(FIXTURES, 'ml-100k'), 'ml-100k');
    const r = await readRatings(file, { format: 'ml-100k' });
    const order = await ratingsRowOrder(file, 'ml-100k', r);
    // lines: (1,10) (1,20) (2,10) (3,30) (2,20); storage: user 1: 10, 20; user 2: 10, 20; user 3: 30
    const byEntry: string[] = [];
    for (let u = 0; u < r.nUsers; u++) {
      for (let p = r.indptr[u]!; p < r.indptr[u + 1]!; p++) byEntry.push(`${r.users.idAt(u)}:${r.items.idAt(r.indices[p]!)}@${order[p]}`);
    }
    expect(byEntry).toEqual(['1:10@0', '1:20@1', '2:10@2', '2:20@4', '3:30@3']);
  });

  it('yearFromTitle', () => {
    expect(yearFromTitle('Toy Story (1995)')).toBe(1995);
    expect(yearFromTitle('Babylon 5 (1994-1998)')).toBe(1994);
    expect(yearFromTitle('No year')).toBeNull();
  });
});
