import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../core/rng.js';
import { progressBar, progressStep } from './output.js';
import { runCli } from './test-support/run-cli.js';

/** A fake terminal: collects what a progress bar draws. */
function fakeStream(isTTY: boolean): { isTTY: boolean; text: string; write(s: string): boolean } {
  return {
    isTTY,
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

describe('progressBar', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws a bar with count, elapsed time and ETA on a TTY, and ends the line at the last unit', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const tty = fakeStream(true);
    const bar = progressBar(false, tty)!;
    bar({ step: 'read', done: 0, total: 100 });
    vi.setSystemTime(1_002_000);
    bar({ step: 'read', done: 50, total: 100, metrics: { rows: 1234 } });
    // half done after 2 s: 2 s to go
    expect(tty.text).toContain(`\rread       [${'#'.repeat(14)}${'.'.repeat(14)}] 50/100 2.0s eta 2.0s rows=1,234\x1b[K`);
    vi.setSystemTime(1_002_010);
    bar({ step: 'read', done: 60, total: 100 }); // within 80 ms of the last draw: skipped
    expect(tty.text).not.toContain('60/100');
    vi.setSystemTime(1_004_000);
    bar({ step: 'read', done: 100, total: 100 });
    expect(tty.text.endsWith(`[${'#'.repeat(28)}] 100/100 4.0s\x1b[K\n`)).toBe(true);
    // a new step starts its own line and clock; an unknown total shows the count only
    bar({ step: 'epoch', done: 3, total: 0 });
    expect(tty.text.endsWith('\repoch      [] 3 0.0s\x1b[K')).toBe(true);
  });

  it('is off without a TTY and with --json (quiet)', () => {
    expect(progressBar(false, fakeStream(false))).toBeUndefined();
    expect(progressBar(true, fakeStream(true))).toBeUndefined();
  });

  it('progressStep shows one indivisible unit of work as a one-unit step', async () => {
    const tty = fakeStream(true);
    expect(await progressStep(progressBar(false, tty), 'index', () => 42)).toBe(42);
    expect(tty.text).toContain('index      [............................] 0/1');
    expect(tty.text).toContain('1/1');
    expect(await progressStep(undefined, 'index', async () => 'no bar')).toBe('no bar');
  });
});

describe('progress bars of the CLI commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ml = join(dir, 'ml-100k');
  mkdirSync(ml);
  const rng = new Rng(5);
  const lines: string[] = [];
  for (let u = 1; u <= 60; u++) for (let e = 0; e < 15; e++) lines.push(`${u}\t${1 + rng.int(80)}\t${1 + rng.int(5)}\t${880000000 + u * 100 + e}`);
  writeFileSync(join(ml, 'u.data'), lines.join('\n') + '\n');
  const baskets = join(dir, 'baskets.csv');
  writeFileSync(baskets, Array.from({ length: 300 }, (_, b) => ['milk', 'bread', 'eggs', 'tea', 'jam'].filter((_, i) => (b >> i) & 1 || i === b % 5).join(',')).join('\n') + '\n');
  const catalog = join(dir, 'items.csv');
  writeFileSync(catalog, 'id,plot\na,space pirates and robots\nb,robots in space\nc,a quiet village romance\nd,romance and pirates\n');

  /** Runs reckon ARGS with stderr as a TTY (or not); returns what was drawn on stderr. */
  async function stderrOf(args: string[], isTTY: boolean): Promise<string> {
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    try {
      await runCli(args);
    } finally {
      spy.mockRestore();
      if (had !== undefined) Object.defineProperty(process.stderr, 'isTTY', had);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    return err;
  }

  /** The steps a bar drew (the word before the bar), in order of first appearance. */
  const steps = (err: string) => [...new Set([...err.matchAll(/\r(\S+)\s+\[/g)].map((m) => m[1]!))];

  it('evaluate and train read MovieLens files with a bar (bytes), then folds / epochs', async () => {
    const ev = await stderrOf(['evaluate', '--data', ml, '--format', 'ml-100k', '--algo', 'baseline', '--cv', '2'], true);
    expect(steps(ev)).toEqual(['read', 'fold']);
    const size = lines.join('\n').length + 1;
    expect(ev).toContain(`${size}/${size}`);
    const model = join(dir, 'svd');
    const tr = await stderrOf(['train', '--data', join(ml, 'u.data'), '--format', 'ml-100k', '--algo', 'svd', '--set', 'epochs=3', '--out', model], true);
    expect(steps(tr)).toEqual(['read', 'epoch']);
    // recommend: load (bytes of the weights) and score
    expect(steps(await stderrOf(['recommend', '--model', model, '--user', '3', '-k', '5'], true))).toEqual(['load', 'score']);
    // similar --model: load and score
    const knn = join(dir, 'item-knn');
    await stderrOf(['train', '--data', join(ml, 'u.data'), '--algo', 'item-knn', '--out', knn, '--json'], true);
    expect(steps(await stderrOf(['similar', '--model', knn, '--item', '3', '-k', '2'], true))).toEqual(['load', 'score']);
  });

  it('ranking evaluate: read, fit epochs when the model has them, evaluate (users scored); with --report the top-k lists', async () => {
    const err = await stderrOf(['evaluate', '--task', 'ranking', '--data', ml, '--format', 'ml-100k', '--algo', 'bpr', '--set', 'epochs=2'], true);
    expect(steps(err)).toEqual(['read', 'epoch', 'evaluate']);
    const rep = await stderrOf(['evaluate', '--task', 'ranking', '--data', ml, '--format', 'ml-100k', '--algo', 'bpr', '--set', 'epochs=2', '--report', join(dir, 'rank.html')], true);
    expect(steps(rep)).toEqual(['read', 'epoch', 'evaluate', 'lists']);
    const sampled = await stderrOf(['evaluate', '--task', 'ranking', '--data', ml, '--format', 'ml-100k', '--algo', 'popular', '--sampled-negatives', '20'], true);
    expect(steps(sampled)).toEqual(['read', 'evaluate', 'sampled']);
  });

  it('similar (read, profile, index, score) and bought-together (read, count, query)', async () => {
    const sim = await stderrOf(['similar', '--data', catalog, '--id-column', 'id', '--text-column', 'plot', '--item', 'a', '-k', '2'], true);
    expect(steps(sim)).toEqual(['read', 'profile', 'index', 'score']);
    const bt = await stderrOf(['bought-together', '--baskets', baskets, '--item', 'milk', '--item', 'tea'], true);
    expect(steps(bt)).toEqual(['read', 'count', 'query']);
    expect(bt).toContain('query      [############################] 2/2');
  });

  it('data inspect and tabular train / evaluate --report: read (bytes), then boosting rounds or folds', async () => {
    const table = join(dir, 'churn.csv');
    writeFileSync(table, 'age,plan,churned\n' + Array.from({ length: 120 }, (_, i) => `${20 + (i % 50)},${['a', 'b'][i % 2]},${(i * 7) % 3 === 0 ? 'yes' : 'no'}`).join('\n') + '\n');
    expect(steps(await stderrOf(['data', 'inspect', table], true))).toEqual(['read']);
    // convert: the read, then the write; JSON Lines and Parquet inputs report their reads too
    const jsonl = join(dir, 'churn.jsonl');
    expect(steps(await stderrOf(['data', 'convert', table, jsonl], true))).toEqual(['read', 'write']);
    const parquet = join(dir, 'churn.parquet');
    expect(steps(await stderrOf(['data', 'convert', jsonl, parquet], true))).toEqual(['read', 'write']);
    expect(steps(await stderrOf(['data', 'inspect', parquet], true))).toEqual(['read']);
    // a forest grown on worker threads moves its bar as chunks of trees finish
    expect(steps(await stderrOf(['tabular', 'train', '--data', table, '--target', 'churned', '--algo', 'forest', '--set', 'nEstimators=30', '--set', 'threads=2', '--out', join(dir, 'rf')], true))).toEqual(['read', 'trees']);
    const out = join(dir, 'gbdt');
    expect(steps(await stderrOf(['tabular', 'train', '--data', table, '--target', 'churned', '--algo', 'gbdt', '--set', 'nEstimators=5', '--out', out], true))).toEqual(['read', 'boost']);
    const report = join(dir, 'churn.html');
    // folds, then the extra fit on all rows for the importance chart
    expect(steps(await stderrOf(['tabular', 'evaluate', '--data', table, '--target', 'churned', '--algo', 'gbdt', '--set', 'nEstimators=5', '--cv', '2', '--report', report], true))).toEqual(['read', 'fold', 'boost']);
    expect(steps(await stderrOf(['tabular', 'predict', '--model', out, '--data', table, '--out', join(dir, 'p.csv')], true))).toEqual(['load', 'read']);
    // logistic regression: solver iterations (count and objective; no ETA, convergence decides the total)
    const lr = await stderrOf(['tabular', 'train', '--data', table, '--target', 'churned', '--algo', 'logistic', '--out', join(dir, 'lr')], true);
    expect(steps(lr)).toEqual(['read', 'iteration']);
    expect(lr).toMatch(/iteration {2}\[\] 1 \d+\.\ds objective=/);
    expect(lr.endsWith('\n')).toBe(true);
  });

  it('no bar with --json or when stderr is not a TTY', async () => {
    const cmds = [
      ['evaluate', '--data', ml, '--format', 'ml-100k', '--algo', 'baseline', '--cv', '2'],
      ['similar', '--data', catalog, '--id-column', 'id', '--text-column', 'plot', '--item', 'a', '-k', '2'],
      ['bought-together', '--baskets', baskets, '--item', 'milk'],
    ];
    for (const args of cmds) {
      expect(await stderrOf([...args, '--json'], true)).toBe('');
      expect(await stderrOf(args, false)).toBe('');
    }
  });
});
