import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../../core/artifact.js';
import { NotFittedError, UnknownIdError, UnknownParamError } from '../../core/errors.js';
import { getAlgorithm } from '../registry.js';
import { isItemFeatureAware } from './catalog-model.js';
import './registry.js';
import { CATALOG, ratings } from './test-fixture.js';

/** The contract every model that uses item metadata meets (one block per registered name). */
const dir = mkdtempSync(join(tmpdir(), 'reckon-content-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { content: {}, hybrid: { validationUsers: 10, validationRounds: 2 }, lightfm: { epochs: 5, factors: 8 } } as const;

for (const name of ['content', 'hybrid', 'lightfm'] as const) {
  describe(`conformance: ${name}`, () => {
    const entry = getAlgorithm(name, 'ranking');
    const fitted = async () => {
      const m = entry.create({ ...small[name] });
      if (!isItemFeatureAware(m)) throw new Error('not item-feature aware');
      m.setItemFeatures(CATALOG);
      return m.fit(ratings(), { seed: 1 });
    };

    it('validates params and refuses use before fit', () => {
      expect(() => entry.create({ nope: 1 })).toThrow(UnknownParamError);
      expect(() => entry.create({ textWeight: -1 })).toThrow(/textWeight/);
      expect(() => entry.create().recommend('u1', 3)).toThrow(NotFittedError);
    });

    it('recommends k unseen known items, best first; k = 0 gives none; unknown users still get items', async () => {
      const m = await fitted();
      const recs = m.recommend('u1', 4);
      expect(recs.length).toBe(4);
      for (const r of recs) {
        expect(CATALOG.ids).toContain(r.id);
        expect(['m1', 'm2']).not.toContain(r.id);
        expect(Number.isFinite(r.score)).toBe(true);
      }
      for (let i = 1; i < recs.length; i++) expect(recs[i]!.score).toBeLessThanOrEqual(recs[i - 1]!.score);
      expect(m.recommend('u1', 0)).toEqual([]);
      expect(m.recommend('stranger', 3).length).toBe(3);
    });

    it('can recommend an item that has no interactions (cold item m9)', async () => {
      const m = await fitted();
      const all = m.recommend('u1', CATALOG.ids.length).map((r) => r.id);
      expect(all).toContain('m9');
    });

    it('similarItems: a clear error for an unknown item', async () => {
      const m = await fitted();
      expect(() => m.similarItems!('no-such-item', 3)).toThrow(UnknownIdError);
      expect(m.similarItems!('m1', 2).length).toBe(2);
    });

    it('same seed, same result; withParams keeps params', async () => {
      const a = await fitted();
      const b = await fitted();
      expect(b.recommend('u3', 5)).toEqual(a.recommend('u3', 5));
      expect(a.withParams({}).getParams()).toEqual(a.getParams());
    });

    it('save/load round trip gives the same answers', async () => {
      const m = await fitted();
      const path = join(dir, name);
      await saveArtifact(path, m.toArtifact());
      const back = entry.fromArtifact(await loadArtifact(path, name));
      for (const u of ['u1', 'u2', 'u5', 'stranger']) expect(back.recommend(u, 5)).toEqual(m.recommend(u, 5));
      expect(back.similarItems!('m3', 3)).toEqual(m.similarItems!('m3', 3));
      expect(back.getParams()).toEqual(m.getParams());
    });
  });
}
