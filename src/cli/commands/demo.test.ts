import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';
import { runDemo } from '../demo/pipeline.js';
import { renderDemo } from './demo.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reckon demo', () => {
  it('walks the pipeline; baselines beat their floors; deterministic given the seed', async () => {
    const models = ['global-mean', 'bias-baseline', 'popularity'];
    const a = await runDemo({ out: join(dir, 'a'), seed: 3, users: 800, items: 300, models });
    expect(a.steps.map((s) => s.step)).toEqual(['generate', 'write', 'read', 'clean', 'split', 'train+eval']);
    for (const f of a.files) expect(existsSync(f.path)).toBe(true);
    const [mean, bias] = a.explicit.models;
    expect(bias!.rmse).toBeLessThan(mean!.rmse);
    expect(bias!.rmse).toBeGreaterThan(a.explicit.noiseFloorRmse);
    expect(a.explicit.train + a.explicit.test).toBe(a.explicit.matrix.nnz);
    expect(a.implicit.models[0]!.hitRate).toBeGreaterThan(2 * a.implicit.chanceHitRate);
    const b = await runDemo({ out: join(dir, 'b'), seed: 3, users: 800, items: 300, models });
    const figures = (r: typeof a) => [...r.explicit.models, ...r.implicit.models].map((m) => ({ ...m, fitMs: 0, evalMs: 0 }));
    expect(figures(b)).toEqual(figures(a));
    const text = renderDemo(a);
    expect(text).toContain('bias-baseline (demo)');
    expect(text).toContain('NDCG@10');
  });

  it('--json prints one parseable line', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      chunks.push(String(s));
      return true;
    });
    try {
      await buildProgram().parseAsync(['demo', '--out', join(dir, 'c'), '--users', '200', '--items', '80', '--seed', '1', '--json'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(chunks).toHaveLength(1);
    const report = JSON.parse(chunks[0]!) as { seed: number; explicit: { matrix: { users: number } } };
    expect(report.seed).toBe(1);
    expect(report.explicit.matrix.users).toBeLessThanOrEqual(200);
  });

  it('trains the default models (registered ones when present) on a small set', async () => {
    const r = await runDemo({ out: join(dir, 'e'), seed: 2, users: 300, items: 120 });
    expect(r.explicit.models.length).toBeGreaterThan(0);
    expect(r.implicit.models.length).toBeGreaterThan(0);
    for (const m of r.explicit.models) expect(m.rmse).toBeLessThan(1.5);
  });

  it('an unknown model is a clear error', async () => {
    await expect(runDemo({ out: join(dir, 'f'), seed: 1, users: 50, items: 30, models: ['no-such-model'] })).rejects.toThrow(/unknown algorithm "no-such-model"/);
  });

  it('a bad flag is a clear error', async () => {
    await expect(buildProgram().parseAsync(['demo', '--users', 'many', '--out', join(dir, 'd')], { from: 'user' })).rejects.toThrow('--users: expected an integer in [1, 2000000], got "many"');
  });
});
