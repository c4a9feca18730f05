import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../recommenders/index.js';
import { SCREENSHOT_DIR, browserSkipReason, launchBrowser } from '../../core/test-support/browser.js';
import { bootstrap, trainAndPublish } from '../bootstrap.js';
import { type RunningServer, embeddedPaths, openContext, startServer } from '../server.js';

const skip = browserSkipReason();
if (skip !== undefined) console.log(`dashboard browser tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('dashboard in Chromium against a server with demo data', () => {
  let dir = '';
  let server: RunningServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  let first = '';
  let second = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reckon-dash-'));
    const paths = embeddedPaths(dir);
    const ctx = await openContext({ ...paths, cache: 'memory' });
    await bootstrap(ctx, { seedDemo: true, train: true });
    first = ctx.registry.activeModel()!.info.version;
    // A second published version in the same slot (activated), so the first can be activated from the page.
    second = (await trainAndPublish(ctx, 'popular'))!.version;
    server = await startServer({ port: 0, host: '127.0.0.1', logger: false, ...paths }, ctx);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(5000);
  };
  const api = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${server.url}${path}`, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('overview shows users, items, events, cache hit ratio, p99 and the events chart', async () => {
    const stats = (await api('/v1/stats')).body as { users: number; items: number };
    expect(stats.users).toBeGreaterThan(10);
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid=stat-users] .value').filter({ hasText: stats.users.toLocaleString('en-US') }).waitFor();
    await expect(page.locator('[data-testid=stat-items] .value').textContent()).resolves.toBe(stats.items.toLocaleString('en-US'));
    const events = Number((await page.locator('[data-testid=stat-events] .value').textContent())!.replace(/,/g, ''));
    expect(events).toBeGreaterThan(1000);
    expect(await page.locator('[data-testid=stat-p99] .value').textContent()).toMatch(/ms$/);
    expect(await page.locator('[data-testid=events-chart] rect').count()).toBe(24);
    await shot('dashboard-overview');
  });

  it('user -> recommendation -> item, with the user page refreshing live as events arrive', async () => {
    await page.locator('.user-link').first().click();
    await page.locator('[data-testid=recommendations] .rec-link').first().waitFor();
    expect(page.url()).toMatch(/#\/users\/./);
    const user = decodeURIComponent(page.url().split('#/users/')[1]!);
    expect(await page.locator('[data-testid=recommendations] tbody tr').count()).toBe(10);
    expect(await page.locator('[data-testid=history] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=recommendations] .reason').count()).toBeGreaterThan(0);
    await shot('dashboard-user');

    // An event arrives from elsewhere: the page shows it without a reload.
    const items = (await api('/v1/items?limit=1000')).body['items'] as { id: string }[];
    const seen = new Set(((await api(`/v1/users/${encodeURIComponent(user)}/history?limit=1000`)).body['items'] as { item: string }[]).map((x) => x.item));
    const fresh = items.map((x) => x.id).find((id) => !seen.has(id))!;
    const posted = await api('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [{ user, item: fresh, type: 'purchase', timestamp: '2027-01-01T00:00:00Z' }] }) });
    expect(posted.status).toBe(200);
    await page.locator('[data-testid=history] tbody tr').first().locator('a', { hasText: fresh }).waitFor({ timeout: 10_000 });

    const rec = page.locator('[data-testid=recommendations] .rec-link').first();
    const item = (await rec.textContent())!;
    await rec.click();
    await page.locator('[data-testid=item-title]').filter({ hasText: item }).waitFor();
    await page.locator('[data-testid=similar] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid=bought-together]').count()).toBe(1);
    await shot('dashboard-item');
  });

  it('models: activate a version from the page', async () => {
    await page.goto(`${server.url}/#/models`);
    const row = page.locator(`[data-testid=models] tr[data-version=${first}]`);
    await row.waitFor();
    await row.locator('button.activate').click();
    await page.locator('[data-testid=message]').filter({ hasText: `${first} is now active` }).waitFor();
    await page.locator(`[data-testid=models] tr[data-version=${first}] .badge.active`).waitFor();
    const models = (await api('/v1/models')).body['models'] as { version: string; slot: string; active: boolean }[];
    expect(models.find((m) => m.active && m.slot === 'recommender')?.version).toBe(first);
    await shot('dashboard-models');
  });

  it('pipelines: empty state, then runs with task status and logs; A/B tests show variants, CTR and significance', async () => {
    await page.goto(`${server.url}/#/pipelines`);
    await page.locator('[data-testid=empty]').filter({ hasText: 'no pipeline runs yet' }).waitFor();
    // With run records in the store: the run list, the task chain (DAG status) and the logs.
    const t0 = Date.UTC(2026, 0, 2);
    const run = { id: 'run-1', pipeline: 'retrain', status: 'failed', startedAt: t0, finishedAt: t0 + 4000, data: { error: 'gate: ndcg below the active model' } };
    const tasks = [
      { task: 'extract', status: 'succeeded', attempts: 1, startedAt: t0, finishedAt: t0 + 1000, data: { logs: ['read 10000 events'], metrics: { events: 10000 } } },
      { task: 'train', status: 'succeeded', attempts: 1, startedAt: t0 + 1000, finishedAt: t0 + 3000, data: { logs: ['als fitted in 2.0 s'], metrics: {} } },
      { task: 'gate', status: 'failed', attempts: 2, startedAt: t0 + 3000, finishedAt: t0 + 4000, data: { logs: ['attempt 1 failed'], error: 'ndcg below the active model' } },
    ];
    Object.assign(server.ctx.store, { listPipelineRuns: async () => [run], getPipelineRun: async (id: string) => (id === run.id ? run : undefined), listPipelineTasks: async () => tasks });
    await page.reload();
    await page.locator('[data-testid=runs] .run-link').first().click();
    await page.locator('[data-testid=dag] .task').nth(2).waitFor();
    expect(await page.locator('[data-testid=dag] .task.status-failed').count()).toBe(1);
    expect(await page.locator('pre.logs').first().textContent()).toBe('read 10000 events');
    await shot('dashboard-pipeline-run');

    await page.goto(`${server.url}/#/experiments`);
    await page.locator('[data-testid=empty]').filter({ hasText: 'no A/B tests running' }).waitFor();
    const started = await api('/v1/experiments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'als-vs-popular', control: first, treatment: second, treatmentPercent: 50 }) });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    for (const u of (await api('/v1/users?limit=20')).body['users'] as string[]) await api(`/v1/users/${encodeURIComponent(u)}/recommendations`);
    await page.reload();
    await page.locator('[data-testid=experiment] tbody tr').nth(1).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/significant at 95%/);
    await shot('dashboard-experiments');
  });

  it('with API keys: nothing without a key, reads and writes once the write key is entered', async () => {
    const keyed = await startServer({ port: 0, host: '127.0.0.1', logger: false, apiKeys: [{ key: 'admin-key-123', scopes: ['read', 'write'], name: 'admin' }] }, server.ctx);
    try {
      await page.goto(`${keyed.url}/#/models`);
      await page.locator('[data-testid=empty]').filter({ hasText: 'requires an API key' }).waitFor();
      await page.fill('#apikey', 'admin-key-123');
      await page.click('#keyform button');
      await page.locator(`[data-testid=models] tr[data-version=${second}] button.activate`).click();
      await page.locator('[data-testid=message]').filter({ hasText: `${second} is now active` }).waitFor();
      // A wrong key is refused with the server's message.
      await page.fill('#apikey', 'wrong-key-000');
      await page.click('#keyform button');
      await page.locator('[data-testid=empty]').filter({ hasText: 'unknown API key' }).waitFor();
      await page.fill('#apikey', '');
      await page.click('#keyform button');
    } finally {
      await keyed.app.close();
    }
  });

  it('raised no script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
