import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallRatings } from '../../recommenders/explicit/test-support/conformance.js';
import { runCli } from '../test-support/run-cli.js';

describe('reckon evaluate / train / recommend', () => {
  let dir = '';
  let csv = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reckon-cli-'));
    const x = smallRatings(2, 50, 30, 0.4);
    const lines = ['userId,itemId,rating'];
    for (let u = 0; u < x.nUsers; u++) for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) lines.push(`${x.users.idAt(u)},${x.items.idAt(x.indices[k]!)},${x.values[k]}`);
    csv = join(dir, 'ratings.csv');
    await writeFile(csv, lines.join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluate --json prints the documented shape', async () => {
    const out = await runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svd', '--set', 'epochs=5', '--set', 'factors=4', '--cv', '3', '--seed', '1', '--json']);
    const r = JSON.parse(out) as { algo: string; params: Record<string, unknown>; metrics: Record<string, { mean: number; std: number; folds: number[] }>; fitSeconds: { folds: number[] }; testSeconds: { mean: number } };
    expect(r.algo).toBe('svd');
    expect(r.params['epochs']).toBe(5);
    expect(Object.keys(r.metrics)).toEqual(['rmse', 'mae']);
    expect(r.metrics['rmse']!.folds).toHaveLength(3);
    expect(r.fitSeconds.folds).toHaveLength(3);
    expect(typeof r.testSeconds.mean).toBe('number');
  });

  it('evaluate reads the ml-100k format (tab-separated u.data in a folder)', async () => {
    const fixture = new URL('../../data/fixtures/ml-100k', import.meta.url).pathname;
    const r = JSON.parse(await runCli(['evaluate', '--data', fixture, '--format', 'ml-100k', '--algo', 'baseline', '--cv', '2', '--json'])) as { params: Record<string, unknown>; metrics: Record<string, { folds: number[] }> };
    expect(r.params['ratingMin']).toBe(1);
    expect(r.params['ratingMax']).toBe(5);
    expect(r.metrics['rmse']!.folds).toHaveLength(2);
  });

  it('evaluate prints a table by default', async () => {
    const out = await runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'baseline', '--cv', '3']);
    expect(out).toMatch(/RMSE\s+\d\.\d{4}/);
    expect(out).toMatch(/fold 3\s+mean\s+std/);
  });

  it('train --out then recommend --model gives k unseen items', async () => {
    const out = join(dir, 'model');
    await runCli(['train', '--data', csv, '--format', 'csv', '--algo', 'knn-baseline', '--out', out, '--json']);
    const rec = JSON.parse(await runCli(['recommend', '--model', out, '--user', 'u3', '-k', '5', '--json'])) as { items: { id: string; score: number }[]; knownUser: boolean };
    expect(rec.items).toHaveLength(5);
    expect(rec.knownUser).toBe(true);
    const table = await runCli(['recommend', '--model', out, '--user', 'nobody', '-k', '3']);
    expect(table).toMatch(/unknown user/);
  });

  it('bad input is a clear error naming the value and the choices', async () => {
    await expect(runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svdd'])).rejects.toThrow(/unknown algorithm "svdd".*expected one of: normal, baseline/);
    await expect(runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svd', '--set', 'factorz=3'])).rejects.toThrow(/unknown param "factorz"; expected one of: factors/);
    await expect(runCli(['evaluate', '--data', csv, '--format', 'parquet', '--algo', 'svd'])).rejects.toThrow(/unsupported format "parquet"; expected one of: ml-100k, ml-latest, ml-1m, csv/);
    await expect(runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svd', '--cv', '100000'])).rejects.toThrow(/--cv: expected an integer in \[2, \d+\], got "100000"/);
    await expect(runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svd', '--scale', '2,4'])).rejects.toThrow(/outside the declared rating scale \[2, 4\]/);
    await expect(runCli(['evaluate', '--data', csv, '--format', 'csv', '--algo', 'svd', '--task', 'clicks'])).rejects.toThrow(/unknown task "clicks"; expected one of: rating/);
  });
});

describe('reckon tune', () => {
  it('grid search prints the ranking and saves the refit best with --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reckon-tune-'));
    try {
      const x = smallRatings(8, 40, 25, 0.4);
      const lines = ['userId,itemId,rating'];
      for (let u = 0; u < x.nUsers; u++) for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) lines.push(`${x.users.idAt(u)},${x.items.idAt(x.indices[k]!)},${x.values[k]}`);
      const csv = join(dir, 'r.csv');
      await writeFile(csv, lines.join('\n') + '\n');
      const out = await runCli(['tune', '--data', csv, '--format', 'csv', '--algo', 'knn-means', '--grid', '{"k":[5,20],"similarity":["msd","pearson"]}', '--cv', '3', '--json', '--out', join(dir, 'best')]);
      const r = JSON.parse(out) as { candidates: { rank: number }[]; best: { params: Record<string, unknown>; score: number }; metric: string };
      expect(r.candidates).toHaveLength(4);
      expect(r.metric).toBe('rmse');
      const rec = JSON.parse(await runCli(['recommend', '--model', join(dir, 'best'), '--user', x.users.idAt(0), '-k', '3', '--json'])) as { algo: string; items: unknown[] };
      expect(rec.algo).toBe('knn-means');
      expect(rec.items).toHaveLength(3);
      await expect(runCli(['tune', '--data', csv, '--format', 'csv', '--algo', 'svd', '--grid', '{factors:[1]}'])).rejects.toThrow(/--grid: not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
