import { loadMovieLens } from '../../src/data/movielens.js';
import { splitByProtocol } from '../../src/eval/protocols.js';
import { evaluateRanking } from '../../src/eval/ranking-eval.js';
import { BprModel } from '../../src/recommenders/implicit/bpr.js';
class NoBias extends BprModel { drop(): void { this.itemBias = undefined; } }
const data = (await loadMovieLens('/work/shared/data/ml-100k', 'ml-100k')).ratings;
const sp = splitByProtocol(process.env['PROTO'] ?? 'msr-stratified-75', data, 42);
const m = await new NoBias(JSON.parse(process.argv[2] ?? '{}')).fit(sp.train);
console.log('with bias', evaluateRanking(m, sp.train, sp.test, { k: 10 })['ndcg@10']);
m.drop();
console.log('no bias', evaluateRanking(m, sp.train, sp.test, { k: 10 })['ndcg@10']);
