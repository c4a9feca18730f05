import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../core/rng.js';
import { SCREENSHOT_DIR, browserSkipReason, launchBrowser } from '../core/test-support/browser.js';
import { buildProgram } from './main.js';

const skip = browserSkipReason();
if (skip !== undefined) console.log(`report browser tests skipped: ${skip}`);

/** The real MovieLens 100k: $RECKON_DATA/ml-100k, else ../shared/data/ml-100k beside the project root. */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ml100k = join(process.env['RECKON_DATA'] ?? resolve(projectRoot, '..', 'shared', 'data'), 'ml-100k');
const realSkip = existsSync(join(ml100k, 'u.data')) ? undefined : `no ${join(ml100k, 'u.data')} (set RECKON_DATA to the folder holding ml-100k)`;
if (skip === undefined && realSkip !== undefined) console.log(`report browser test on the real ml-100k skipped: ${realSkip}`);

/** A small MovieLens-100k-shaped u.data (tab-separated user, item, rating 1-5, timestamp) with planted taste groups. */
function writeSyntheticUData(path: string): void {
  const rng = new Rng(7);
  const lines: string[] = [];
  for (let u = 1; u <= 150; u++) {
    const group = u % 3;
    for (let e = 0; e < 20; e++) {
      const item = 1 + rng.int(120);
      const r = Math.max(1, Math.min(5, Math.round(3 + (item % 3 === group ? 1.5 : -1) + (rng.uniform() - 0.5) * 2)));
      lines.push(`${u}\t${item}\t${r}\t${880000000 + u * 100 + e}`);
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

describe.skipIf(skip !== undefined)('reports open offline in Chromium with every chart rendered', () => {
  let dir = '';
  let browser: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reckon-report-browser-'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a report with every non-file request refused; returns the chart count after checking each one. */
  async function openOffline(file: string, shot: string): Promise<number> {
    const page = await browser.context.newPage();
    const external: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    const charts = page.locator('figure.chart svg');
    const n = await charts.count();
    // every figure holds a chart (none left empty by a failed render)
    expect(await page.locator('figure.chart').count()).toBe(n);
    for (let i = 0; i < n; i++) {
      const svg = charts.nth(i);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await svg.locator('path').count()).toBeGreaterThan(2);
    }
    expect(external).toEqual([]);
    const path = join(SCREENSHOT_DIR, `${shot}.png`);
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(5000);
    await page.close();
    return n;
  }

  it('reckon evaluate --report on ml-100k-shaped data: comparison, per-fold, timing and learning-curve charts', async () => {
    const udata = join(dir, 'u.data');
    writeSyntheticUData(udata);
    const report = join(dir, 'rating.html');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['evaluate', '--data', udata, '--format', 'ml-100k', '--algo', 'baseline,svd', '--set', 'epochs=5', '--cv', '3', '--report', report], { from: 'user' });
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(readFileSync(report, 'utf8')).toContain('150'); // users in the data summary
    // comparison (RMSE, MAE) + per-fold x 2 + timing + SVD's learning curves (training RMSE per epoch, a line per fold)
    expect(await openOffline(report, 'report-rating')).toBe(6);
    expect(readFileSync(report, 'utf8')).toContain('svd fold 1');
  });

  /** Runs `reckon ARGS` in this process; returns stdout. */
  async function reckon(args: string[]): Promise<string> {
    let stdout = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
    try {
      await buildProgram().parseAsync(args, { from: 'user' });
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    return stdout;
  }

  it.skipIf(realSkip !== undefined)('reports of a real ml-100k evaluation (rating: baseline vs SVD, 3 folds; ranking: popular vs item-knn) render every chart offline', async () => {
    const rating = join(dir, 'ml-100k-rating.html');
    await reckon(['evaluate', '--data', ml100k, '--format', 'ml-100k', '--algo', 'baseline,svd', '--cv', '3', '--seed', '0', '--json', '--report', rating]);
    const ratingHtml = readFileSync(rating, 'utf8');
    for (const t of ['943', '1,682', '100,000', 'svd fold 3', 'trainRmse']) expect(ratingHtml).toContain(t);
    // comparison (RMSE, MAE) + per-fold x 2 + timing + SVD's learning curve
    expect(await openOffline(rating, 'report-ml-100k-rating')).toBe(6);

    const ranking = join(dir, 'ml-100k-ranking.html');
    const stdout = await reckon(['evaluate', '--task', 'ranking', '--data', ml100k, '--format', 'ml-100k', '--algo', 'popular,item-knn', '--json', '--report', ranking]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { algo: string; metrics: Record<string, number> });
    expect(lines.map((l) => l.algo)).toEqual(['popular', 'item-knn']);
    expect(lines[1]!.metrics['users']).toBe(943);
    const metrics = Object.keys(lines[0]!.metrics).filter((m) => m !== 'users').length;
    expect(readFileSync(ranking, 'utf8')).toContain('catalog coverage');
    // comparison (one chart per metric) + per algorithm: metric bars, popularity deciles, Lorenz curve
    expect(await openOffline(ranking, 'report-ml-100k-ranking')).toBe(metrics + 2 * 3);
  });

  it('reckon tabular evaluate --report: ROC, PR, calibration, confusion matrix, importance, per-fold bars, learning curves', async () => {
    const rng = new Rng(11);
    const lines = ['age,income,plan,churned'];
    for (let i = 0; i < 400; i++) {
      const age = 18 + rng.int(60);
      const plan = ['basic', 'pro', 'team'][rng.int(3)]!;
      const logit = -2 + 0.05 * (60 - age) + (plan === 'basic' ? 1 : 0) + rng.normal() * 0.5;
      lines.push(`${age},${Math.round(20 + rng.uniform() * 80)},${plan},${rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no'}`);
    }
    const csv = join(dir, 'churn.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    const file = join(dir, 'tabular.html');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['tabular', 'evaluate', '--data', csv, '--target', 'churned', '--algo', 'gbdt', '--set', 'nEstimators=30', '--cv', '3', '--report', file], { from: 'user' });
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    // per-fold 1 + ROC, PR, calibration, confusion 4 + importance 1 + learning curves (train and held-out log loss
    // per boosting round, a line per fold) 2
    expect(await openOffline(file, 'report-tabular')).toBe(8);
    const html = readFileSync(file, 'utf8');
    for (const t of ['held-out logloss', 'train logloss', 'boosting round']) expect(html).toContain(t);
  });

  it('reckon evaluate --task ranking --report: metric bars, popularity distribution and catalog coverage', async () => {
    const udata = join(dir, 'u-rank.data');
    writeSyntheticUData(udata);
    const file = join(dir, 'ranking.html');
    let stdout = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
    try {
      await buildProgram().parseAsync(['evaluate', '--task', 'ranking', '--data', udata, '--format', 'ml-100k', '--algo', 'popular,item-knn', '--json', '--report', file], { from: 'user' });
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    const metrics = Object.keys((JSON.parse(stdout.trim().split('\n')[0]!) as { metrics: Record<string, number> }).metrics).filter((m) => m !== 'users').length;
    expect(readFileSync(file, 'utf8')).toContain('catalog coverage');
    // comparison (one chart per metric) + per algorithm: metric bars, popularity deciles, Lorenz curve
    expect(await openOffline(file, 'report-ranking')).toBe(metrics + 2 * 3);
  });
});
