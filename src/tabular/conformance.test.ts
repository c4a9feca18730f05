import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../core/artifact.js';
import { NotFittedError, SchemaError, UnknownParamError } from '../core/errors.js';
import { Frame, encodeStrings, numericColumn } from '../data/frame.js';
import type { TabularTask } from './base.js';
import { fromRows } from './matrix.js';
import type { Pipeline } from './preprocess/pipeline.js';
import { createTabularModel, defaultPipeline, listTabularAlgorithms, loadTabularModel } from './registry.js';
import { syntheticTabular } from './testing.js';

// One suite, every registered tabular model and task (scikit-learn's check_estimator idea).
const dir = mkdtempSync(join(tmpdir(), 'reckon-tabular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frameData(task: TabularTask, n: number, seed: number, missing = 0.05): { X: Frame; y: Float64Array } {
  const { X, y } = syntheticTabular(task === 'classification' ? 'binary' : 'regression', n, 3, seed, missing);
  const cols = [0, 1, 2].map((j) => numericColumn(`f${j}`, Float64Array.from({ length: n }, (_, i) => X.data[i * 3 + j])));
  const cat = encodeStrings('color', Array.from({ length: n }, (_, i) => (y[i] > 0.5 && i % 4 !== 0 ? 'red' : i % 3 === 0 ? 'blue' : 'green')));
  return { X: new Frame([...cols, cat]), y };
}

const small = { nEstimators: 8, threads: 1 };

for (const algo of listTabularAlgorithms()) {
  for (const task of Object.keys(algo.tasks) as TabularTask[]) {
    const params: Record<string, unknown> = algo.name === 'forest' || algo.name === 'gbdt' ? small : {};
    describe(`conformance: ${algo.name} (${task})`, () => {
      it('rejects unknown params and bad values; predict before fit is NotFitted', () => {
        expect(() => createTabularModel(algo.name, task, { nope: 1 })).toThrow(UnknownParamError);
        const anySpec = Object.entries(algo.tasks[task]?.specs ?? {}).find(([, s]) => s.type === 'integer' || s.type === 'number');
        if (anySpec) expect(() => createTabularModel(algo.name, task, { [anySpec[0]]: 'x' })).toThrow(/must be/);
        expect(() => createTabularModel(algo.name, task, params).predict(fromRows([[1, 2, 3]]))).toThrow(NotFittedError);
      });

      it('is deterministic for a seed and survives a save/load round trip', async () => {
        const { X, y } = syntheticTabular(task === 'classification' ? 'binary' : 'regression', 300, 3, 1);
        const a = await createTabularModel(algo.name, task, params).fit(X, y, { seed: 5 });
        const b = await createTabularModel(algo.name, task, params).fit(X, y, { seed: 5 });
        const pa = task === 'classification' ? a.predictProba(X) : a.predict(X);
        expect([...(task === 'classification' ? b.predictProba(X) : b.predict(X))]).toEqual([...pa]);
        const out = join(dir, `${algo.name}-${task}`);
        await saveArtifact(out, a.toArtifact());
        const back = loadTabularModel(await loadArtifact(out));
        expect([...(task === 'classification' ? back.predictProba(X) : back.predict(X))]).toEqual([...pa]);
      });

      it('handles missing values (natively or through the default pipeline) and unseen categories', async () => {
        const { X, y } = frameData(task, 300, 2);
        const pipe = defaultPipeline(algo.name, task, X, params);
        await pipe.fit(X, y);
        const test = new Frame([
          numericColumn('f0', Float64Array.of(NaN, 0.5)),
          numericColumn('f1', Float64Array.of(0.1, NaN)),
          numericColumn('f2', Float64Array.of(0, 0)),
          encodeStrings('color', ['purple', null]),
        ]);
        const p = pipe.predict(test);
        expect(p.length).toBe(2);
        for (const v of p) expect(Number.isFinite(v)).toBe(true);
        const back = loadTabularModel(pipe.toArtifact()) as Pipeline;
        expect([...back.predict(test)]).toEqual([...p]);
        // Direct use: trees take NaN; linear models say which column needs imputing.
        const m = syntheticTabular(task === 'classification' ? 'binary' : 'regression', 200, 3, 3, 0.1);
        if (algo.linear) await expect(createTabularModel(algo.name, task, params).fit(m.X, m.y)).rejects.toThrow(/feature column "x0" has a missing value/);
        else expect((await createTabularModel(algo.name, task, params).fit(m.X, m.y)).predict(fromRows([[NaN, NaN, NaN]])).length).toBe(1);
      });

      it('bad input: all-NaN feature, extra columns at predict, single class', async () => {
        const { X, y } = frameData(task, 100, 4, 0);
        const allNaN = X.withColumn(numericColumn('empty', new Float64Array(100).fill(NaN)));
        await expect(createTabularModel(algo.name, task, params).fit(allNaN, y)).rejects.toThrow(/feature column "empty" is missing \(NaN\) in every row/);
        const num = X.drop(['color']);
        const m = await createTabularModel(algo.name, task, params).fit(num, y);
        expect(() => m.predict(num.withColumn(numericColumn('extra', new Float64Array(100))))).toThrow(/column "extra" was not seen at fit/);
        expect(() => m.predict(fromRows([[1, 2, 3, 4]]))).toThrow(/4 feature columns but the model was fitted on 3/);
        if (task === 'classification') {
          await expect(createTabularModel(algo.name, task, params).fit(num, new Float64Array(100).fill(1), { targetName: 'Churn' })).rejects.toThrow(/target column "Churn" has a single class/);
        }
        const bad = num.withColumn(encodeStrings('f0', ['oops', ...Array.from({ length: 99 }, () => '1')]));
        expect(() => m.predict(bad)).toThrow(SchemaError);
      });
    });
  }
}
