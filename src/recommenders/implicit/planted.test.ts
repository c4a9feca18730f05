import { describe, expect, it } from 'vitest';
import { splitByProtocol } from '../../eval/protocols.js';
import { evaluateRanking } from '../../eval/ranking-eval.js';
import { topKReference } from '../../core/topk.js';
import { AlsModel } from './als.js';
import { BprModel } from './bpr.js';
import { EaseModel } from './ease.js';
import { ItemKnnModel } from './item-knn.js';
import { PopularityModel } from './popularity.js';
import { SarModel } from './sar.js';
import { UserKnnModel } from './user-knn.js';
import { plantedInteractions } from './test-support.js';

const data = plantedInteractions({ users: 300, items: 120, groups: 4, perUser: 16 });
const split = splitByProtocol('msr-stratified-75', data, 5);

describe('planted clusters: personalised models beat popularity', async () => {
  const pop = evaluateRanking(await new PopularityModel().fit(split.train), split.train, split.test, { k: 10, auc: true });
  const cases: [string, () => Promise<{ recommendIndices: AlsModel['recommendIndices']; scoreInto: AlsModel['scoreInto'] }>][] = [
    ['als', () => new AlsModel({ factors: 16, epochs: 10, alpha: 5, regularization: 0.1 }).fit(split.train)],
    ['ease', () => new EaseModel({ regularization: 20 }).fit(split.train)],
    ['bpr', () => new BprModel({ factors: 16, epochs: 40, learningRate: 0.05, regularization: 0.01 }).fit(split.train)],
    ['sar', () => new SarModel().fit(split.train)],
    ['user-knn', () => new UserKnnModel({ neighbours: 30 }).fit(split.train)],
    ['item-knn', () => new ItemKnnModel({ neighbours: 30 }).fit(split.train)],
  ];
  it.each(cases)('%s has higher NDCG@10 and AUC than popularity', async (_name, fit) => {
    const m = await fit();
    const r = evaluateRanking(m, split.train, split.test, { k: 10, auc: true });
    expect(r['ndcg@10']!).toBeGreaterThan(pop['ndcg@10']! * 1.3);
    expect(r['auc']!).toBeGreaterThan(pop['auc']!);
  });

  it('heap top-k through recommendIndices equals a full sort of the scores', async () => {
    const m = await new AlsModel({ factors: 8, epochs: 3 }).fit(split.train);
    const users = Int32Array.of(0, 5, 17, 200);
    const batch = m.recommendIndices(users, 15);
    const buf = new Float32Array(m.nItems);
    users.forEach((u, r) => {
      m.scoreInto(u, buf);
      const ref = topKReference(buf, 15, m.seenItems(u));
      expect(Array.from(batch.indices.subarray(r * 15, r * 15 + 15))).toEqual(Array.from(ref.indices));
    });
  });
});
