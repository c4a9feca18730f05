import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadArtifact } from '../../core/artifact.js';
import { ErrorCode, InvalidArgumentError, ReckonError } from '../../core/errors.js';
import type { Scored } from '../../core/model.js';
import type { ProgressFn } from '../../core/progress.js';
import { sharedFeatures } from '../../recommenders/content/explain.js';
import '../../recommenders/index.js';
import { getAlgorithm } from '../../recommenders/registry.js';
import { readCatalog } from '../../text/catalog-file.js';
import { ItemProfiler } from '../../text/profiles.js';
import { SimilarityIndex } from '../../text/similarity/similarity.js';
import { formatTable, printJson, progressBar, progressStep } from '../output.js';

interface SimilarFlags {
  data?: string;
  model?: string;
  idColumn?: string;
  titleColumn?: string;
  textColumn: string[];
  categoryColumn: string[];
  numericColumn: string[];
  delimiter: string;
  weight: string[];
  item?: string;
  query?: string;
  k: string;
  terms: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** One answer of `reckon similar`, as printed with --json: `{"items": [{"id", "score", "reason"}]}`. */
export interface SimilarResult {
  items: { id: string; title?: string; score: number; reason?: string }[];
}

/**
 * Items most similar to `--item ID` (or to a free text `--query`) from a catalog file's columns: TF-IDF of the text
 * columns (scikit-learn semantics, English stop words), one-hot categories, scaled numbers; cosine via the
 * inverted index. Each result says which terms or attributes it shares.
 */
export async function similarFromFile(flags: SimilarFlags, onProgress?: ProgressFn): Promise<SimilarResult> {
  if (flags.idColumn === undefined) throw new InvalidArgumentError('reckon similar: --data needs --id-column');
  const k = positiveInt('k', flags.k);
  const nTerms = positiveInt('terms', flags.terms);
  const catalog = await readCatalog(resolve(flags.data!), {
    idColumn: flags.idColumn,
    ...(flags.titleColumn !== undefined ? { titleColumn: flags.titleColumn } : {}),
    textColumns: flags.textColumn,
    categoricalColumns: flags.categoryColumn,
    numericColumns: flags.numericColumn,
    delimiter: flags.delimiter,
    ...(onProgress !== undefined ? { onProgress } : {}),
  });
  const fieldWeights: Record<string, number> = {};
  for (const a of flags.weight) {
    const eq = a.indexOf('=');
    const w = Number(a.slice(eq + 1));
    if (eq <= 0 || !(w >= 0) || !Number.isFinite(w)) throw new InvalidArgumentError(`--weight: expected COLUMN=NUMBER >= 0, got "${a}"`, { weight: a });
    fieldWeights[a.slice(0, eq)] = w;
  }
  const profiler = new ItemProfiler({ fieldWeights });
  const X = profiler.fit(catalog, onProgress !== undefined ? { onProgress } : {});
  const index = await progressStep(onProgress, 'index', () => new SimilarityIndex(X));
  const titleOf = (i: number) => catalog.titles?.[i] ?? catalog.ids[i]!;
  if (flags.query !== undefined) {
    const one = { ids: ['?query'], text: Object.fromEntries(flags.textColumn.map((c) => [c, [flags.query!]])) };
    if (flags.categoryColumn.length || flags.numericColumn.length) throw new InvalidArgumentError('reckon similar: --query works with text columns only');
    const q = profiler.transform(one);
    const top = await progressStep(onProgress, 'score', () => index.query(q.indices, q.values, k));
    const qTerms = new Set<number>(q.indices);
    return {
      items: Array.from(top.indices, (j, m) => {
        const shared: string[] = [];
        for (let p = X.indptr[j]!; p < X.indptr[j + 1]!; p++) if (qTerms.has(X.indices[p]!) && shared.length < nTerms) shared.push(profiler.featureLabels[X.indices[p]!]!);
        return { id: catalog.ids[j]!, title: titleOf(j), score: round(top.scores[m]!), ...(shared.length ? { reason: `Shares: ${shared.join(', ')}` } : {}) };
      }),
    };
  }
  if (flags.item === undefined) throw new InvalidArgumentError('reckon similar: give --item ID or --query TEXT');
  const i = catalog.ids.indexOf(flags.item);
  if (i < 0) {
    throw new ReckonError(ErrorCode.UnknownId, `unknown item id "${flags.item}": not in column "${flags.idColumn}" of ${flags.data} (${catalog.ids.length} items)`, {
      details: { kind: 'item', id: flags.item },
    });
  }
  const top = await progressStep(onProgress, 'score', () => index.neighboursOf(i, k));
  return {
    items: Array.from(top.indices, (j, m) => {
      const terms = sharedFeatures(X, i, j, profiler, nTerms);
      return { id: catalog.ids[j]!, title: titleOf(j), score: round(top.scores[m]!), ...(terms.length ? { reason: `Because you watched ${titleOf(i)}: ${terms.join(', ')}` } : {}) };
    }),
  };
}

/** Similar items from a saved model that implements `similarItems`. */
export async function similarFromModel(flags: SimilarFlags, onProgress?: ProgressFn): Promise<SimilarResult> {
  const k = positiveInt('k', flags.k);
  if (flags.item === undefined) throw new InvalidArgumentError('reckon similar: --model needs --item ID');
  const artifact = await loadArtifact(resolve(flags.model!), undefined, onProgress !== undefined ? { onProgress } : {});
  const model = getAlgorithm(artifact.meta.algorithm).fromArtifact(artifact);
  if (model.similarItems === undefined) throw new InvalidArgumentError(`reckon similar: a "${artifact.meta.algorithm}" model has no similarItems`);
  const similarItems = model.similarItems.bind(model);
  const items: Scored[] = await progressStep(onProgress, 'score', () => similarItems(flags.item!, k));
  return { items: items.map((r) => ({ id: r.id, score: round(r.score), ...(r.reason !== undefined ? { reason: r.reason } : {}) })) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function positiveInt(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`--${name}: expected a positive integer, got "${text}"`, { [name]: text });
  return v;
}

/** `reckon similar`: see {@link similarFromFile} and {@link similarFromModel}. */
export function registerSimilar(program: Command): void {
  program
    .command('similar')
    .description('items most similar to an item (content: TF-IDF + attributes, or any saved model with similarItems), with reasons')
    .option('--data <file>', 'catalog file (CSV with a header)')
    .option('--model <dir>', 'a saved model folder instead of --data')
    .option('--id-column <c>', 'item id column of --data')
    .option('--title-column <c>', 'display title column of --data')
    .option('--text-column <c>', 'text column (repeatable)', collect, [])
    .option('--category-column <c>', 'categorical column, values separated by | or , (repeatable)', collect, [])
    .option('--numeric-column <c>', 'numeric column (repeatable)', collect, [])
    .option('--delimiter <d>', 'field delimiter of --data', ',')
    .option('--weight <column=w>', 'weight of a column in the item profile (repeatable; default 1, numeric 0.5)', collect, [])
    .option('--item <id>', 'the item to find neighbours for')
    .option('--query <text>', 'a new item\'s text instead of --item (with --data)')
    .option('-k, --k <n>', 'number of results', '10')
    .option('--terms <n>', 'shared terms listed per result', '3')
    .option('--json', 'print {"items": [{"id", "score", "reason"}]} as one JSON line')
    .action(async (flags: SimilarFlags) => {
      if ((flags.data === undefined) === (flags.model === undefined)) throw new InvalidArgumentError('reckon similar: give exactly one of --data FILE or --model DIR');
      // progress on stderr (TTY, no --json): read (bytes) / load (weights bytes), profile (fields), index, score
      const bar = progressBar(flags.json === true);
      const res = flags.data !== undefined ? await similarFromFile(flags, bar) : await similarFromModel(flags, bar);
      if (flags.json) {
        printJson({ items: res.items.map((r) => ({ id: r.id, score: r.score, ...(r.reason !== undefined ? { reason: r.reason } : {}) })) });
        return;
      }
      const rows = res.items.map((r, n) => [n + 1, r.id, r.title ?? '', r.score, r.reason ?? '']);
      process.stdout.write(formatTable(['#', 'id', 'title', 'score', 'reason'], rows));
    });
}
