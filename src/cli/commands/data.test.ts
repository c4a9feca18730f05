import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError, UnsupportedFormatError } from '../../core/errors.js';
import { closeDuckdb } from '../../data/duckdb.js';
import { readTable } from '../../data/read.js';
import { FIXTURES, tempFiles } from '../../data/test-support/files.js';
import { runCli } from '../test-support/run-cli.js';

const tmp = tempFiles();
afterAll(async () => {
  await closeDuckdb();
  tmp.cleanup();
});

describe('reckon data inspect', () => {
  it('reports rows, users, items and density for an ml-100k ratings file (--json)', async () => {
    const out = await runCli(['data', 'inspect', join(FIXTURES, 'ml-100k', 'u.data'), '--format', 'ml-100k', '--json']);
    const r = JSON.parse(out) as { rows: number; interactions: { users: number; items: number; pairs: number; density: number }; duplicateRows: number };
    expect(r.rows).toBe(5);
    expect(r.interactions).toMatchObject({ users: 3, items: 3, pairs: 5 });
    expect(r.interactions.density).toBeCloseTo(5 / 9, 12);
    expect(r.duplicateRows).toBe(0);
  });

  it('counts missing values and duplicate rows; detects user/item columns by name; human output', async () => {
    const p = tmp.write('d.csv', 'userId,itemId,rating\n1,a,5\n1,a,5\n2,,3\n2,b,\n');
    const r = JSON.parse(await runCli(['data', 'inspect', p, '--json'])) as { rows: number; duplicateRows: number; columns: { name: string; missing: number }[]; interactions: { users: number; items: number } };
    expect(r.rows).toBe(4);
    expect(r.duplicateRows).toBe(1);
    expect(r.columns.map((c) => c.missing)).toEqual([0, 1, 1]);
    expect(r.interactions).toMatchObject({ users: 2, items: 2 });
    const human = await runCli(['data', 'inspect', p]);
    expect(human).toContain('4 rows, 3 columns, 1 duplicate rows');
    expect(human).toContain('2 users, 2 items');
  });

  it('--user-column / --item-column pick the interaction columns (--user / --item still read as the older spelling)', async () => {
    const p = tmp.write('who.csv', 'buyer,product,qty\nx,p1,1\ny,p1,2\ny,p2,1\n');
    type R = { interactions: { userColumn: string; itemColumn: string; users: number; items: number } };
    const r = JSON.parse(await runCli(['data', 'inspect', p, '--user-column', 'buyer', '--item-column', 'product', '--json'])) as R;
    expect(r.interactions).toMatchObject({ userColumn: 'buyer', itemColumn: 'product', users: 2, items: 2 });
    expect((JSON.parse(await runCli(['data', 'inspect', p, '--user', 'buyer', '--item', 'product', '--json'])) as R).interactions).toEqual(r.interactions);
    await expect(runCli(['data', 'inspect', p, '--user-column', 'buyer'])).rejects.toThrow(/--user-column and --item-column go together/);
  });

  it('--on-bad-lines skip reports the count; the default refuses the bad row', async () => {
    const p = tmp.write('bad.csv', 'a,b\n1,2\n3\n4,5\n');
    await expect(runCli(['data', 'inspect', p, '--json'])).rejects.toThrow(ParseError);
    const r = JSON.parse(await runCli(['data', 'inspect', p, '--json', '--on-bad-lines', 'skip'])) as { rows: number; badLines: number };
    expect(r).toMatchObject({ rows: 2, badLines: 1 });
    await expect(runCli(['data', 'inspect', p, '--on-bad-lines', 'maybe'])).rejects.toThrow(/--on-bad-lines must be one of error, warn, skip/);
  });

  it('unknown formats are refused', async () => {
    await expect(runCli(['data', 'inspect', 'x.xlsx'])).rejects.toThrow(UnsupportedFormatError);
  });
});

describe('reckon data convert', () => {
  it('converts CSV -> Parquet -> JSONL keeping values', async () => {
    const src = tmp.write('in.csv', 'id,name,score\n1,"a, b",2.5\n2,,\n');
    const pq = join(tmp.dir, 'out.parquet');
    const jl = join(tmp.dir, 'out.jsonl');
    const msg = await runCli(['data', 'convert', src, pq]);
    expect(msg).toContain('wrote 2 rows x 3 columns');
    await runCli(['data', 'convert', pq, jl, '--json']);
    const f = await readTable(jl);
    expect(f.strings('name')).toEqual(['a, b', null]);
    expect(Array.from(f.numeric('score').values)).toEqual([2.5, NaN]);
  });
});

describe('reckon CLI process', () => {
  it('exits 1 with a one-line cause on bad input', () => {
    const p = tmp.write('nan.tsv', '1\t2\tNaN\t5\n');
    const main = join(import.meta.dirname, '..', 'main.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'data', 'inspect', p, '--format', 'ml-100k'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${p}:1:3: column "rating" must be a finite number: "NaN"`);
  });
});
