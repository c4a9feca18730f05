import { afterAll, describe, expect, it } from 'vitest';
import { EmptyInputError, ParseError, SchemaError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { readInteractionsCsv } from './ratings.js';
import type { ReadReport } from './report.js';
import { tempFiles } from './test-helpers.js';

const tmp = tempFiles();
afterAll(() => tmp.cleanup());

describe('readInteractionsCsv', () => {
  it('reads header, BOM, CRLF, quoted ids and values', async () => {
    const p = tmp.write('a.csv', '\ufeffuserId,movieId,rating,timestamp\r\n"u,1",10,4.5,100\r\nu2,"10",3,200\r\n"u,1",20,"1.5",300\r\n');
    const r = await readInteractionsCsv(p);
    expect(r.users.list).toEqual(['u,1', 'u2']);
    expect(r.items.list).toEqual(['10', '20']);
    expect(r.get(0, 0)).toBe(4.5);
    expect(r.get(0, 1)).toBe(1.5);
    expect(Array.from(r.timestamps!)).toEqual([100, 300, 200]);
  });

  it('keeps "007" and "7" as different ids, and mixes integer and string ids in first-seen order', async () => {
    const p = tmp.write('ids.csv', 'user,item,rating\n7,a,1\n007,a,2\nx,b,3\n7,b,4\n');
    const r = await readInteractionsCsv(p);
    expect(r.users.list).toEqual(['7', '007', 'x']);
    expect(r.nnz).toBe(4);
  });

  it('reports a newline inside quotes correctly in later line numbers', async () => {
    const p = tmp.write('nl.csv', 'user,item,rating\n"multi\nline",i,1\nu,i,oops\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(`${p}:4:3: value is not a number: "oops"`);
  });

  it('rejects an empty file and a header-only file', async () => {
    await expect(readInteractionsCsv(tmp.write('empty.csv', ''))).rejects.toThrow(EmptyInputError);
    await expect(readInteractionsCsv(tmp.write('hdr.csv', 'userId,itemId,rating\n'))).rejects.toThrow(/has a header but no data rows/);
  });

  it('names the wrong delimiter', async () => {
    const p = tmp.write('semi.csv', 'userId;itemId;rating\n1;2;3\n');
    const e = await readInteractionsCsv(p).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SchemaError);
    expect((e as Error).message).toMatch(/no user column "userId"|looks ";"-separated/);
    await expect(readInteractionsCsv(p, { userColumn: 'userId' })).rejects.toThrow(/looks ";"-separated/);
    await expect(readInteractionsCsv(p, { header: false, userColumn: 0, itemColumn: 1 })).rejects.toThrow(/item column 1 is out of range; rows have 1 field/);
  });

  it('reports a non-numeric rating with file:line:column and the text', async () => {
    const p = tmp.write('bad.csv', 'userId,itemId,rating\n1,2,3\n1,3,four\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(ParseError);
    await expect(readInteractionsCsv(p)).rejects.toThrow(`${p}:3:3: value is not a number: "four"`);
  });

  it('refuses NaN and Infinity where a finite number is required', async () => {
    const p = tmp.write('nan.csv', 'userId,itemId,rating,timestamp\n1,2,NaN,5\n1,3,2,Infinity\n1,4,-inf,1\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(`${p}:2:3: value must be a finite number: "NaN"`);
    const reports: ReadReport[] = [];
    const r = await readInteractionsCsv(tmp.write('nan2.csv', 'userId,itemId,rating,timestamp\n1,2,NaN,5\n1,3,2,Infinity\n1,4,-inf,1\n1,5,2,3\n'), {
      onBadLines: 'skip',
      onReport: (x) => reports.push(x),
    });
    expect(r.nnz).toBe(1);
    expect(reports[0]!.badLines).toBe(3);
    expect(reports[0]!.samples.map((s) => [s.line, s.column, s.problem])).toEqual([
      [2, 3, 'value must be a finite number'],
      [3, 4, 'timestamp must be a finite number'],
      [4, 3, 'value must be a finite number'],
    ]);
  });

  it('refuses duplicate headers', async () => {
    const p = tmp.write('dup.csv', 'userId,itemId,userId\n1,2,3\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(/duplicate header "userId" in columns 1 and 3/);
  });

  it('ragged rows: error by default, counted under skip, warned under warn', async () => {
    const p = tmp.write('rag.csv', 'userId,itemId,rating\n1,2,3\n1,3\n2,2,5,9\n3,3,1\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(`${p}:3: expected 3 fields, got 2: "1,3"`);
    const warnings: string[] = [];
    let report: ReadReport | undefined;
    const r = await readInteractionsCsv(p, { onBadLines: 'warn', onWarning: (m) => warnings.push(m), onReport: (x) => (report = x) });
    expect(r.nnz).toBe(2);
    expect(report).toMatchObject({ rows: 2, badLines: 2 });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain(':4: expected 3 fields, got 4');
  });

  it('refuses an unterminated quote and an empty id', async () => {
    await expect(readInteractionsCsv(tmp.write('q.csv', 'userId,itemId,rating\n1,"2,3\n'))).rejects.toThrow(/unterminated quoted field/);
    await expect(readInteractionsCsv(tmp.write('e.csv', 'userId,itemId,rating\n,2,3\n'))).rejects.toThrow(/:2:1: empty user id/);
  });

  it('implicit data (no value column) counts rows; combine sum adds duplicates', async () => {
    const p = tmp.write('imp.tsv', 'u1\ti1\nu1\ti1\nu2\ti1\n');
    const r = await readInteractionsCsv(p, { delimiter: '\t', header: false, combine: 'sum' });
    expect(r.get(0, 0)).toBe(2);
    expect(r.get(1, 0)).toBe(1);
  });

  it('gives the same result with a tiny window (records across window edges) as the naive build', async () => {
    const rng = new Rng(7);
    const lines = ['user,item,rating,timestamp'];
    const us: string[] = [];
    const is: string[] = [];
    const vs: number[] = [];
    const ts: number[] = [];
    for (let k = 0; k < 3000; k++) {
      const u = rng.uniform() < 0.1 ? `"s ${rng.int(50)}"` : String(rng.int(400));
      const i = String(rng.int(300));
      const v = Math.round(rng.uniform() * 9 + 1) / 2;
      const t = 1_000_000 + k;
      lines.push(`${u},${i},${v},${t}`);
      us.push(u.startsWith('"') ? u.slice(1, -1) : u);
      is.push(i);
      vs.push(v);
      ts.push(t);
    }
    const p = tmp.write('rand.csv', lines.join('\n'));
    const naive = Interactions.fromRaw(us, is, vs, { timestamps: ts, combine: 'last' });
    for (const windowBytes of [64, 1000, 1 << 20]) {
      const r = await readInteractionsCsv(p, { windowBytes });
      expect(r.users.list).toEqual(naive.users.list);
      expect(r.items.list).toEqual(naive.items.list);
      expect(Array.from(r.indptr)).toEqual(Array.from(naive.indptr));
      expect(Array.from(r.indices)).toEqual(Array.from(naive.indices));
      expect(Array.from(r.values)).toEqual(Array.from(naive.values));
      expect(Array.from(r.timestamps!)).toEqual(Array.from(naive.timestamps!));
    }
  });
});
