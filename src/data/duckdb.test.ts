import { afterAll, describe, expect, it } from 'vitest';
import { ReckonError } from '../core/errors.js';
import { closeDuckdb, duckdbQuery, readCsvDuckdb, readParquet, writeParquet } from './duckdb.js';
import { Frame, encodeStrings, numericColumn } from './frame.js';
import { tempFiles } from './test-support/files.js';
import { join } from 'node:path';

const tmp = tempFiles();
afterAll(async () => {
  await closeDuckdb();
  tmp.cleanup();
});

describe('duckdb bridge', () => {
  it('returns query results as Frames: BIGINT as numbers, NULL as missing, parameters bound', async () => {
    const f = await duckdbQuery('SELECT range AS id, range * 2::BIGINT AS dbl, CASE WHEN range % 2 = 0 THEN NULL ELSE \'odd\' END AS tag FROM range(5) WHERE range < $1', [4]);
    expect(f.names).toEqual(['id', 'dbl', 'tag']);
    expect(Array.from(f.numeric('id').values)).toEqual([0, 1, 2, 3]);
    expect(Array.from(f.numeric('dbl').values)).toEqual([0, 2, 4, 6]);
    expect(f.strings('tag')).toEqual([null, 'odd', null, 'odd']);
  });

  it('streams results larger than one chunk', async () => {
    const f = await duckdbQuery('SELECT range::INTEGER AS x, (range % 7)::DECIMAL(10,2) / 4 AS d FROM range(10000)');
    expect(f.nRows).toBe(10000);
    expect(f.numeric('x').values[9999]).toBe(9999);
    expect(f.numeric('d').values[6]).toBeCloseTo(1.5, 12);
  });

  it('writes and reads Parquet (round trip, missing values kept)', async () => {
    const frame = new Frame([numericColumn('v', Float64Array.of(1.5, NaN, -3)), encodeStrings('s', ['a', null, 'c, "d"'])]);
    const p = join(tmp.dir, 'x.parquet');
    await writeParquet(frame, p);
    const back = await readParquet(p);
    expect(back.names).toEqual(['v', 's']);
    expect(Array.from(back.numeric('v').values)).toEqual([1.5, NaN, -3]);
    expect(back.strings('s')).toEqual(['a', null, 'c, "d"']);
  });

  it('reads CSV through read_csv and joins/group-bys in SQL', async () => {
    const a = tmp.write('a.csv', 'k,x\n1,10\n2,20\n2,5\n');
    const b = tmp.write('b.csv', 'k,name\n1,one\n2,two\n');
    expect((await readCsvDuckdb(a)).nRows).toBe(3);
    const f = await duckdbQuery('SELECT b.name, sum(a.x) AS total, count(*) AS n FROM read_csv($1) a JOIN read_csv($2) b USING (k) GROUP BY b.name ORDER BY b.name', [a, b]);
    expect(f.strings('name')).toEqual(['one', 'two']);
    expect(Array.from(f.numeric('total').values)).toEqual([10, 25]);
    expect(Array.from(f.numeric('n').values)).toEqual([1, 2]);
  });

  it('a bad query or missing file is a ReckonError naming the query', async () => {
    await expect(duckdbQuery('SELECT * FROM read_parquet($1)', [join(tmp.dir, 'nope.parquet')])).rejects.toThrow(ReckonError);
    await expect(duckdbQuery('SELEC 1')).rejects.toThrow(/DuckDB: .*query: SELEC 1/);
  });
});
