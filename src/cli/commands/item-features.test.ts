import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import '../../recommenders/content/registry.js';
import { runRankingEvaluation } from './evaluate-ranking.js';

/** A small ml-100k-shaped folder: 20 films in two genres, 60 users who each like one genre. */
const dir = mkdtempSync(join(tmpdir(), 'reckon-mlfeat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const items: string[] = [];
for (let i = 1; i <= 20; i++) {
  const flags = new Array<number>(19).fill(0);
  flags[i % 2 === 0 ? 1 : 8] = 1; // Action or Drama
  items.push(`${i}|Film ${i % 2 === 0 ? 'Explosion' : 'Tears'} ${i} (199${i % 10})|01-Jan-1995||http://x|${flags.join('|')}`);
}
writeFileSync(join(dir, 'u.item'), items.join('\n') + '\n');
copyFileSync(new URL('../../data/fixtures/ml-100k/u.genre', import.meta.url), join(dir, 'u.genre'));
const rng = new Rng(1);
const lines: string[] = [];
for (let u = 1; u <= 60; u++) {
  for (let i = 1; i <= 20; i++) if (i % 2 === u % 2 && rng.uniform() < 0.6) lines.push(`${u}\t${i}\t${4 + rng.int(2)}\t${880000000 + i}`);
}
writeFileSync(join(dir, 'u.data'), lines.join('\n') + '\n');

describe('item metadata for reckon evaluate (ranking)', () => {
  for (const algo of ['content', 'hybrid', 'lightfm']) {
    it(`${algo}: a MovieLens folder supplies titles, genres and years`, async () => {
      const set = algo === 'lightfm' ? ['epochs=10', 'factors=8'] : algo === 'hybrid' ? ['validationRounds=1'] : [];
      const r = await runRankingEvaluation({ data: dir, format: 'ml-100k', algo, set, seed: '3', protocol: 'msr-random-75', k: '5' });
      // users like one genre only (~1.5 test items among ~14 unseen): ranking that genre first gives precision@5
      // near 0.3, chance about 0.1
      expect(r.metrics['precision@5']).toBeGreaterThan(0.2);
      expect(r.metrics['users']).toBeGreaterThan(0);
    });
  }

  it('a model that needs metadata without a source is a clear error', async () => {
    const csv = join(dir, 'r.csv');
    writeFileSync(csv, 'user,item,rating\n1,1,5\n2,2,4\n1,3,4\n');
    await expect(runRankingEvaluation({ data: csv, format: 'csv', algo: 'content', set: [], seed: '1', protocol: 'msr-random-75' })).rejects.toThrow(SchemaError);
  });
});
