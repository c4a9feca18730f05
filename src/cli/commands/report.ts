import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Interactions } from '../../data/interactions.js';
import type { CrossValidateResult } from '../../eval/cv.js';
import { type RankingRun, type TabularReportInput, rankingReportHtml, ratingReportHtml, tabularReportHtml } from '../../report/index.js';
import { comparisonSection, type ModelScores } from '../../report/sections.js';
import { htmlPage } from '../../report/html.js';

/** Writes a report file and says where on stderr (stdout stays the command's own output, e.g. --json). */
export function writeReport(path: string, html: string): void {
  try {
    writeFileSync(path, html);
  } catch (e) {
    throw new InvalidArgumentError(`--report: cannot write "${path}": ${(e as Error).message}`, { path });
  }
  process.stderr.write(`report written to ${path} (${Math.round(html.length / 1024)} KB, opens offline)\n`);
}

/** The rating report of `reckon evaluate --report`: data summary from the interactions, one CV result per algo. */
export function ratingReport(results: readonly CrossValidateResult[], data: Interactions, scale: [number, number] | undefined, flags: { data: string; format: string; cv: number; seed: number }): string {
  return ratingReportHtml({
    source: flags.data,
    format: flags.format,
    data: { users: data.nUsers, items: data.nItems, ratings: data.nnz, ...(scale === undefined ? {} : { scale }) },
    results,
    cv: flags.cv,
    seed: flags.seed,
  });
}

type AnyResult = { kind: 'rating'; r: CrossValidateResult } | { kind: 'ranking'; r: RankingRun } | { kind: 'tabular'; r: TabularReportInput };

function classify(v: unknown, where: string): AnyResult {
  if (typeof v !== 'object' || v === null) throw new InvalidArgumentError(`${where}: expected a JSON object`);
  const o = v as Record<string, unknown>;
  if (o['task'] === 'ranking' && typeof o['metrics'] === 'object') return { kind: 'ranking', r: o as unknown as RankingRun };
  if (typeof o['fitSeconds'] === 'object' && typeof o['metrics'] === 'object' && typeof o['algo'] === 'string') return { kind: 'rating', r: o as unknown as CrossValidateResult };
  if (typeof o['folds'] === 'object' && typeof o['model'] === 'string') return { kind: 'tabular', r: o as unknown as TabularReportInput };
  throw new InvalidArgumentError(`${where}: not a result of "reckon evaluate --json" (rating or ranking) or a tabular report input`);
}

/** Reads results: each file holds JSON lines (or one JSON value / array). */
export function readResults(files: readonly string[]): AnyResult[] {
  const out: AnyResult[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new InvalidArgumentError(`--from: cannot read "${f}": ${(e as Error).message}`, { path: f });
    }
    const values: unknown[] = [];
    const trimmed = text.trim();
    if (trimmed.startsWith('[')) values.push(...(JSON.parse(trimmed) as unknown[]));
    else {
      const lines = trimmed.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '') continue;
        try {
          values.push(JSON.parse(line));
        } catch {
          throw new InvalidArgumentError(`--from: ${f} line ${i + 1}: not JSON`);
        }
      }
    }
    values.forEach((v, i) => out.push(classify(v, `${f} value ${i + 1}`)));
  }
  return out;
}

/** Builds a report from saved results: comparison bars across all of them plus each kind's own sections. */
export function reportFromResults(results: readonly AnyResult[], source: string): string {
  const rating = results.flatMap((x) => (x.kind === 'rating' ? [x.r] : []));
  const ranking = results.flatMap((x) => (x.kind === 'ranking' ? [x.r] : []));
  const tabular = results.flatMap((x) => (x.kind === 'tabular' ? [x.r] : []));
  if (rating.length === results.length) {
    const k = Math.max(...rating.map((r) => r.fitSeconds.folds.length));
    return ratingReportHtml({ source, data: { users: 0, items: 0, ratings: 0 }, results: rating, cv: k, seed: 0 });
  }
  if (ranking.length === results.length) return rankingReportHtml(ranking, source);
  if (tabular.length === 1 && results.length === 1) return tabularReportHtml(tabular[0]!);
  const scores: ModelScores[] = [
    ...rating.map((r) => ({ name: r.algo, metrics: Object.fromEntries(Object.entries(r.metrics).map(([m, s]) => [m, s.mean])) })),
    ...ranking.map((r) => ({ name: r.algo, metrics: r.metrics })),
  ];
  return htmlPage('Reckon results', `from ${source}`, [comparisonSection(scores)]);
}

/** `reckon report`: an HTML report (with model comparison bars) from saved `--json` results. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write one self-contained HTML report from saved `reckon evaluate --json` results (several runs: comparison bars)')
    .requiredOption('--from <files...>', 'JSON-lines files of results (one result per line)')
    .requiredOption('--out <file.html>', 'where to write the report')
    .action((f: { from: string[]; out: string }) => {
      writeReport(f.out, reportFromResults(readResults(f.from), f.from.join(', ')));
    });
}
