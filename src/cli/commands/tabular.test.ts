import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-tabular-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small churn-like CSV: id, a categorical, numbers (one blank), Yes/No target.
const rng = new Rng(3);
const lines = ['id,plan,tenure,charges,churn'];
for (let i = 0; i < 240; i++) {
  const plan = rng.float() < 0.5 ? 'monthly' : 'yearly';
  const tenure = Math.floor(rng.float() * 60);
  const churn = rng.float() < (plan === 'monthly' ? 0.6 : 0.15) * (tenure < 12 ? 1.4 : 0.6) ? 'Yes' : 'No';
  lines.push(`c${i},${plan},${tenure},${i === 4 ? ' ' : (tenure * 40).toFixed(1)},${churn}`);
}
const csv = join(dir, 'churn.csv');
writeFileSync(csv, lines.join('\n') + '\n');

describe('reckon tabular', () => {
  it('evaluate --json gives {metrics: {auc: {mean, std, folds}}}', async () => {
    const res = JSON.parse(await runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--algo', 'gbdt', '--set', 'nEstimators=20', '--set', 'threads=1', '--cv', '3', '--metrics', 'auc,logloss', '--seed', '1', '--json'])) as {
      metrics: Record<string, { mean: number; std: number; folds: number[] }>;
      features: number;
    };
    expect(res.metrics['auc'].folds.length).toBe(3);
    expect(res.metrics['auc'].mean).toBeGreaterThan(0.6);
    expect(res.metrics['logloss'].mean).toBeGreaterThan(0);
    expect(res.features).toBe(3); // id dropped
  });

  it('train then predict writes labels and probabilities', async () => {
    const out = join(dir, 'model');
    await runCli(['tabular', 'train', '--data', csv, '--target', 'churn', '--algo', 'logistic', '--out', out]);
    const pred = JSON.parse(await runCli(['tabular', 'predict', '--model', out, '--data', csv, '--json'])) as { columns: string[]; rows: (string | number)[][] };
    expect(pred.columns).toEqual(['prediction', 'p_No', 'p_Yes']);
    expect(pred.rows.length).toBe(240);
    expect(['Yes', 'No']).toContain(pred.rows[0][0]);
  });

  it('bad input: unknown target and unknown param are clear errors', async () => {
    await expect(runCli(['tabular', 'evaluate', '--data', csv, '--target', 'Churn', '--model', 'gbdt'])).rejects.toThrow(/target column "Churn" does not exist/);
    await expect(runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--model', 'gbdt', '--set', 'depth=3'])).rejects.toThrow(/unknown param "depth"/);
    await expect(runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--model', 'ridge'])).rejects.toThrow(/does not do classification/);
  });

  it('--algo names the model (as in evaluate/train/tune); --model NAME is still read as its older spelling', async () => {
    await expect(runCli(['tabular', 'train', '--data', csv, '--target', 'churn', '--out', join(dir, 'x')])).rejects.toThrow(/--algo <name> is required/);
    await expect(runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--algo', 'gbdt', '--model', 'logistic'])).rejects.toThrow(/--algo "gbdt" and --model "logistic" disagree/);
    const viaModel = JSON.parse(await runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--model', 'logistic', '--cv', '2', '--json'])) as { model: string; metrics: unknown };
    const viaAlgo = JSON.parse(await runCli(['tabular', 'evaluate', '--data', csv, '--target', 'churn', '--algo', 'logistic', '--cv', '2', '--json'])) as { model: string; metrics: unknown };
    expect(viaModel.model).toBe('logistic');
    expect(viaAlgo.metrics).toEqual(viaModel.metrics);
  });
});
