import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArtifact } from '../core/artifact.js';
import { Rng } from '../core/rng.js';
import { LogisticRegression } from '../tabular/linear/logistic.js';
import { buildApp } from './app.js';
import { type Harness, makeHarness } from './test-support/harness.js';
import { rowsToFrame, tabularFromDir } from './tabular.js';

describe('tabular predictions from the models dir', () => {
  let h: Harness;
  let model: LogisticRegression;
  beforeAll(async () => {
    h = await makeHarness();
    const rng = new Rng(5);
    const rows = Array.from({ length: 300 }, () => ({ tenure: rng.uniform() * 72, charges: 20 + rng.uniform() * 100 }));
    const y = rows.map((r) => (r.tenure < 12 + rng.normal() * 6 ? 1 : 0));
    model = await new LogisticRegression().fit(rowsToFrame(rows), y);
    await saveArtifact(join(h.dir, 'models', 'tabular', 'churn'), model.toArtifact());
  });
  afterAll(async () => h.close());

  it('POST /v1/predictions/{model} answers the saved model\'s probabilities; unknown names are 404', async () => {
    const app = await buildApp({ service: h.ctx.service, security: { loopbackOnly: true }, logger: false, docs: false, tabular: tabularFromDir(join(h.dir, 'models')) });
    const rows = [{ tenure: 2, charges: 90 }, { tenure: 60, charges: 30 }];
    const r = await app.inject({ method: 'POST', url: '/v1/predictions/churn', payload: { rows } });
    expect(r.statusCode).toBe(200);
    const p = (r.json() as { probabilities: number[] }).probabilities;
    const expected = model.predictProba(rowsToFrame(rows));
    // the route answers P(class 1): column 1 of the model's rows x 2 output
    expect(p[0]).toBeCloseTo(expected[1]!, 10);
    expect(p[1]).toBeCloseTo(expected[3]!, 10);
    expect(p[0]!).toBeGreaterThan(p[1]!);
    expect((await app.inject({ method: 'POST', url: '/v1/predictions/nope', payload: { rows } })).statusCode).toBe(404);
    const bad = await app.inject({ method: 'POST', url: '/v1/predictions/churn', payload: { rows: [{ other: 1 }] } });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });
});
