import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../../core/artifact.js';
import { SchemaError, UnknownIdError } from '../../core/errors.js';
import { getAlgorithm } from '../registry.js';
import { ContentRecommender } from './content.js';
import './registry.js';
import { CATALOG, ratings } from './test-fixture.js';

describe('ContentRecommender', () => {
  it('recommends by profile similarity, excludes seen items, and explains', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    const recs = m.recommend('u1', 3);
    expect(recs[0]!.id).toBe('m9'); // cold item (no interactions): cyberpunk, hacker, dystopian
    expect(recs.map((r) => r.id)).not.toContain('m1');
    expect(recs.map((r) => r.id)).not.toContain('m2');
    expect(recs[0]!.reason).toMatch(/^Because you watched (The Matrix|Blade Runner): /);
    expect(recs[0]!.reason).toContain('cyberpunk');
    for (let i = 1; i < recs.length; i++) expect(recs[i]!.score).toBeLessThanOrEqual(recs[i - 1]!.score);
  });

  it('weights by rating and by recency (halfLifeDays)', async () => {
    const plain = await new ContentRecommender({ centerRatings: true }).setItemFeatures(CATALOG).fit(ratings());
    // u4: low rating for Alien (sci-fi), high for Love Actually: romance first, sci-fi pushed down
    expect(plain.recommend('u4', 1)[0]!.id).toBe('m3');
    const decayed = await new ContentRecommender({ halfLifeDays: 1 }).setItemFeatures(CATALOG).fit(ratings());
    // u4's Alien rating is 200 days older than Love Actually: it has no weight left
    const st = decayed.state;
    const u = st.users.indexOf('u4');
    const w = decayed.historyWeights(u);
    const row = Array.from(st.hist.indices.subarray(st.hist.indptr[u]!, st.hist.indptr[u + 1]!));
    expect(w[row.indexOf(st.items.indexOf('m5'))]).toBeLessThan(1e-50);
    expect(w[row.indexOf(st.items.indexOf('m4'))]).toBeCloseTo(5, 12);
  });

  it('honours candidates and excludeSeen=false', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    expect(m.recommend('u1', 5, { candidates: ['m3', 'm5', 'zzz'] }).map((r) => r.id).sort()).toEqual(['m3', 'm5']);
    expect(m.recommend('u1', 1, { excludeSeen: false })[0]!.id).toMatch(/m1|m2/);
  });

  it('falls back to popular items for an unknown user', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    const r = m.recommend('nobody', 2);
    expect(r.length).toBe(2);
    expect(r[0]!.reason).toBe('popular');
  });

  it('similarItems lists neighbours with shared terms; unknown item ids are a clear error', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    const sim = m.similarItems('m1', 2);
    expect(sim[0]!.id).toBe('m9');
    expect(sim[0]!.reason).toContain('hacker');
    expect(() => m.similarItems('nope', 3)).toThrow(UnknownIdError);
    expect(() => m.similarItems('nope', 3)).toThrow(/unknown item id "nope"/);
  });

  it('similarToNew ranks a new item (not in the catalog) by its fields', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    const [top] = m.similarToNew({ ids: ['new'], text: { plot: ['Two lovers fall in love at Christmas'] }, categorical: { genres: ['Romance'] }, numeric: { year: [2001] } }, 2);
    expect(top!.map((r) => r.id).sort()).toEqual(['m3', 'm4']);
    expect(() => m.similarToNew({ ids: ['x'], text: {} }, 2)).toThrow(/lacks text field "plot"/);
  });

  it('needs item features before fit', async () => {
    await expect(new ContentRecommender().fit(ratings())).rejects.toThrow(SchemaError);
  });

  it('hashed categoricals work too', async () => {
    const m = await new ContentRecommender({ encoding: 'hashed', hashBuckets: 64, textWeight: 0 }).setItemFeatures(CATALOG).fit(ratings());
    expect(m.similarItems('m6', 1)[0]!.id).toBe('m7');
  });

  it('round-trips through saveArtifact/loadArtifact and the registry', async () => {
    const m = await new ContentRecommender({ halfLifeDays: 30 }).setItemFeatures(CATALOG).fit(ratings());
    const dir = mkdtempSync(join(tmpdir(), 'reckon-content-'));
    try {
      await saveArtifact(join(dir, 'm'), m.toArtifact());
      const back = getAlgorithm('content').fromArtifact(await loadArtifact(join(dir, 'm'), 'content'));
      expect(back.recommend('u2', 4)).toEqual(m.recommend('u2', 4));
      expect(back.similarItems!('m5', 3)).toEqual(m.similarItems('m5', 3));
      expect(back.getParams()).toEqual(m.getParams());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
