import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from './registry.js';
import { testLoader } from './test-support/harness.js';
import { TestFactorModel } from './test-support/factors.js';

const art = (seed: number) => TestFactorModel.random(12, 3, seed).toArtifact();
const open = (dir: string) => ModelRegistry.open(dir, testLoader);

describe('ModelRegistry across processes (two instances on one folder)', () => {
  it('concurrent publishers get distinct versions and neither loses the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-reg-'));
    const a = await open(dir);
    const b = await open(dir); // opened before any publish: its in-memory copy is stale from the start
    const infos = await Promise.all([1, 2, 3, 4].map((s) => (s % 2 === 0 ? a : b).publish('recommender', art(s))));
    expect(new Set(infos.map((i) => i.version)).size).toBe(4);
    const file = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { next: number; versions: { version: string }[] };
    expect(file.versions.map((v) => v.version).sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(file.next).toBe(5);
    for (const i of infos) expect(existsSync(join(dir, i.path, 'model.json'))).toBe(true);
    // no staging folders or lock left behind
    expect(readdirSync(join(dir, 'recommender')).sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(existsSync(join(dir, 'registry.lock'))).toBe(false);
  });

  it('activate and rollback act on the latest file, not a stale in-memory copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-reg-'));
    const a = await open(dir);
    const b = await open(dir);
    const v1 = await a.publish('recommender', art(1), { activate: true });
    const v2 = await a.publish('recommender', art(2));
    // b has never seen v1 or v2, yet can activate v2, and the history it writes keeps a's activation of v1
    await b.activate(v2.version);
    let file = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { slots: Record<string, { active: string; history: string[] }>; versions: unknown[] };
    expect(file.slots['recommender']).toEqual({ active: 'v2', history: ['v1'] });
    expect(file.versions).toHaveLength(2);
    expect(b.activeModel()?.info.version).toBe('v2');
    // a rolls back from its stale view (it thinks v1 is active): the rollback is of b's activation
    const back = await a.rollback();
    expect(back.version).toBe(v1.version);
    file = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as typeof file;
    expect(file.slots['recommender']).toEqual({ active: 'v1', history: [] });
    expect(await b.refresh()).toEqual(['recommender']);
    expect(b.activeModel()?.info.version).toBe('v1');
  });

  it('publishing again with the same key returns the first version (a retried pipeline task publishes once)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-reg-'));
    const a = await open(dir);
    const first = await a.publish('recommender', art(1), { activate: true, key: 'retrain:run-7' });
    const b = await open(dir);
    const again = await b.publish('recommender', art(2), { activate: true, key: 'retrain:run-7' });
    expect(again.version).toBe(first.version);
    const other = await b.publish('recommender', art(3), { key: 'retrain:run-8' });
    expect(other.version).toBe('v2');
    expect(b.list().map((v) => v.version)).toEqual(['v1', 'v2']);
    expect(readdirSync(join(dir, 'recommender')).sort()).toEqual(['v1', 'v2']);
  });
});
