import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError, UnsupportedFormatError } from '../core/errors.js';
import { closeDuckdb } from './duckdb.js';
import { Frame, encodeStrings, numericColumn } from './frame.js';
import { detectFormat, frameToCsv, readTable, writeTable } from './read.js';
import { FIXTURES, tempFiles } from './test-support/files.js';

const tmp = tempFiles();
afterAll(async () => {
  await closeDuckdb();
  tmp.cleanup();
});

describe('readTable', () => {
  it('detects the format by extension and refuses unknown ones with the choices', () => {
    expect(detectFormat('a/b.CSV')).toBe('csv');
    expect(detectFormat('x.ndjson')).toBe('jsonl');
    expect(() => detectFormat('x.xlsx')).toThrow(UnsupportedFormatError);
    expect(() => detectFormat('x.xlsx')).toThrow(/unsupported format ".xlsx"; expected one of: .csv, .tsv/);
  });

  it('refuses an unknown --format', async () => {
    await expect(readTable('x.csv', { format: 'xls' as 'csv' })).rejects.toThrow(/unsupported format "xls"; expected one of: csv, tsv, jsonl, parquet, ml-100k, ml-latest, ml-1m/);
  });

  it('reads MovieLens ratings files as user, item, rating, timestamp', async () => {
    const a = await readTable(join(FIXTURES, 'ml-100k', 'u.data'), { format: 'ml-100k' });
    expect(a.names).toEqual(['user', 'item', 'rating', 'timestamp']);
    expect(a.strings('user')).toEqual(['1', '1', '2', '3', '2']);
    const b = await readTable(join(FIXTURES, 'ml-latest', 'ratings.csv'), { format: 'ml-latest' });
    expect(b.names).toEqual(['user', 'item', 'rating', 'timestamp']);
    expect(b.nRows).toBe(5);
    const c = await readTable(join(FIXTURES, 'ml-1m', 'ratings.dat'), { format: 'ml-1m' });
    expect(Array.from(c.numeric('rating').values)).toEqual([5, 3, 4]);
  });

  it('a non-numeric rating in an ml file is a parse error with file:line:column', async () => {
    const p = tmp.write('u.data', '1\t2\t5\t100\n1\t3\tfive\t101\n');
    await expect(readTable(p, { format: 'ml-100k' })).rejects.toThrow(ParseError);
    await expect(readTable(p, { format: 'ml-100k' })).rejects.toThrow(`${p}:2:3: column "rating" is numeric but the value is not a number: "five"`);
  });

  it('round-trips a Frame through CSV, TSV, JSONL and Parquet', async () => {
    const frame = new Frame([numericColumn('x', Float64Array.of(1, NaN, 2.25)), encodeStrings('s', ['a,b', null, 'say "hi"\nbye'])]);
    for (const ext of ['csv', 'tsv', 'jsonl', 'parquet']) {
      const p = join(tmp.dir, `rt.${ext}`);
      await writeTable(frame, p);
      const back = await readTable(p);
      expect(Array.from(back.numeric('x').values)).toEqual([1, NaN, 2.25]);
      expect(back.strings('s')).toEqual(['a,b', null, 'say "hi"\nbye']);
    }
    expect(frameToCsv(frame)).toBe('x,s\n1,"a,b"\n,\n2.25,"say ""hi""\nbye"\n');
  });
});
