import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../core/rng.js';
import { buildProgram } from '../main.js';

const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].filter((m) => m[0].includes('<path')).length;

describe('reckon tabular evaluate --report', () => {
  let dir = '';
  let csv = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reckon-tab-report-'));
    const rng = new Rng(9);
    const lines = ['age,income,plan,churned'];
    for (let i = 0; i < 300; i++) {
      const age = 18 + rng.int(60);
      const income = Math.round(20 + rng.uniform() * 80);
      const plan = ['basic', 'pro', 'team'][rng.int(3)]!;
      const logit = -2 + 0.04 * (60 - age) + (plan === 'basic' ? 1 : 0) + rng.normal() * 0.5;
      lines.push(`${age},${income},${plan},${rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no'}`);
    }
    csv = join(dir, 'churn.csv');
    await writeFile(csv, lines.join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes ROC, PR, calibration, confusion matrix, importance and per-fold charts for a binary gbdt', async () => {
    const file = join(dir, 'tab.html');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['tabular', 'evaluate', '--data', csv, '--target', 'churned', '--model', 'gbdt', '--set', 'nEstimators=20', '--cv', '3', '--json', '--report', file], { from: 'user' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const html = await readFile(file, 'utf8');
    for (const t of ['ROC (AUC', 'Precision-recall (AP', 'Calibration', 'Confusion matrix', 'Feature importance', 'positive rate']) expect(html).toContain(t);
    expect(html).toContain('<td>age</td>');
    // per-fold 1 + ROC, PR, calibration, confusion 4 + importance 1
    expect(svgs(html)).toBe(6);
  });
});
