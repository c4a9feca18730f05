import { afterAll, describe, expect, it } from 'vitest';
import { EmptyInputError, ParseError, SchemaError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { readInteractionsCsv } from './ratings.js';
import type { ReadReport } from './report.js';
import { tempFiles } from './test-support/files.js';

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

describe('readInteractionsCsv fast path', () => {
  it('gives the same result as the general scanner on awkward records', async () => {
    const text = [
      'user,item,rating,timestamp,extra',
      '1,2,3.5,100,x',
      '01,2,1e0,101,y', // leading zero id -> string id "01"; exponent value
      '-3,4,+2,102,', // signed id is a string; plus sign value
      '5,6, 4 ,103,"q,z"', // spaces around a number; quoted extra with a comma
      '5,7,-1.25,1.5e2,z\r', // negative value, exponent timestamp, CR line end
      '8,9,2,104,w\r\n',
      '9,10,123456789012345678,105,long', // more than 15 digits: general parse
      '1000000000,11,1,106,big-id', // 10 digits: string id
    ].join('\n');
    const p = tmp.write('awk.csv', text);
    for (const windowBytes of [16, 1 << 20]) {
      const a = await readInteractionsCsv(p, { windowBytes });
      const b = await readInteractionsCsv(p, { windowBytes, fastPath: false });
      expect(a.users.list).toEqual(b.users.list);
      expect(a.users.list).toEqual(['1', '01', '-3', '5', '8', '9', '1000000000']);
      expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
      expect(Array.from(a.timestamps!)).toEqual(Array.from(b.timestamps!));
    }
    const r = await readInteractionsCsv(p);
    expect(r.get(r.users.indexOf('5'), r.items.indexOf('7'))).toBe(-1.25);
    expect(r.timestamps![r.indptr[r.users.indexOf('5')]! + 1]).toBe(150);
  });

  it('reports bad rows at the right line when fast and general records mix', async () => {
    const p = tmp.write('mix.csv', 'user,item,rating\n1,2,3\n"a",2,3\n4,5,6\n7,8,x\n');
    await expect(readInteractionsCsv(p)).rejects.toThrow(`${p}:5:3: value is not a number: "x"`);
  });
});

describe('readInteractionsCsv on worker threads', () => {
  function ratingsText(rows: number, seed: number, quoted: boolean): string {
    const rng = new Rng(seed);
    const lines = ['userId,movieId,rating,timestamp'];
    for (let k = 0; k < rows; k++) {
      // some string ids (not canonical integers) in both halves, to merge string and integer id lists
      const u = quoted && k === rows - 3 ? '"q,1"' : rng.uniform() < 0.1 ? `s${rng.int(40)}` : String(rng.int(300));
      lines.push(`${u},${rng.int(200)},${(rng.int(10) + 1) / 2},${1000 + k}`);
    }
    return lines.join('\n') + '\n';
  }

  it('splits the file at a line end and gives exactly the sequential result', async () => {
    const p = tmp.write('par.csv', ratingsText(5000, 5, false));
    const seq = await readInteractionsCsv(p, { workers: 1 });
    const par = await readInteractionsCsv(p, { workers: 2, parallelMinBytes: 0 });
    expect(par.users.list).toEqual(seq.users.list);
    expect(par.items.list).toEqual(seq.items.list);
    expect(Array.from(par.indptr)).toEqual(Array.from(seq.indptr));
    expect(Array.from(par.indices)).toEqual(Array.from(seq.indices));
    expect(Array.from(par.values)).toEqual(Array.from(seq.values));
    expect(Array.from(par.timestamps!)).toEqual(Array.from(seq.timestamps!));
  });

  it('falls back to one thread when a quote appears after the split', async () => {
    const p = tmp.write('parq.csv', ratingsText(3000, 6, true));
    const seq = await readInteractionsCsv(p, { workers: 1 });
    const par = await readInteractionsCsv(p, { workers: 2, parallelMinBytes: 0 });
    expect(par.users.list).toEqual(seq.users.list);
    expect(par.users.list).toContain('q,1');
    expect(Array.from(par.indices)).toEqual(Array.from(seq.indices));
  });

  it('reports bad rows of the second part at their absolute line', async () => {
    const text = ratingsText(4000, 7, false).split('\n');
    text[3500] = '1,2,bad,5';
    text[10] = '1,2';
    const p = tmp.write('parbad.csv', text.join('\n'));
    await expect(readInteractionsCsv(p, { workers: 2, parallelMinBytes: 0 })).rejects.toThrow(`${p}:11: expected 4 fields, got 2`);
    let rep: ReadReport | undefined;
    const r = await readInteractionsCsv(p, { workers: 2, parallelMinBytes: 0, onBadLines: 'skip', onReport: (x) => (rep = x) });
    expect(rep!.badLines).toBe(2);
    expect(rep!.samples.map((s) => s.line)).toEqual([11, 3501]);
    expect(r.nnz).toBeGreaterThan(0);
    const only2 = text.slice();
    only2[10] = '1,2,3,4';
    const q = tmp.write('parbad2.csv', only2.join('\n'));
    await expect(readInteractionsCsv(q, { workers: 2, parallelMinBytes: 0 })).rejects.toThrow(`${q}:3501:3: value is not a number: "bad"`);
  });
});

describe('readInteractionsCsv progress and abort', () => {
  it('reports progress in bytes and stops on an aborted signal', async () => {
    const lines = ['u,i,r'];
    for (let k = 0; k < 2000; k++) lines.push(`${k % 50},${k % 70},1`);
    const p = tmp.write('prog.csv', lines.join('\n'));
    const seen: number[] = [];
    await readInteractionsCsv(p, { windowBytes: 1024, onProgress: (e) => seen.push(e.done) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toBeGreaterThan(0);
    const ac = new AbortController();
    ac.abort();
    await expect(readInteractionsCsv(p, { windowBytes: 1024, signal: ac.signal })).rejects.toThrow(/aborted/);
  });
});
