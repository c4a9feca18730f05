import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { type DemoReport, runDemo } from '../demo/pipeline.js';
import { formatNumber, formatTable, printJson, progressBar } from '../output.js';

interface DemoFlags {
  out: string;
  seed: string;
  users: string;
  items: string;
  models?: string;
  json?: boolean;
}

function intFlag(name: string, text: string, lo: number, hi: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`--${name}: expected an integer in [${lo}, ${hi}], got "${text}"`, { [name]: text });
  return v;
}

/** `reckon demo`: generates a synthetic data set and walks the pipeline (see src/cli/demo/pipeline.ts). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a synthetic data set and walk the pipeline: write CSV, read back, clean, interactions, split, train, evaluate')
    .option('--out <dir>', 'folder for the generated files', './reckon-demo')
    .option('--seed <n>', 'seed for every random choice', '42')
    .option('--users <n>', 'number of users', '2000')
    .option('--items <n>', 'number of items', '800')
    .option('--models <list>', 'comma-separated models to train: registered names, or the demo baselines global-mean, bias-baseline, popularity (default: baseline,svd and popular,item-knn,sar when registered, else the demo baselines)')
    .option('--json', 'print the report as one JSON line')
    .action(async (flags: DemoFlags) => {
      const report = await runDemo({
        out: resolve(flags.out),
        seed: intFlag('seed', flags.seed, 0, 2 ** 32 - 1),
        users: intFlag('users', flags.users, 1, 2_000_000),
        items: intFlag('items', flags.items, 2, 2_000_000),
        ...(flags.models === undefined ? {} : { models: flags.models.split(',').map((m) => m.trim()).filter((m) => m !== '') }),
        ...optionalProgress(flags.json === true),
      });
      if (flags.json) printJson(report);
      else process.stdout.write(renderDemo(report));
    });
}

function optionalProgress(quiet: boolean): { onProgress?: ProgressFn } {
  const bar = progressBar(quiet);
  return bar === undefined ? {} : { onProgress: bar };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const f4 = (x: number) => x.toFixed(4);

/** The human summary of a demo run. */
export function renderDemo(r: DemoReport): string {
  const ex = r.explicit;
  const im = r.implicit;
  const out: string[] = [];
  out.push(`Reckon demo (seed ${r.seed}) -> ${r.out}\n`);
  out.push(formatTable(['step', 'time', 'what'], r.steps.map((s) => [s.step, ms(s.ms), s.detail])));
  out.push(`\nRatings (explicit, 1-5): ${formatNumber(ex.matrix.users)} users x ${formatNumber(ex.matrix.items)} items, ${formatNumber(ex.matrix.nnz)} ratings (density ${pct(ex.matrix.density)}); ${ex.split} split: ${formatNumber(ex.train)} train / ${formatNumber(ex.test)} test\n`);
  const label = (m: { model: string; source: string }) => (m.source === 'demo' ? `${m.model} (demo)` : m.model);
  out.push(formatTable(['model', 'RMSE', 'MAE', 'fit', 'eval'], ex.models.map((m) => [label(m), f4(m.rmse), f4(m.mae), ms(m.fitMs), ms(m.evalMs)])));
  out.push(`noise floor (the generator's noise-free ratings): RMSE ${f4(ex.noiseFloorRmse)}\n`);
  out.push(`\nEvents (implicit): ${im.recipe} -> ${formatNumber(im.matrix.users)} users x ${formatNumber(im.matrix.items)} items, ${formatNumber(im.matrix.nnz)} pairs (density ${pct(im.matrix.density)}); ${im.split} split\n`);
  const k = im.k;
  out.push(formatTable(['model', 'users', `HR@${k}`, `P@${k}`, `R@${k}`, `NDCG@${k}`, 'fit', 'eval'], im.models.map((m) => [label(m), m.users, f4(m.hitRate), f4(m.precision), f4(m.recall), f4(m.ndcg), ms(m.fitMs), ms(m.evalMs)])));
  out.push(`chance HR@${k} (random list): ${f4(im.chanceHitRate)}\n`);
  out.push(`\nFiles: ${r.files.map((f) => `${f.table}.csv (${formatNumber(f.rows)} rows)`).join(', ')}\n`);
  out.push(`${r.note}\nTotal ${ms(r.totalMs)}\n`);
  return out.join('');
}
