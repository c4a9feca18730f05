import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadArtifact } from '../../core/artifact.js';
import { getAlgorithm } from '../../recommenders/index.js';
import { formatTable, printJson, progressBar, progressStep } from '../output.js';
import { intFlag } from './rating-data.js';

interface RecommendFlags {
  model: string;
  user: string;
  k: string;
  includeSeen?: boolean;
  json?: boolean;
}

/** `reckon recommend`: top-k items for a user from a saved model. */
export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('top-k items for a user from a model saved by `reckon train`')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--user <id>', 'raw user id')
    .option('-k, --k <n>', 'number of items', '10')
    .option('--include-seen', 'also rank items the user already rated')
    .option('--json', 'print one JSON line')
    .action(async (flags: RecommendFlags) => {
      const k = intFlag('k', flags.k, 1, 1_000_000);
      // progress on stderr (TTY, no --json): load = bytes of the weights file, score = the user's ranking
      const bar = progressBar(flags.json === true);
      const artifact = await loadArtifact(resolve(flags.model), undefined, bar === undefined ? {} : { onProgress: bar });
      const model = getAlgorithm(artifact.meta.algorithm).fromArtifact(artifact);
      const items = await progressStep(bar, 'score', () => model.recommend(flags.user, k, { excludeSeen: flags.includeSeen !== true }));
      const probe = model.predict === undefined || items.length === 0 ? undefined : model.predict(flags.user, items[0]!.id).fallback;
      const known = model.predict === undefined || items.length === 0 ? undefined : probe !== 'unknown-user' && probe !== 'unknown-user-and-item';
      if (flags.json) printJson({ user: flags.user, algo: artifact.meta.algorithm, knownUser: known ?? null, items });
      else {
        const note = known === false ? ' (unknown user: ranked by the model’s fallback)' : '';
        process.stdout.write(`top ${items.length} for user ${flags.user} (${artifact.meta.algorithm})${note}\n`);
        process.stdout.write(formatTable(['rank', 'item', 'score'], items.map((s, r) => [r + 1, s.id, s.score.toFixed(4)])));
      }
    });
}
