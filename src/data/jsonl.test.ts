import { afterAll, describe, expect, it } from 'vitest';
import { EmptyInputError, ParseError } from '../core/errors.js';
import { readJsonl } from './jsonl.js';
import type { ReadReport } from './report.js';
import { tempFiles } from './test-support/files.js';

const tmp = tempFiles();
afterAll(() => tmp.cleanup());

describe('readJsonl', () => {
  it('unions keys, infers types, keeps nested values as JSON text', async () => {
    const p = tmp.write('a.jsonl', '{"u":"a","n":1,"ok":true}\r\n\n{"u":"b","n":null,"tags":["x"]}\n{"n":2.5}');
    const f = await readJsonl(p);
    expect(f.names).toEqual(['u', 'n', 'ok', 'tags']);
    expect(f.strings('u')).toEqual(['a', 'b', null]);
    expect(Array.from(f.numeric('n').values)).toEqual([1, NaN, 2.5]);
    expect(Array.from(f.numeric('ok').values)).toEqual([1, NaN, NaN]);
    expect(f.strings('tags')).toEqual([null, '["x"]', null]);
  });

  it('a bad line reports file:line; skip counts it', async () => {
    const p = tmp.write('b.jsonl', '{"a":1}\n{"a":\n[1,2]\n{"a":3}\n');
    await expect(readJsonl(p)).rejects.toThrow(ParseError);
    await expect(readJsonl(p)).rejects.toThrow(new RegExp(`${p.replaceAll('/', '\\/')}:2: invalid JSON`));
    let rep: ReadReport | undefined;
    const f = await readJsonl(p, { onBadLines: 'skip', onReport: (r) => (rep = r) });
    expect(Array.from(f.numeric('a').values)).toEqual([1, 3]);
    expect(rep).toMatchObject({ rows: 2, badLines: 2 });
    expect(rep!.samples.map((s) => [s.line, s.problem])).toEqual([
      [2, expect.stringContaining('invalid JSON')],
      [3, 'expected a JSON object'],
    ]);
  });

  it('explicit numeric type: a non-number is a bad row at its line; non-finite refused when required', async () => {
    const p = tmp.write('c.jsonl', '{"r":1}\n{"r":"x"}\n');
    await expect(readJsonl(p, { types: { r: 'numeric' } })).rejects.toThrow(`${p}:2: key "r" is numeric but the value is not a number: "\\"x\\""`);
    const q = tmp.write('d.jsonl', '{"r":"NaN"}\n');
    await expect(readJsonl(q, { types: { r: 'numeric' }, requireFinite: ['r'] })).rejects.toThrow(/key "r" must be a finite number/);
  });

  it('empty file and missing declared column', async () => {
    await expect(readJsonl(tmp.write('e.jsonl', '\n'))).rejects.toThrow(EmptyInputError);
    await expect(readJsonl(tmp.write('f.jsonl', '{"a":1}\n'), { columns: ['b'] })).rejects.toThrow(/no column "b"/);
  });
});
