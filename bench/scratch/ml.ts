import type { RankingEvaluable } from "../../src/eval/ranking-eval.js";
import { readFileSync } from 'node:fs';
import { Interactions } from '../../src/data/interactions.js';
import { splitByProtocol } from '../../src/eval/protocols.js';
import { evaluateRanking } from '../../src/eval/ranking-eval.js';
import { PopularityModel } from '../../src/recommenders/implicit/popularity.js';
import { ItemKnnModel } from '../../src/recommenders/implicit/item-knn.js';
import { EaseModel } from '../../src/recommenders/implicit/ease.js';
import { BprModel } from '../../src/recommenders/implicit/bpr.js';
import { SarModel } from '../../src/recommenders/implicit/sar.js';
import { UserKnnModel } from '../../src/recommenders/implicit/user-knn.js';
import { AlsModel } from '../../src/recommenders/implicit/als.js';
const lines = readFileSync('/work/shared/data/ml-100k/u.data', 'utf8').trim().split('\n');
const u: string[] = [], i: string[] = [], v: number[] = [], t: number[] = [];
for (const l of lines) { const p = l.split('\t'); u.push(p[0]!); i.push(p[1]!); v.push(+p[2]!); t.push(+p[3]!); }
const data = Interactions.fromRaw(u, i, v, { timestamps: t });
const sp = splitByProtocol(process.env['PROTO'] ?? 'msr-stratified-75', data, Number(process.env['SEED'] ?? 42));
const thr = Number(process.env['THR'] ?? '0');
if (thr > 0) {
  const f = (x: Interactions) => x.selectEntries(Uint8Array.from(x.values, (v) => (v >= thr ? 1 : 0)));
  if (process.env['TRAINTHR']) sp.train = f(sp.train);
  sp.test = f(sp.test);
}
console.log(sp.train.nnz, sp.test.nnz);
const which = process.argv[2] ?? 'all';
const models: [string, { fit(d: Interactions): Promise<unknown> } & RankingEvaluable][] = [
  ['popular', new PopularityModel()],
  ['item-knn', new ItemKnnModel()],
  ['ease', new EaseModel()],
  ['als', new AlsModel(which === 'als' ? JSON.parse(process.argv[3] ?? '{}') : {})],
  ['sar', new SarModel(which === 'sar' ? JSON.parse(process.argv[3] ?? '{}') : {})],
  ['user-knn', new UserKnnModel(which === 'user-knn' ? JSON.parse(process.argv[3] ?? '{}') : {})],
  ['bpr', new BprModel(JSON.parse(process.argv[3] ?? '{}'))],
];
for (const [n, m] of models) {
  if (which !== 'all' && which !== n) continue;
  const t0 = performance.now();
  await m.fit(sp.train);
  const t1 = performance.now();
  const r = evaluateRanking(m, sp.train, sp.test, { k: 10 });
  console.log(n, ((t1 - t0) / 1000).toFixed(2), 's fit', ((performance.now() - t1) / 1000).toFixed(2), 's eval', JSON.stringify(r));
}
