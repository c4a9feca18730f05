import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule of docs/ARCHITECTURE.md, checked on every source file: imports point down only.
 * Layers (low to high): core < data < text < recommenders/tabular < eval < report/serve < pipeline < cli.
 */
const root = dirname(fileURLToPath(import.meta.url));
const LAYER: Record<string, number> = { core: 0, data: 1, text: 2, recommenders: 3, tabular: 3, eval: 4, report: 5, serve: 5, pipeline: 6, cli: 7 };

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('test-support')) out.push(p);
  }
  return out;
}

function area(path: string): string {
  return relative(root, path).split(/[\\/]/)[0]!;
}

describe('architecture', () => {
  it('imports point down the layers only (core imports nothing of ours; data no model; models no serve/cli)', () => {
    const violations: string[] = [];
    for (const file of files(root)) {
      const from = area(file);
      const fromLayer = LAYER[from];
      if (fromLayer === undefined) continue;
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = area(resolve(dirname(file), m[1]!));
        const toLayer = LAYER[target];
        if (toLayer === undefined || target === from) continue;
        if (toLayer > fromLayer || (toLayer === fromLayer && target !== from)) {
          violations.push(`${relative(root, file)} imports ${m[1]} (${from} -> ${target})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
