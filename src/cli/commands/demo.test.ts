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
    const a = await runDemo({ out: join(dir, 'a'), seed: 3, users: 800, items: 300 });
    expect(a.steps.map((s) => s.step)).toEqual(['generate', 'write', 'read', 'clean', 'split', 'train', 'evaluate']);
    for (const f of a.files) expect(existsSync(f.path)).toBe(true);
    const [mean, bias] = a.explicit.models;
    expect(bias!.rmse).toBeLessThan(mean!.rmse);
    expect(bias!.rmse).toBeGreaterThan(a.explicit.noiseFloorRmse);
    expect(a.explicit.train + a.explicit.test).toBe(a.explicit.matrix.nnz);
    expect(a.implicit.models[0]!.hitRate).toBeGreaterThan(2 * a.implicit.chanceHitRate);
    const b = await runDemo({ out: join(dir, 'b'), seed: 3, users: 800, items: 300 });
    expect(b.explicit.models).toEqual(a.explicit.models);
    expect(b.implicit.models).toEqual(a.implicit.models);
    const text = renderDemo(a);
    expect(text).toContain('bias-baseline');
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

  it('a bad flag is a clear error', async () => {
    await expect(buildProgram().parseAsync(['demo', '--users', 'many', '--out', join(dir, 'd')], { from: 'user' })).rejects.toThrow('--users: expected an integer in [1, 2000000], got "many"');
  });
});
