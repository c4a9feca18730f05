import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smallRatings } from '../../recommenders/explicit/test-support/conformance.js';
import { buildProgram } from '../main.js';

async function run(args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err };
}

const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].filter((m) => m[0].includes('<path')).length;

describe('reckon evaluate --report / reckon report', () => {
  let dir = '';
  let csv = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reckon-report-'));
    const x = smallRatings(4, 40, 25, 0.4);
    const lines = ['userId,itemId,rating'];
    for (let u = 0; u < x.nUsers; u++) for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) lines.push(`${x.users.idAt(u)},${x.items.idAt(x.indices[k]!)},${x.values[k]}`);
    csv = join(dir, 'ratings.csv');
    await writeFile(csv, lines.join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one self-contained report comparing two algorithms, and --json lines stay on stdout', async () => {
    const file = join(dir, 'r.html');
    const { out, err } = await run(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'baseline,svd', '--set', 'epochs=3', '--cv', '3', '--json', '--report', file]);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { algo: string });
    expect(lines.map((l) => l.algo)).toEqual(['baseline', 'svd']);
    expect(err).toContain(`report written to ${file}`);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('Model comparison');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // comparison 2 + per-fold 2 + timing 1 + svd's training RMSE per epoch (one line per fold)
    expect(svgs(html)).toBe(6);
    expect(html).toContain('Learning curves');
    for (let f = 1; f <= 3; f++) expect(html).toContain(`svd fold ${f}`);
    const svdLine = JSON.parse(out.trim().split('\n')[1]!) as { curves?: { epochs: number[] }[] };
    expect(svdLine.curves?.map((c) => c.epochs)).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    await writeFile(join(dir, 'runs.jsonl'), out);
    const out2 = join(dir, 'c.html');
    await run(['report', '--from', join(dir, 'runs.jsonl'), '--out', out2]);
    // the curves travel in the --json lines, so the rebuilt report has them too
    expect(svgs(await readFile(out2, 'utf8'))).toBe(6);
  });

  it('evaluate --task ranking --report: metric bars, popularity distribution, coverage for each algorithm', async () => {
    const file = join(dir, 'rank.html');
    const { out } = await run(['evaluate', '--task', 'ranking', '--data', csv, '--format', 'csv', '--algo', 'popular,item-knn', '--json', '--report', file]);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { algo: string; metrics: Record<string, number> });
    expect(lines.map((l) => l.algo)).toEqual(['popular', 'item-knn']);
    expect(Object.keys(lines[0]!.metrics)).toContain('ndcg@10');
    const html = await readFile(file, 'utf8');
    expect(html).toContain('popular: popularity of recommendations and catalog coverage');
    expect(html).toContain('item-knn: popularity of recommendations and catalog coverage');
    // comparison (one chart per metric) + per algo: metric bars, popularity bars, Lorenz
    const metrics = Object.keys(lines[0]!.metrics).filter((m) => m !== 'users').length;
    expect(svgs(html)).toBe(metrics + 2 * 3);
  });

  it('names the file and line of a bad results file', async () => {
    await writeFile(join(dir, 'bad.jsonl'), '{"algo":"x"}\nnot json\n');
    await expect(run(['report', '--from', join(dir, 'bad.jsonl'), '--out', join(dir, 'x.html')])).rejects.toThrow(/bad.jsonl line 2: not JSON/);
  });
});
