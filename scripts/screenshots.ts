/**
 * Regenerates docs/img/dashboard.png and docs/img/report.png (run: npx tsx scripts/screenshots.ts).
 *
 * The dashboard shot is a server with the demo data set (ALS trained at first start) on a user's page; the report
 * shot is `reckon evaluate --report` comparing baseline and SVD on MovieLens 100k when $RECKON_DATA/ml-100k exists
 * (default ../shared/data), else on a synthetic ml-100k-shaped file. Needs Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildProgram } from '../src/cli/main.js';
import { Rng } from '../src/core/rng.js';
import { browserSkipReason, launchBrowser } from '../src/core/test-support/browser.js';
import '../src/recommenders/index.js';
import { bootstrap } from '../src/serve/bootstrap.js';
import { embeddedPaths, openContext, startServer } from '../src/serve/server.js';

const outDir = resolve('docs', 'img');
const skip = browserSkipReason();
if (skip !== undefined) {
  console.error(`screenshots: ${skip}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'reckon-shots-'));
const browser = await launchBrowser();

try {
  // Dashboard
  const paths = embeddedPaths(work);
  const ctx = await openContext({ ...paths, cache: 'memory' });
  await bootstrap(ctx, { seedDemo: true, train: true });
  const server = await startServer({ port: 0, host: '127.0.0.1', logger: false, ...paths }, ctx);
  const users = ((await (await fetch(`${server.url}/v1/users?limit=30`)).json()) as { users: string[] }).users;
  for (let r = 0; r < 2; r++) for (const u of users) await fetch(`${server.url}/v1/users/${encodeURIComponent(u)}/recommendations`);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.url}/#/users/${encodeURIComponent(users[3] ?? users[0]!)}`);
  await page.locator('[data-testid=recommendations] .rec-link').first().waitFor();
  await page.screenshot({ path: join(outDir, 'dashboard.png') });
  await page.goto(`${server.url}/#/`);
  await page.locator('[data-testid=events-chart]').waitFor();
  await page.screenshot({ path: join(outDir, 'dashboard-overview.png') });
  await server.close();

  // Report
  const dataRoot = process.env['RECKON_DATA'] ?? resolve('..', 'shared', 'data');
  let udata = join(dataRoot, 'ml-100k', 'u.data');
  if (!existsSync(udata)) {
    udata = join(work, 'u.data');
    const rng = new Rng(7);
    const lines: string[] = [];
    for (let u = 1; u <= 300; u++) for (let e = 0; e < 30; e++) lines.push(`${u}\t${1 + rng.int(200)}\t${1 + rng.int(5)}\t${880000000 + u * 100 + e}`);
    writeFileSync(udata, lines.join('\n') + '\n');
  }
  const report = join(work, 'report.html');
  await buildProgram().parseAsync(['evaluate', '--data', udata, '--format', 'ml-100k', '--algo', 'baseline,svd', '--cv', '3', '--report', report], { from: 'user' });
  await page.setViewportSize({ width: 1100, height: 1400 });
  await page.goto(pathToFileURL(report).href);
  await page.locator('figure.chart svg').first().waitFor();
  await page.screenshot({ path: join(outDir, 'report.png') });
  for (const f of ['dashboard.png', 'dashboard-overview.png', 'report.png']) console.log(`${join('docs', 'img', f)}: ${Math.round(statSync(join(outDir, f)).size / 1024)} KB`);
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
