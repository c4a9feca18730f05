import { afterAll, describe, expect, it } from 'vitest';
import { EmptyInputError, ParseError, SchemaError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { concatFrames, readCsv, readCsvChunks } from './csv.js';
import type { Frame } from './frame.js';
import type { ReadReport } from './report.js';
import { tempFiles } from './test-support/files.js';

const tmp = tempFiles();
afterAll(() => tmp.cleanup());

async function collect(path: string, opts: Parameters<typeof readCsvChunks>[1]): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of readCsvChunks(path, opts)) out.push(f);
  return out;
}

describe('readCsv', () => {
  it('follows RFC 4180: quoted delimiters, doubled quotes, newlines inside quotes, CRLF, BOM', async () => {
    const p = tmp.write('rfc.csv', '\ufeffid,name,score\r\n1,"Smith, J",3.5\r\n2,"say ""hi""",\r\n3,"two\r\nlines",-1e3\r\n');
    const f = await readCsv(p);
    expect(f.names).toEqual(['id', 'name', 'score']);
    expect(f.nRows).toBe(3);
    expect(f.column('id').kind).toBe('numeric');
    expect(f.strings('name')).toEqual(['Smith, J', 'say "hi"', 'two\r\nlines']);
    expect(Array.from(f.numeric('score').values)).toEqual([3.5, NaN, -1000]);
  });

  it('infers types: numeric when every non-empty value parses, else categorical; empty is missing', async () => {
    const p = tmp.write('types.csv', 'a,b,c,d\n1,x,007,\n2.5,,8,\n,y,z,\n');
    const f = await readCsv(p);
    expect(f.column('a').kind).toBe('numeric');
    expect(Array.from(f.numeric('a').values)).toEqual([1, 2.5, NaN]);
    expect(f.strings('b')).toEqual(['x', null, 'y']);
    expect(f.strings('c')).toEqual(['007', '8', 'z']); // text kept exactly when a column is categorical
    expect(f.column('d').kind).toBe('numeric');
  });

  it('honours explicit types and reports a non-numeric value with file:line:column and the text', async () => {
    const p = tmp.write('expl.csv', 'zip,amount\n01234,10\n02134,ten\n');
    const f = await readCsv(tmp.write('zip.csv', 'zip,amount\n01234,10\n'), { types: { zip: 'categorical' } });
    expect(f.strings('zip')).toEqual(['01234']);
    await expect(readCsv(p, { types: { amount: 'numeric' } })).rejects.toThrow(ParseError);
    await expect(readCsv(p, { types: { amount: 'numeric' } })).rejects.toThrow(`${p}:3:2: column "amount" is numeric but the value is not a number: "ten"`);
    let rep: ReadReport | undefined;
    const g = await readCsv(p, { types: { amount: 'numeric' }, onBadLines: 'skip', onReport: (r) => (rep = r) });
    expect(g.nRows).toBe(1);
    expect(rep).toMatchObject({ rows: 1, badLines: 1 });
  });

  it('refuses NaN/Infinity in a column that must be finite, and keeps them elsewhere', async () => {
    const p = tmp.write('nan.csv', 'x,y\n1,NaN\n2,Infinity\n3,4\n');
    const f = await readCsv(p);
    expect(Array.from(f.numeric('y').values)).toEqual([NaN, Infinity, 4]);
    await expect(readCsv(p, { requireFinite: ['y'] })).rejects.toThrow(`${p}:2:2: column "y" must be a finite number: "NaN"`);
  });

  it('reads without a header, with names, other delimiters and latin-1', async () => {
    const p = tmp.write('l1.txt', Buffer.from('1|Caf\xe9\n2|Na\xefve\n', 'latin1'));
    const f = await readCsv(p, { delimiter: '|', header: false, encoding: 'latin1' });
    expect(f.names).toEqual(['col1', 'col2']);
    expect(f.strings('col2')).toEqual(['Café', 'Naïve']);
    const g = await readCsv(tmp.write('dc.txt', '1::2\n'), { delimiter: '::', header: false, names: ['u', 'v'] });
    expect(Array.from(g.numeric('v').values)).toEqual([2]);
    const t = await readCsv(tmp.write('t.tsv', 'a\tb\n"x\ty"\t2\n'), { delimiter: '\t' });
    expect(t.strings('a')).toEqual(['x\ty']);
  });

  it('empty file, header only, duplicate headers', async () => {
    await expect(readCsv(tmp.write('e.csv', ''))).rejects.toThrow(EmptyInputError);
    await expect(readCsv(tmp.write('e2.csv', '\n\n'))).rejects.toThrow(EmptyInputError);
    await expect(readCsv(tmp.write('h.csv', 'a,b\n'))).rejects.toThrow(/has a header but no data rows/);
    await expect(readCsv(tmp.write('d.csv', 'a,b,a\n1,2,3\n'))).rejects.toThrow(/duplicate header "a" in columns 1 and 3/);
  });

  it('wrong delimiter: a declared column missing names the likely delimiter', async () => {
    const p = tmp.write('semi.csv', 'user;item;rating\n1;2;3\n');
    const e = await readCsv(p, { columns: ['user', 'item'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SchemaError);
    expect((e as Error).message).toContain('no column "user"');
    expect((e as Error).message).toContain('looks ";"-separated');
  });

  it('ragged rows: error with file:line and the counts; skip/warn count them', async () => {
    const p = tmp.write('rag.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    await expect(readCsv(p)).rejects.toThrow(`${p}:3: expected 3 fields, got 2: "4,5"`);
    const warnings: string[] = [];
    let rep: ReadReport | undefined;
    const f = await readCsv(p, { onBadLines: 'warn', onWarning: (m) => warnings.push(m), onReport: (r) => (rep = r) });
    expect(Array.from(f.numeric('a').values)).toEqual([1, 10]);
    expect(rep).toMatchObject({ rows: 2, badLines: 2 });
    expect(warnings.map((w) => w.includes('row skipped'))).toEqual([true, true]);
  });

  it('unterminated quote is a bad row', async () => {
    await expect(readCsv(tmp.write('uq.csv', 'a,b\n1,"open\n'))).rejects.toThrow(/:2: unterminated quoted field/);
  });
});

describe('readCsvChunks', () => {
  it('streams in chunks of N rows with a tiny window and gives the same rows as one read', async () => {
    const rng = new Rng(3);
    const lines = ['id,word,val'];
    for (let k = 0; k < 2000; k++) {
      const w = rng.uniform() < 0.2 ? `"w, ${rng.int(30)}\n"` : `w${rng.int(30)}`;
      lines.push(`${k},${w},${rng.int(1000) / 10}`);
    }
    const p = tmp.write('big.csv', lines.join('\n') + '\n');
    const whole = await readCsv(p);
    const chunks = await collect(p, { chunkRows: 300, windowBytes: 128 });
    expect(chunks.map((c) => c.nRows)).toEqual([300, 300, 300, 300, 300, 300, 200]);
    const joined = concatFrames(chunks);
    expect(Array.from(joined.numeric('id').values)).toEqual(Array.from(whole.numeric('id').values));
    expect(Array.from(joined.numeric('val').values)).toEqual(Array.from(whole.numeric('val').values));
    expect(joined.strings('word')).toEqual(whole.strings('word'));
    // one shared dictionary: codes comparable across chunks
    expect(chunks[0]!.categorical('word').dictionary).toBe(chunks[6]!.categorical('word').dictionary);
  });

  it('fixes types from the first chunk; a later misfit is a bad row', async () => {
    const p = tmp.write('drift.csv', 'a\n1\n2\nx\n3\n');
    await expect(collect(p, { chunkRows: 2 })).rejects.toThrow(`${p}:4:1: column "a" is numeric but the value is not a number: "x"`);
    const chunks = await collect(p, { chunkRows: 2, onBadLines: 'skip' });
    expect(chunks.map((c) => Array.from(c.numeric('a').values))).toEqual([[1, 2], [3]]);
  });
});
