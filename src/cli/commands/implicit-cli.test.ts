import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedInteractions } from '../../recommenders/implicit/test-support.js';
import { runCli } from '../test-support/run-cli.js';

describe('reckon evaluate --task ranking / bought-together', () => {
  let dir = '';
  let csv = '';
  let baskets = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reckon-implicit-cli-'));
    const x = plantedInteractions({ users: 80, items: 40, perUser: 10 });
    const lines = ['userId,itemId,rating,timestamp'];
    for (let u = 0; u < x.nUsers; u++) {
      for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) lines.push(`${x.users.idAt(u)},${x.items.idAt(x.indices[k]!)},${x.values[k]},${x.timestamps![k]}`);
    }
    csv = join(dir, 'ratings.csv');
    await writeFile(csv, lines.join('\n') + '\n');
    baskets = join(dir, 'baskets.csv');
    await writeFile(baskets, 'milk,bread\nmilk,bread,butter\nbeer,chips\nmilk,cereal\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluate --task ranking --json prints metric keys for a protocol', async () => {
    const out = await runCli(['evaluate', '--task', 'ranking', '--data', csv, '--format', 'csv', '--algo', 'ease', '--set', 'regularization=10', '--protocol', 'msr-stratified-75', '-k', '5', '--seed', '3', '--json']);
    const r = JSON.parse(out) as Record<string, unknown> & { metrics: Record<string, number> };
    expect(r['protocol']).toBe('msr-stratified-75');
    expect(r['k']).toBe(5);
    for (const key of ['ndcg@5', 'precision@5', 'recall@5', 'map@5', 'mrr@5', 'hit@5']) {
      expect(typeof r[key]).toBe('number');
      expect(r[key]).toBe(r.metrics[key]);
    }
    expect(r.metrics['ndcg@5']!).toBeGreaterThan(0);
    expect(Object.keys(r).some((key) => key.startsWith('sampled'))).toBe(false);
  });

  it('sampled metrics appear only when asked, labelled', async () => {
    const out = await runCli(['evaluate', '--task', 'ranking', '--data', csv, '--format', 'csv', '--algo', 'item-knn', '--sampled-negatives', '20', '--json']);
    const r = JSON.parse(out) as Record<string, number>;
    expect(r['sampled20-ndcg@10']!).toBeGreaterThanOrEqual(r['ndcg@10']!);
    expect(r['sampledNegatives']).toBe(20);
  });

  it('evaluate --task ranking prints a table and rejects rating-only algorithms', async () => {
    const out = await runCli(['evaluate', '--task', 'ranking', '--data', csv, '--format', 'csv', '--algo', 'popular', '--protocol', 'leave-last-1']);
    expect(out).toMatch(/ndcg@10\s+0\.\d+/);
    await expect(runCli(['evaluate', '--task', 'ranking', '--data', csv, '--format', 'csv', '--algo', 'svd'])).rejects.toThrow(/unknown algorithm "svd" for task ranking/);
  });

  it('bought-together prints counts and lift; --json has the documented shape', async () => {
    const out = await runCli(['bought-together', '--baskets', baskets, '--item', 'milk', '-k', '2', '--sort', 'count', '--json']);
    const r = JSON.parse(out) as { baskets: number; results: { item: string; baskets: number; together: { id: string; count: number; lift: number }[] }[] };
    expect(r.baskets).toBe(4);
    expect(r.results[0]!.item).toBe('milk');
    expect(r.results[0]!.baskets).toBe(3);
    expect(r.results[0]!.together[0]).toMatchObject({ id: 'bread', count: 2 });
    expect(r.results[0]!.together[0]!.lift).toBeCloseTo((2 * 4) / (3 * 2), 12);
    const table = await runCli(['bought-together', '--baskets', baskets, '--item', 'nothing']);
    expect(table).toMatch(/unknown item/);
    await expect(runCli(['bought-together', '--baskets', baskets, '--sort', 'price'])).rejects.toThrow(/--sort/);
  });
});
