import { runRankingEvaluation } from '../../src/cli/commands/evaluate-ranking.js';
const r = await runRankingEvaluation({ data: '/work/shared/data/ml-100k', format: 'ml-100k', algo: process.argv[2]!, set: process.argv.slice(3), seed: '42' });
console.log(JSON.stringify(r));
