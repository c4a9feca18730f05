import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Experiments, twoProportionZ } from './abtest.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

const exp = { name: 'e1', slot: 'recommender', control: 'v1', treatment: 'v2', treatmentPercent: 50 };

async function serveAndClick(x: Experiments, users: number, clickEvery: number): Promise<void> {
  for (let u = 0; u < users; u++) {
    const a = x.assign('recommender', `u${u}`)!;
    x.impression(a.experiment.name, a.variant);
    if (u % clickEvery === 0) x.click(`${a.experiment.name}~${a.variant}~n${u}`);
  }
}

describe('A/B counts in the store', () => {
  it('survive a restart and add up across server instances', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reckon-ab-'));
    const store = new SqliteStore(join(dir, 's.db'));
    const a = await Experiments.open(dir, { store, flushMs: 60_000 });
    await a.start(exp);
    const b = await Experiments.open(dir, { store, flushMs: 60_000 }); // a second instance sees the running test
    await serveAndClick(a, 100, 4);
    await serveAndClick(b, 60, 3);
    // before any flush each instance sees its own counts only
    const ra = await a.results('e1');
    expect(ra.control.impressions + ra.treatment.impressions).toBe(100);
    await a.flush();
    await b.close();
    const both = await a.results('e1');
    expect(both.control.impressions + both.treatment.impressions).toBe(160);
    expect(both.control.clicks + both.treatment.clicks).toBe(25 + 20);
    await a.close();
    // a restarted instance reads them back
    const c = await Experiments.open(dir, { store });
    expect(await c.results('e1')).toEqual(both);
    await c.close();
    store.close();
  });

  it('restarting an experiment starts its counts from zero', async () => {
    const store = new SqliteStore(':memory:');
    const x = await Experiments.open(undefined, { store, flushMs: 60_000 });
    await x.start(exp);
    await serveAndClick(x, 10, 1);
    await x.flush();
    await new Promise((r) => setTimeout(r, 2)); // a later start time
    await x.start(exp);
    const r = await x.results('e1');
    expect(r.control.impressions + r.treatment.impressions).toBe(0);
    await x.close();
  });

  it('a failed flush keeps the counts and the next one stores them', async () => {
    const real = new SqliteStore(':memory:');
    let fail = true;
    const errors: unknown[] = [];
    const flaky = new Proxy(real, {
      get(t, p, r) {
        if (p === 'addExperimentCounts' && fail) return () => Promise.reject(new Error('store down'));
        const v = Reflect.get(t, p, r) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    }) as Store;
    const x = await Experiments.open(undefined, { store: flaky, flushMs: 60_000, onFlushError: (e) => errors.push(e) });
    await x.start(exp);
    await serveAndClick(x, 20, 2);
    await x.flush();
    expect(errors).toHaveLength(1);
    expect(await real.experimentCounts(`e1@${x.byName('e1').startedAt}`)).toEqual({});
    await serveAndClick(x, 20, 2);
    fail = false;
    await x.flush();
    const stored = await real.experimentCounts(`e1@${x.byName('e1').startedAt}`);
    expect((stored['control']?.impressions ?? 0) + (stored['treatment']?.impressions ?? 0)).toBe(40);
    expect((stored['control']?.clicks ?? 0) + (stored['treatment']?.clicks ?? 0)).toBe(20);
    await x.close();
  });

  it('two-proportion z-test matches a hand-computed case', () => {
    // 100/1000 vs 130/1000: p = 0.115, se = sqrt(0.115 * 0.885 * 0.002) = 0.014267, z = 0.03 / se = 2.1028
    const { z, pValue } = twoProportionZ(100, 1000, 130, 1000);
    expect(z).toBeCloseTo(2.1028, 3);
    expect(pValue).toBeCloseTo(0.0355, 3);
  });
});
