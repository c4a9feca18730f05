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

  async function report(model: string, sets: string[]): Promise<string> {
    const file = join(dir, `${model}.html`);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['tabular', 'evaluate', '--data', csv, '--target', 'churned', '--algo', model, ...sets.flatMap((s) => ['--set', s]), '--cv', '3', '--json', '--report', file], { from: 'user' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    return readFile(file, 'utf8');
  }

  it('writes ROC, PR, calibration, confusion matrix, importance, per-fold and learning-curve charts for a binary gbdt', async () => {
    const html = await report('gbdt', ['nEstimators=20']);
    for (const t of ['ROC (AUC', 'Precision-recall (AP', 'Calibration', 'Confusion matrix', 'Feature importance', 'positive rate']) expect(html).toContain(t);
    expect(html).toContain('<td>age</td>');
    // learning curves: train and held-out log loss per boosting round, one line per fold
    expect(html).toContain('Learning curves');
    for (const t of ['train logloss', 'held-out logloss', 'boosting round', 'fold 3']) expect(html).toContain(t);
    // per-fold 1 + ROC, PR, calibration, confusion 4 + importance 1 + learning curves 2
    expect(svgs(html)).toBe(8);
  });

  it('draws the objective per solver iteration for logistic regression', async () => {
    const html = await report('logistic', []);
    for (const t of ['Learning curves', 'objective', 'iteration']) expect(html).toContain(t);
    // per-fold 1 + ROC, PR, calibration, confusion 4 + learning curve 1 (no importances)
    expect(svgs(html)).toBe(6);
  });

  it('draws held-out error against the number of trees for a random forest', async () => {
    const html = await report('forest', ['nEstimators=12']);
    for (const t of ['Learning curves', 'held-out error rate', 'trees']) expect(html).toContain(t);
    // per-fold 1 + ROC, PR, calibration, confusion 4 + importance 1 + learning curve 1
    expect(svgs(html)).toBe(7);
  });
});
