import { InvalidArgumentError, ParseError, type SourceLocation } from '../core/errors.js';

/** What a reader does with a malformed row: throw (default), skip it with a warning, or skip it silently. */
export type OnBadLines = 'error' | 'warn' | 'skip';
export const ON_BAD_LINES_CHOICES: readonly OnBadLines[] = ['error', 'warn', 'skip'];

/** One skipped row: where and why. */
export interface BadLine {
  line: number;
  column?: number;
  problem: string;
  text?: string;
}

/**
 * What a read did: rows kept, rows skipped (with the first few reasons). Skipped rows are always counted here; with
 * `onBadLines: 'warn'` each is also passed to the warning sink (stderr by default).
 */
export interface ReadReport {
  file: string;
  /** Data rows kept. */
  rows: number;
  /** Rows skipped as malformed (only with onBadLines 'warn' or 'skip'). */
  badLines: number;
  /** The first {@link MAX_SAMPLES} skipped rows. */
  samples: BadLine[];
}

export const MAX_SAMPLES = 20;

/** Options every reader shares for bad rows and reporting. */
export interface BadLineOptions {
  /** Default 'error'. */
  onBadLines?: OnBadLines;
  /** Receives the report when the read finishes (rows kept and skipped). */
  onReport?: (report: ReadReport) => void;
  /** Where 'warn' messages go; default: one line on stderr each. */
  onWarning?: (message: string) => void;
}

/** Collects bad rows according to the policy; throws a {@link ParseError} under 'error'. */
export class BadLineSink {
  readonly report: ReadReport;
  private readonly mode: OnBadLines;
  private readonly warn: (message: string) => void;

  constructor(file: string, opts: BadLineOptions) {
    const mode = opts.onBadLines ?? 'error';
    if (!ON_BAD_LINES_CHOICES.includes(mode)) {
      throw new InvalidArgumentError(`onBadLines must be one of ${ON_BAD_LINES_CHOICES.join(', ')}, got ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
    this.warn = opts.onWarning ?? ((m: string) => void process.stderr.write(`warning: ${m}\n`));
    this.report = { file, rows: 0, badLines: 0, samples: [] };
  }

  /** Records a malformed row (or throws, under 'error'). */
  bad(loc: SourceLocation, problem: string): void {
    if (this.mode === 'error') throw new ParseError(loc, problem);
    this.report.badLines++;
    const entry: BadLine = { line: loc.line, problem };
    if (loc.column !== undefined) entry.column = loc.column;
    if (loc.text !== undefined) entry.text = loc.text;
    if (this.report.samples.length < MAX_SAMPLES) this.report.samples.push(entry);
    if (this.mode === 'warn') this.warn(new ParseError(loc, `${problem} (row skipped)`).message);
  }

  /** Hands the report to `onReport`. */
  finish(opts: BadLineOptions): ReadReport {
    opts.onReport?.(this.report);
    return this.report;
  }
}
