import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, UnknownParamError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { Interactions } from '../../data/interactions.js';
import { getAlgorithm } from '../registry.js';
import './registry.js';
import { wasmSgdAvailable } from './sgd-wasm.js';
import { SVD } from './svd.js';
import { holdOut, plantedRatings } from './test-support/conformance.js';

function heldOutRmse(m: SVD, test: Interactions): number {
  let s = 0;
  for (let u = 0; u < test.nUsers; u++) {
    for (let k = test.indptr[u]!; k < test.indptr[u + 1]!; k++) {
      const d = m.predictIndex(u, test.indices[k]!) - test.values[k]!;
      s += d * d;
    }
  }
  return Math.sqrt(s / test.nnz);
}

describe('SVD', () => {
  it('recovers a planted low-rank set to near the noise floor on held-out ratings', async () => {
    const { data, noise } = plantedRatings({ users: 300, items: 200, rank: 3, density: 0.35, noise: 0.3, seed: 5 });
    const { train, test } = holdOut(data, 5);
    const m = await new SVD({ factors: 10, epochs: 60, learningRate: 0.01, regularization: 0.05, ratingMin: -10, ratingMax: 20 }).fit(train);
    const rmse = heldOutRmse(m, test);
    // noise floor 0.30; a model that ignores the factors (biases only) sits near 0.55 on this set
    expect(rmse).toBeLessThan(noise * 1.2);
    const base = await new SVD({ factors: 1, epochs: 1, learningRate: 0.0001, ratingMin: -10, ratingMax: 20 }).fit(train);
    expect(heldOutRmse(base, test)).toBeGreaterThan(noise * 1.5);
  });

  it('the WebAssembly SIMD epoch matches the TypeScript reference loop to 1e-9', async () => {
    const { data } = plantedRatings({ users: 80, items: 60, rank: 3, density: 0.3, seed: 8 });
    expect(wasmSgdAvailable()).toBe(true);
    const w = await new SVD({ factors: 12, epochs: 15, ratingMin: -10, ratingMax: 20 }).fit(data);
    const j = await new SVD({ factors: 12, epochs: 15, ratingMin: -10, ratingMax: 20, engine: 'js' }).fit(data);
    const a = w.factorsOf;
    const b = j.factorsOf;
    let maxDiff = 0;
    for (const key of ['pu', 'qi', 'bu', 'bi'] as const) for (let k = 0; k < a[key].length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[key][k]! - b[key][k]!));
    expect(maxDiff).toBeLessThan(1e-9);
    expect(maxDiff).toBeGreaterThanOrEqual(0);
    // odd factor counts use the TypeScript loop
    const odd = await new SVD({ factors: 5, epochs: 2 }).fit(data);
    const oddJs = await new SVD({ factors: 5, epochs: 2, engine: 'js' }).fit(data);
    expect(odd.factorsOf.pu).toEqual(oddJs.factorsOf.pu);
  });

  it('unbiased SVD predicts the dot product only; unknown ids give the global mean', async () => {
    const x = Interactions.fromRaw(['a', 'a', 'b'], ['x', 'y', 'x'], [4, 2, 5]);
    const m = await new SVD({ biased: false, factors: 2, epochs: 3 }).fit(x);
    const { pu, qi } = m.factorsOf;
    const dot = pu[0]! * qi[0]! + pu[1]! * qi[1]!;
    expect(m.predictIndex(0, 0)).toBeCloseTo(Math.min(5, Math.max(2, dot)), 12);
    expect(m.predict('zz', 'x').estimate).toBeCloseTo(11 / 3, 12);
  });

  it('rejects a rating outside the declared scale, naming the value and the scale', async () => {
    const x = Interactions.fromRaw(['a', 'b'], ['x', 'y'], [3, 7]);
    await expect(new SVD({ ratingMin: 1, ratingMax: 5 }).fit(x)).rejects.toThrow(/rating 7 \(user "b", item "y"\) is outside the declared rating scale \[1, 5\]/);
    expect(() => new SVD({ ratingMin: 5, ratingMax: 1 })).toThrow(InvalidArgumentError);
  });

  it('rejects an empty training set', async () => {
    const x = Interactions.fromTriples({ users: new Int32Array(0), items: new Int32Array(0), values: new Float32Array(0) }, IdMap.fromIds(['a']), IdMap.fromIds(['x']));
    await expect(new SVD().fit(x)).rejects.toThrow(EmptyInputError);
    await expect(new SVD().fit(x)).rejects.toThrow(/no ratings/);
  });

  it('rejects unknown algorithms and param names with the choices', () => {
    expect(() => getAlgorithm('svdx', 'rating')).toThrow(/unknown algorithm "svdx".*svd, svdpp/);
    expect(() => new SVD({ factorz: 3 } as never)).toThrow(UnknownParamError);
    expect(() => new SVD({ factorz: 3 } as never)).toThrow(/unknown param "factorz"; expected one of: factors, epochs/);
    expect(() => new SVD({ factors: 0 })).toThrow(/"factors" must be an integer >= 1, got 0/);
  });

  it('defaults equal Surprise', () => {
    const p = new SVD().getParams();
    expect([p.factors, p.epochs, p.learningRate, p.regularization, p.initMean, p.initStd, p.biased]).toEqual([100, 20, 0.005, 0.02, 0, 0.1, true]);
  });
});
