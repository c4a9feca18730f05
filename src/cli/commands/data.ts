import { type Command, Option } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { inspectFrame, detectUserItem, type FrameSummary } from '../../data/inspect.js';
import { checkTableFormat, detectFormat, readTable, writeTable, type ReadTableOptions, type WriteFormat } from '../../data/read.js';
import { ON_BAD_LINES_CHOICES, type OnBadLines, type ReadReport } from '../../data/report.js';
import { formatNumber, formatTable, printJson, progressOption } from '../output.js';

interface InspectFlags {
  format?: string;
  json?: boolean;
  onBadLines?: string;
  delimiter?: string;
  userColumn?: string;
  itemColumn?: string;
  /** Older spellings of --user-column / --item-column (hidden: --user and --item take ids everywhere else). */
  user?: string;
  item?: string;
}

function readOptions(flags: { format?: string; onBadLines?: string; delimiter?: string }, report: (r: ReadReport) => void): ReadTableOptions {
  const o: ReadTableOptions = { onReport: report };
  if (flags.format !== undefined) o.format = checkTableFormat(flags.format);
  if (flags.onBadLines !== undefined) {
    if (!(ON_BAD_LINES_CHOICES as readonly string[]).includes(flags.onBadLines)) {
      throw new InvalidArgumentError(`--on-bad-lines must be one of ${ON_BAD_LINES_CHOICES.join(', ')}, got "${flags.onBadLines}"`);
    }
    o.onBadLines = flags.onBadLines as OnBadLines;
  }
  if (flags.delimiter !== undefined) o.delimiter = flags.delimiter === '\\t' ? '\t' : flags.delimiter;
  return o;
}

/** `reckon data inspect FILE`: the figures of {@link inspectFrame} plus the read report. */
export async function inspectCommand(file: string, flags: InspectFlags): Promise<void> {
  let report: ReadReport | undefined;
  const opts = readOptions(flags, (r) => (report = r));
  const format = opts.format ?? detectFormat(file);
  const frame = await readTable(file, { ...opts, ...progressOption(flags.json === true) });
  let userItem: { user: string; item: string } | undefined;
  const userColumn = flags.userColumn ?? flags.user;
  const itemColumn = flags.itemColumn ?? flags.item;
  if (userColumn !== undefined || itemColumn !== undefined) {
    if (userColumn === undefined || itemColumn === undefined) throw new InvalidArgumentError('--user-column and --item-column go together');
    frame.column(userColumn);
    frame.column(itemColumn);
    userItem = { user: userColumn, item: itemColumn };
  } else {
    userItem = detectUserItem(frame);
  }
  const summary = inspectFrame(frame, userItem);
  const out: FrameSummary & { file: string; format: string; badLines: number } = { file, format, ...summary, badLines: report?.badLines ?? 0 };
  if (flags.json) {
    printJson(out);
    return;
  }
  const w = (s: string) => process.stdout.write(s);
  w(`${file} (${format}): ${formatNumber(out.rows)} rows, ${out.columns.length} columns, ${formatNumber(out.duplicateRows)} duplicate rows`);
  w(out.badLines > 0 ? `, ${formatNumber(out.badLines)} bad lines skipped\n` : '\n');
  w(
    formatTable(
      ['column', 'type', 'missing', 'unique', 'min', 'max', 'mean'],
      out.columns.map((c) => [c.name, c.type, c.missing, c.unique, fmt(c.min), fmt(c.max), fmt(c.mean)]),
    ),
  );
  const it = out.interactions;
  if (it !== undefined) {
    w(`interactions (${it.userColumn} x ${it.itemColumn}): ${formatNumber(it.users)} users, ${formatNumber(it.items)} items, ${formatNumber(it.pairs)} distinct pairs, density ${it.density.toPrecision(4)}\n`);
  }
}

function fmt(x: number | null | undefined): number | string {
  return x === undefined || x === null ? '' : x;
}

/** `reckon data convert IN OUT`: reads by IN's format, writes by OUT's extension. */
export async function convertCommand(input: string, output: string, flags: { format?: string; to?: string; onBadLines?: string; delimiter?: string; json?: boolean }): Promise<void> {
  let report: ReadReport | undefined;
  const opts = readOptions(flags, (r) => (report = r));
  let to: WriteFormat;
  if (flags.to !== undefined) {
    if (!['csv', 'tsv', 'jsonl', 'parquet'].includes(flags.to)) throw new InvalidArgumentError(`--to must be one of csv, tsv, jsonl, parquet, got "${flags.to}"`);
    to = flags.to as WriteFormat;
  } else {
    const d = detectFormat(output);
    if (d !== 'csv' && d !== 'tsv' && d !== 'jsonl' && d !== 'parquet') throw new InvalidArgumentError(`cannot write format ${d}`);
    to = d;
  }
  const progress = progressOption(flags.json === true);
  const frame = await readTable(input, { ...opts, ...progress });
  await writeTable(frame, output, to, progress);
  const res = { input, output, format: to, rows: frame.nRows, columns: frame.nCols, badLines: report?.badLines ?? 0 };
  if (flags.json) printJson(res);
  else process.stdout.write(`wrote ${formatNumber(res.rows)} rows x ${res.columns} columns to ${output} (${to})${res.badLines > 0 ? `; ${res.badLines} bad lines skipped` : ''}\n`);
}

/** Registers `reckon data inspect` and `reckon data convert`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('inspect and convert data files (CSV, TSV, JSON Lines, Parquet, MovieLens)');
  const formats = 'csv, tsv, jsonl, parquet, ml-100k, ml-latest, ml-1m (default: by extension)';
  data
    .command('inspect')
    .description('rows, columns and types, missing values, duplicates, and users/items/density for interaction data')
    .argument('<file>', 'file to inspect')
    .option('--format <fmt>', formats)
    .option('--delimiter <d>', 'field separator for csv (\\t for tab)')
    .option('--on-bad-lines <mode>', 'error | warn | skip (default error)')
    .option('--user-column <c>', 'user column (interaction data; default: detected)')
    .option('--item-column <c>', 'item column (interaction data; default: detected)')
    .addOption(new Option('--user <column>', 'older spelling of --user-column').hideHelp())
    .addOption(new Option('--item <column>', 'older spelling of --item-column').hideHelp())
    .option('--json', 'one line of JSON on stdout')
    .action((file: string, flags: InspectFlags) => inspectCommand(file, flags));
  data
    .command('convert')
    .description('convert between CSV/TSV/JSON Lines and Parquet (formats from the extensions)')
    .argument('<in>', 'input file')
    .argument('<out>', 'output file (.csv, .tsv, .jsonl, .parquet)')
    .option('--format <fmt>', `input format: ${formats}`)
    .option('--to <format>', 'output format: csv, tsv, jsonl, parquet (default: by extension)')
    .option('--delimiter <d>', 'input field separator for csv')
    .option('--on-bad-lines <mode>', 'error | warn | skip (default error)')
    .option('--json', 'one line of JSON on stdout')
    .action((input: string, output: string, flags: { format?: string; to?: string; onBadLines?: string; delimiter?: string; json?: boolean }) => convertCommand(input, output, flags));
}
