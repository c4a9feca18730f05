import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../../core/artifact.js';
import { IdMap } from '../../core/ids.js';
import { Rng } from '../../core/rng.js';
import { Interactions } from '../../data/interactions.js';
import { getAlgorithm } from '../registry.js';
import type { NeuralModel } from './base.js';
import { Gru4RecModel } from './gru4rec.js';
import { GmfModel, MlpModel, NcfModel } from './ncf.js';
import { SasRecModel } from './sasrec.js';
import './registry.js';

/**
 * Planted sequential data: 40 users walk the 16-item catalog in order (item i is followed by i + 1 mod 16) from a
 * random start, 12 steps each, with timestamps increasing along the walk; a next-item model can learn it exactly.
 */
function plantedWalks(): Interactions {
  const rng = new Rng(3);
  const nU = 40;
  const nI = 16;
  const us: number[] = [];
  const is: number[] = [];
  const ts: number[] = [];
  for (let u = 0; u < nU; u++) {
    const s = rng.int(nI);
    for (let t = 0; t < 12; t++) {
      us.push(u);
      is.push((s + t) % nI);
      ts.push(1000 * u + t);
    }
  }
  const users = IdMap.fromIds(Array.from({ length: nU }, (_, u) => `u${u}`));
  const items = IdMap.fromIds(Array.from({ length: nI }, (_, i) => `i${i}`));
  return Interactions.fromTriples({ users: Int32Array.from(us), items: Int32Array.from(is), values: new Float32Array(us.length).fill(1), timestamps: Float64Array.from(ts) }, users, items);
}

const data = plantedWalks();
const seqParams = { factors: 16, maxLen: 6, epochs: 25, learningRate: 0.02, batchSize: 16, patience: 0 };

describe.each([
  ['sasrec', (): NeuralModel<never> => new SasRecModel({ ...seqParams, blocks: 1 }) as never],
  ['gru4rec', (): NeuralModel<never> => new Gru4RecModel(seqParams) as never],
])('%s', (name, make) => {
  it('training reduces the loss and learns the planted next item; recommendForSequence follows the newest click', async () => {
    const m = await make().fit(data, { seed: 1 });
    const curve = m.learningCurve;
    expect(curve.length).toBe(25);
    expect(curve[curve.length - 1]!.loss).toBeLessThan(0.5 * curve[0]!.loss);
    expect(m.recommendForSequence(['i2', 'i3', 'i4'], 1)[0]!.id).toBe('i5');
    expect(m.recommendForSequence(['i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9', 'i10'], 1)[0]!.id).toBe('i11');
    expect(m.recommendForSequence(['i13', 'i14'], 1)[0]!.id).toBe('i15');
    // excludes the sequence's own items, and unknown ids are skipped
    const recs = m.recommendForSequence(['nope', 'i0', 'i1'], 16).map((s) => s.id);
    expect(recs).not.toContain('i0');
    expect(recs[0]).toBe('i2');
    expect(m.itemEmbeddings().rows).toBe(16);
  });

  it('same seed gives the same model; the artifact round trip (on disk) gives the same scores', async () => {
    const p = { ...seqParams, epochs: 3, patience: 2 };
    const a = await getAlgorithm(name, 'ranking').create(p).fit(data, { seed: 5 });
    const b = await getAlgorithm(name, 'ranking').create(p).fit(data, { seed: 5 });
    expect(a.recommend('u3', 5)).toEqual(b.recommend('u3', 5));
    const dir = await mkdtemp(join(tmpdir(), 'reckon-neural-'));
    try {
      await saveArtifact(dir, a.toArtifact());
      const loaded = getAlgorithm(name, 'ranking').fromArtifact(await loadArtifact(dir, name));
      for (const u of ['u0', 'u7', 'u39']) expect(loaded.recommend(u, 5)).toEqual(a.recommend(u, 5));
      expect((loaded as unknown as NeuralModel<never>).learningCurve.length).toBe((a as unknown as NeuralModel<never>).learningCurve.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Planted clusters: users of group g (u mod 4) interact with items 4g..4g+3 (of 16). */
function plantedGroups(): Interactions {
  const us: number[] = [];
  const is: number[] = [];
  for (let u = 0; u < 60; u++) {
    const g = u % 4;
    for (let j = 0; j < 4; j++) if ((u + j) % 5 !== 0) {
      us.push(u);
      is.push(4 * g + j);
    }
  }
  const users = IdMap.fromIds(Array.from({ length: 60 }, (_, u) => `u${u}`));
  const items = IdMap.fromIds(Array.from({ length: 16 }, (_, i) => `i${i}`));
  return Interactions.fromTriples({ users: Int32Array.from(us), items: Int32Array.from(is), values: new Float32Array(us.length).fill(1) }, users, items);
}

describe.each([
  ['gmf', GmfModel],
  ['mlp', MlpModel],
  ['neumf', NcfModel],
])('%s', (name, Ctor) => {
  it('training reduces the BCE loss and recommends the unseen item of the user’s cluster', async () => {
    const groups = plantedGroups();
    const m = await new Ctor({ factors: 8, layers: 2, epochs: name === 'mlp' ? 80 : 30, learningRate: 0.02, batchSize: 32, patience: 0, pretrain: name === 'neumf' }).fit(groups, { seed: 3 });
    const c = m.learningCurve;
    expect(c[c.length - 1]!.loss).toBeLessThan(0.6 * c[0]!.loss);
    // user u5 (group 1) misses item 4·1 + j where (5 + j) % 5 === 0, i.e. j = 0 -> item i4
    expect(m.recommend('u5', 1)[0]!.id).toBe('i4');
    const again = await new Ctor({ factors: 8, layers: 2, epochs: 2, patience: 0 }).fit(groups, { seed: 3 });
    const loaded = (Ctor as typeof NcfModel).fromArtifact(again.toArtifact());
    expect(loaded.recommend('u9', 4)).toEqual(again.recommend('u9', 4));
    expect(loaded.algorithm).toBe(name);
  });
});

describe('training loop', () => {
  it('reports loss and validation NDCG@10 per epoch, stops early and keeps the best epoch in the learning curve', async () => {
    const events: { done: number; metrics?: Record<string, number> }[] = [];
    const m = await new Gru4RecModel({ ...seqParams, epochs: 30, patience: 2 }).fit(data, {
      seed: 1,
      onProgress: (e) => {
        if (e.step === 'epoch') events.push(e.metrics === undefined ? { done: e.done } : { done: e.done, metrics: e.metrics });
      },
    });
    expect(events.length).toBe(m.learningCurve.length);
    for (const e of events) {
      expect(e.metrics!['loss']).toBeGreaterThan(0);
      expect(e.metrics!['ndcg']).toBeGreaterThanOrEqual(0);
    }
    // the best epoch's NDCG is the maximum of the curve, and training stopped at most `patience` epochs after it
    const best = Math.max(...m.learningCurve.map((r) => r.ndcg));
    expect(m.learningCurve[m.bestEpoch - 1]!.ndcg).toBe(best);
    expect(m.learningCurve.length).toBeLessThanOrEqual(Math.min(30, m.bestEpoch + 2));
  });
});
