import { ReckonError } from '../core/errors.js';
import type { ProgressEvent, ProgressFn } from '../core/progress.js';

/** Prints a value as one line of JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/**
 * True when output on `stream` is for a human terminal: a TTY, NO_COLOR unset, TERM not "dumb" (https://no-color.org).
 * Machine output (pipes, files, --json) never gets escape codes.
 */
export function useColour(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && (process.env['NO_COLOR'] ?? '') === '' && process.env['TERM'] !== 'dumb';
}

/** ANSI styles (applied only when `on`). */
export const style = {
  bold: (s: string, on: boolean) => (on ? `\x1b[1m${s}\x1b[22m` : s),
  dim: (s: string, on: boolean) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  red: (s: string, on: boolean) => (on ? `\x1b[31m${s}\x1b[39m` : s),
};

/** Renders rows as an aligned text table (numbers right-aligned); bold header and dim rule on a colour terminal. */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[], colour = useColour()): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: readonly string[], isHeader: boolean) =>
    r
      .map((c, j) => {
        const right = !isHeader && typeof rows[0]?.[j] === 'number';
        return right ? c.padStart(widths[j]!) : c.padEnd(widths[j]!);
      })
      .join('  ')
      .trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [style.bold(line(headers, true), colour), style.dim(sep, colour), ...cells.map((r) => line(r, false))].join('\n') + '\n';
}

/** Numbers for humans: integers with thousands separators, others to 4 significant decimals. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(1) : a >= 1 ? x.toFixed(4) : x.toPrecision(4);
}

/** Where a progress bar draws: stderr, or (tests) any stream with `isTTY` and `write`. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A progress bar on stderr with rate and ETA, one line per step (e.g. "read", "epoch", "score"): a 28-cell bar when
 * the total is known, done/total, elapsed seconds, "eta Ns" from the mean rate so far, and the event's metrics.
 * Disabled (returns undefined) when the stream is not a TTY or `quiet` is set (e.g. `--json`), so machine output
 * stays clean. Redraws at most every 80 ms, and always on a step's last unit.
 */
export function progressBar(quiet: boolean, stream: ProgressStream = process.stderr): ProgressFn | undefined {
  if (quiet || stream.isTTY !== true) return undefined;
  let step = '';
  let started = 0;
  let lastDraw = 0;
  return (e: ProgressEvent) => {
    const now = Date.now();
    if (e.step !== step) {
      if (step !== '') stream.write('\n');
      step = e.step;
      started = now;
      lastDraw = 0;
    }
    const finished = e.total > 0 && e.done >= e.total;
    if (now - lastDraw < 80 && !finished) return;
    lastDraw = now;
    const width = 28;
    const frac = e.total > 0 ? Math.min(1, e.done / e.total) : 0;
    const bar = e.total > 0 ? '#'.repeat(Math.round(frac * width)).padEnd(width, '.') : '';
    const elapsed = (now - started) / 1000;
    const eta = frac > 0 && !finished ? ` eta ${((elapsed / frac) * (1 - frac)).toFixed(1)}s` : '';
    const metrics = e.metrics ? ' ' + Object.entries(e.metrics).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ') : '';
    const count = e.total > 0 ? `${e.done}/${e.total}` : `${e.done}`;
    stream.write(`\r${step.padEnd(10)} [${bar}] ${count} ${elapsed.toFixed(1)}s${eta}${metrics}\x1b[K`);
    if (finished) {
      stream.write('\n');
      step = '';
    }
  };
}

/** `{ onProgress }` with a progress bar, or `{}` when bars are off (spread into run options). */
export function progressOption(quiet: boolean, stream?: ProgressStream): { onProgress?: ProgressFn } {
  const bar = progressBar(quiet, stream);
  return bar === undefined ? {} : { onProgress: bar };
}

/**
 * Runs one indivisible piece of work (a single query, building an index in one call) as a one-unit step of `bar`:
 * the bar shows the step started and, when it ends, how long it took (no ETA: there is no rate to go by).
 */
export async function progressStep<T>(bar: ProgressFn | undefined, step: string, work: () => T | Promise<T>): Promise<T> {
  bar?.({ step, done: 0, total: 1 });
  const out = await work();
  bar?.({ step, done: 1, total: 1 });
  return out;
}

/** Error exit: one line with the cause (and the stable code), exit code 1. Unexpected errors also print the stack when RECKON_DEBUG is set. */
export function handleFatal(e: unknown): never {
  if (e instanceof ReckonError) {
    process.stderr.write(`${style.red('reckon:', useColour(process.stderr))} ${e.message} [${e.code}]\n`);
  } else if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' && String((e as { code: string }).code).startsWith('commander.')) {
    process.exit((e as { exitCode?: number }).exitCode ?? 1);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`reckon: ${msg}\n`);
    if (process.env['RECKON_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  }
  process.exit(1);
}
