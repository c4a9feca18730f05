import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError, SchemaError } from '../core/errors.js';
import { readCatalog } from './catalog-file.js';
import { csrRowDense } from './csr.js';
import { ItemProfiler, type ItemCatalog } from './profiles.js';

const catalog: ItemCatalog = {
  ids: ['a', 'b', 'c'],
  text: { plot: ['space robots', 'space love', ''] },
  categorical: { genres: ['Sci-Fi|Action', ['Romance'], null] },
  numeric: { year: Float64Array.of(2000, 2010, NaN) },
};

describe('ItemProfiler', () => {
  it('stacks weighted blocks and normalises rows', () => {
    const p = new ItemProfiler({ fieldWeights: { year: 0 } });
    const X = p.fit(catalog);
    expect(X.rows).toBe(3);
    expect(p.featureLabels).toEqual(['love', 'robots', 'space', 'genres: Action', 'genres: Romance', 'genres: Sci-Fi', 'year']);
    for (const r of [0, 1]) {
      const d = csrRowDense(X, r);
      expect(Math.abs(d.reduce((s, x) => s + x * x, 0) - 1)).toBeLessThan(1e-12);
    }
    // text and categorical blocks weigh the same (both unit before weighting): item a's 2 genres share half the norm
    const a = csrRowDense(X, 0);
    expect(a[3]! ** 2 + a[5]! ** 2).toBeCloseTo(0.5, 12);
    expect(X.indptr[3]! - X.indptr[2]!).toBe(0); // empty item: empty row
  });

  it('scales numbers to [0, 1] and hashes categories on request', () => {
    const p = new ItemProfiler({ textWeight: 0, categoricalWeight: 0, numericWeight: 1 });
    const X = p.fit(catalog);
    expect(csrRowDense(X, 1)[X.cols - 1]).toBeCloseTo(1, 12);
    expect(X.indptr[1]! - X.indptr[0]!).toBe(0); // year 2000 is the minimum: 0, not stored
    const h = new ItemProfiler({ encoding: 'hashed', hashBuckets: 8 });
    const Y = h.fit(catalog);
    expect(h.featureLabels.filter((l) => l.startsWith('genres#')).length).toBe(8);
    expect(Y.cols).toBe(3 + 8 + 1);
  });

  it('transforms new items and round-trips through JSON', () => {
    const p = new ItemProfiler();
    p.fit(catalog);
    const q = ItemProfiler.fromJSON(JSON.parse(JSON.stringify(p.toJSON())) as Record<string, unknown>);
    const item: ItemCatalog = { ids: ['n'], text: { plot: ['robots in space'] }, categorical: { genres: ['Action|Unknown'] }, numeric: { year: [2005] } };
    const A = p.transform(item);
    const B = q.transform(item);
    expect(Array.from(B.indices)).toEqual(Array.from(A.indices));
    for (let k = 0; k < A.values.length; k++) expect(B.values[k]).toBeCloseTo(A.values[k]!, 12);
  });

  it('rejects mismatched field lengths and bad weights', () => {
    expect(() => new ItemProfiler().fit({ ids: ['a'], text: { plot: ['x', 'y'] } })).toThrow(SchemaError);
    expect(() => new ItemProfiler({ textWeight: -1 })).toThrow(/textWeight/);
    expect(() => new ItemProfiler().fit({ ids: ['a'] })).toThrow(/no text, categorical or numeric field/);
  });
});

describe('readCatalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-catalog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads quoted fields with embedded newlines, CRLF and a BOM', async () => {
    const f = join(dir, 'c.csv');
    writeFileSync(f, '\ufeffid,title,plot,genres,year\r\n1,"A, film","line one\nline ""two""",Drama|War,1999\r\n2,B,,Comedy,\r\n');
    const c = await readCatalog(f, { idColumn: 'id', titleColumn: 'title', textColumns: ['plot'], categoricalColumns: ['genres'], numericColumns: ['year'] });
    expect(c.ids).toEqual(['1', '2']);
    expect(c.titles).toEqual(['A, film', 'B']);
    expect(c.text!['plot']).toEqual(['line one\nline "two"', '']);
    expect(Number.isNaN(c.numeric!['year']![1]!)).toBe(true);
  });
  it('names the file, line and problem for duplicate ids and missing columns', async () => {
    const f = join(dir, 'd.csv');
    writeFileSync(f, 'id,plot\n1,x\n1,y\n');
    await expect(readCatalog(f, { idColumn: 'id', textColumns: ['plot'] })).rejects.toThrow(ParseError);
    await expect(readCatalog(f, { idColumn: 'id', textColumns: ['plot'] })).rejects.toThrow(/:3: duplicate item id "1" \(first on line 2\)/);
    await expect(readCatalog(f, { idColumn: 'key', textColumns: ['plot'] })).rejects.toThrow(/no id column "key"; columns are: id, plot/);
  });
});
