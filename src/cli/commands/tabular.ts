import { readFile, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { loadArtifact, saveArtifact } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseParamAssignments } from '../../core/params.js';
import { readTable } from '../../data/read.js';
import type { TabularTask } from '../../tabular/base.js';
import { type Pipeline } from '../../tabular/preprocess/pipeline.js';
import { defaultPipeline, getTabularAlgorithm, loadTabularModel } from '../../tabular/registry.js';
import { crossValidate } from '../../tabular/selection/cross-validate.js';
import type { Estimator } from '../../tabular/selection/estimator.js';
import { splitsFromAssignment } from '../../tabular/selection/splits.js';
import { prepareTabular } from '../../tabular/task-data.js';
import { formatNumber, formatTable, printJson, progressBar, progressOption } from '../output.js';
import { writeReport } from './report.js';
import { tabularRunReport } from './tabular-report.js';

interface CommonFlags {
  data: string;
  target: string;
  algo?: string;
  /** Older spelling of --algo (hidden; --model names a model folder everywhere else). */
  model?: string;
  set: string[];
  seed: string;
  task?: string;
  drop?: string;
  json?: boolean;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

function taskFlag(v: string | undefined): TabularTask | undefined {
  if (v === undefined) return undefined;
  if (v !== 'classification' && v !== 'regression') throw new InvalidArgumentError(`--task must be classification or regression, got "${v}"`);
  return v;
}

/** The model name from --algo (or the older --model NAME); one of them is required, and they must agree. */
function algoFlag(flags: CommonFlags): string {
  if (flags.algo !== undefined && flags.model !== undefined && flags.algo !== flags.model) {
    throw new InvalidArgumentError(`--algo "${flags.algo}" and --model "${flags.model}" disagree; give --algo only (--model is its older spelling)`);
  }
  const name = flags.algo ?? flags.model;
  if (name === undefined) throw new InvalidArgumentError('--algo <name> is required: logistic | linear | ridge | lasso | tree | forest | gbdt');
  return name;
}

async function load(flags: CommonFlags) {
  const model = algoFlag(flags);
  const frame = await readTable(flags.data, progressOption(flags.json === true));
  const data = prepareTabular(frame, flags.target, { ...(taskFlag(flags.task) ? { task: taskFlag(flags.task) as TabularTask } : {}), ...(flags.drop ? { drop: flags.drop.split(',').map((s) => s.trim()).filter(Boolean) } : {}) });
  const algo = getTabularAlgorithm(model, data.task);
  const specs = algo.tasks[data.task]?.specs ?? {};
  const params = parseParamAssignments(model, specs, flags.set);
  const seed = int('seed', flags.seed, 0);
  if ('seed' in specs && params['seed'] === undefined) params['seed'] = seed;
  return { data, params, seed, model };
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption('--data <file>', 'table with features and target (csv, tsv, jsonl, parquet)')
    .requiredOption('--target <column>', 'target column')
    .option('--algo <name>', 'model: logistic | linear | ridge | lasso | tree | forest | gbdt (required)')
    .addOption(new Option('--model <name>', 'older spelling of --algo').hideHelp())
    .option('--set <key=value>', 'set a model param (repeatable)', collect, [])
    .option('--seed <n>', 'seed (folds and model)', '0')
    .option('--task <task>', 'classification | regression (default: from the target)')
    .option('--drop <columns>', 'comma-separated columns to leave out (id-like string columns are dropped anyway)')
    .option('--json', 'print one JSON line');
}

/** `reckon tabular evaluate|train|predict`. */
export function registerTabular(program: Command): void {
  const tab = program.command('tabular').description('predictive models on tables: logistic/linear models, trees, random forests, gradient boosting');
  common(tab.command('evaluate').description('k-fold cross-validation of a model (default preprocessing: impute/scale/one-hot as the model needs)'))
    .option('--cv <k>', 'folds (stratified for classification)', '5')
    .option('--folds <file>', 'JSON array with a fold id per row (overrides --cv)')
    .option('--metrics <list>', 'comma-separated: auc, prauc, logloss, accuracy, precision, recall, f1, brier, rmse, mae, mape, r2')
    .option('--report <file.html>', 'also write a self-contained HTML report (ROC, PR, calibration, confusion matrix, importance)')
    .action(async (flags: CommonFlags & { cv: string; folds?: string; metrics?: string; report?: string }) => {
      const { data, params, seed, model } = await load(flags);
      const est = defaultPipeline(model, data.task, data.X, params) as unknown as Estimator;
      const metrics = (flags.metrics ?? (data.task === 'classification' ? 'auc,logloss' : 'rmse,mae,r2')).split(',').map((s) => s.trim()).filter(Boolean);
      let cv: number | ReturnType<typeof splitsFromAssignment> = int('cv', flags.cv, 2);
      if (flags.folds !== undefined) {
        const fold = Int32Array.from(JSON.parse(await readFile(flags.folds, 'utf8')) as number[]);
        if (fold.length !== data.y.length) throw new InvalidArgumentError(`--folds: ${flags.folds} has ${fold.length} fold ids but the data has ${data.y.length} rows`);
        cv = splitsFromAssignment(fold);
      }
      const bar = progressBar(flags.json === true);
      const r = await crossValidate(est, data.X, data.y, { cv, metrics, seed, targetName: data.target, learningCurves: flags.report !== undefined, ...(bar ? { onProgress: bar } : {}) });
      const out = { model, task: data.task, rows: data.y.length, features: data.X.nCols, folds: r.fitSeconds.length, metrics: r.metrics, fitSeconds: r.fitSeconds, predictSeconds: r.predictSeconds, params };
      if (flags.report !== undefined) writeReport(flags.report, await tabularRunReport({ model, source: flags.data, params, seed, data, metrics: r.metrics, fitSeconds: r.fitSeconds, oof: r.oof, ...(r.curves !== undefined ? { curves: r.curves } : {}), ...progressOption(flags.json === true) }));
      if (flags.json) {
        printJson(out);
        return;
      }
      process.stdout.write(`${model} on ${flags.data}: ${data.task}, ${data.y.length} rows, ${data.X.nCols} feature columns, ${r.fitSeconds.length} folds\n`);
      process.stdout.write(formatTable(['metric', 'mean', 'std', 'folds'], Object.entries(r.metrics).map(([k, v]) => [k, v.mean, v.std, v.folds.map(formatNumber).join(' ')])));
    });

  common(tab.command('train').description('fit a model on all rows and save it'))
    .requiredOption('--out <dir>', 'model folder to write')
    .action(async (flags: CommonFlags & { out: string }) => {
      const { data, params, seed, model } = await load(flags);
      const pipe = defaultPipeline(model, data.task, data.X, params);
      const t0 = performance.now();
      // boosting rounds (gbdt) or trees (tree, forest on one thread) as a progress bar on a TTY without --json
      await pipe.fit(data.X, data.y, { seed, targetName: data.target, ...progressOption(flags.json === true) });
      const seconds = (performance.now() - t0) / 1000;
      const art = pipe.toArtifact();
      art.meta.state = { ...(art.meta.state ?? {}), cli: { target: data.target, task: data.task, labels: data.labels, dropped: data.dropped } };
      art.meta.metrics = { fitSeconds: seconds };
      await saveArtifact(flags.out, art);
      if (flags.json) printJson({ model, out: flags.out, rows: data.y.length, fitSeconds: seconds });
      else process.stdout.write(`saved ${model} (${data.task}, ${data.y.length} rows, fit ${seconds.toFixed(2)} s) to ${flags.out}\n`);
    });

  tab
    .command('predict')
    .description('predict with a saved model: one output row per input row (label, and class probabilities)')
    .requiredOption('--model <dir>', 'model folder written by `reckon tabular train`')
    .requiredOption('--data <file>', 'table with the feature columns (the target column, if present, is ignored)')
    .option('--out <file>', 'write CSV here instead of stdout')
    .option('--json', 'print one JSON line')
    .action(async (flags: { model: string; data: string; out?: string; json?: boolean }) => {
      const art = await loadArtifact(flags.model, undefined, progressOption(flags.json === true));
      const cli = (art.meta.state?.['cli'] ?? {}) as { target?: string; task?: TabularTask; labels?: string[]; dropped?: string[] };
      const model = loadTabularModel(art) as Pipeline;
      let frame = await readTable(flags.data, progressOption(flags.json === true));
      const drop = [...(cli.dropped ?? []), ...(cli.target && frame.has(cli.target) ? [cli.target] : [])].filter((c) => frame.has(c));
      frame = frame.drop(drop);
      const { coerceNumericColumns } = await import('../../tabular/preprocess/coerce.js');
      frame = coerceNumericColumns(frame);
      const labels = cli.labels ?? [];
      const rows: (string | number)[][] = [];
      let header: string[];
      if (model.task === 'classification') {
        const p = model.predictProba(frame);
        const k = model.classes.length;
        const names = model.classes.map((c) => labels[c] ?? String(c));
        header = ['prediction', ...names.map((l) => `p_${l}`)];
        for (let i = 0; i < frame.nRows; i++) {
          let b = 0;
          for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + b]) b = c;
          const row: (string | number)[] = [names[b]];
          for (let c = 0; c < k; c++) row.push(p[i * k + c]);
          rows.push(row);
        }
      } else {
        const p = model.predict(frame);
        header = ['prediction'];
        for (let i = 0; i < p.length; i++) rows.push([p[i]]);
      }
      if (flags.json) {
        printJson({ columns: header, rows });
        return;
      }
      const csv = [header.join(','), ...rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(','))].join('\n') + '\n';
      if (flags.out !== undefined) await writeFile(flags.out, csv);
      else {
        // A reader that stops early (`| head`) closes the pipe: that is not an error.
        process.stdout.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'EPIPE') process.exit(0);
          throw e;
        });
        process.stdout.write(csv);
      }
    });
}
