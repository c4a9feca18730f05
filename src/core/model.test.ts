import { describe, expect, it } from 'vitest';
import { requireTensor, type Artifact } from './artifact.js';
import { NotFittedError, UnknownParamError } from './errors.js';
import { BaseModel, type FitOptions } from './model.js';
import type { ParamSpecs, ParamsOf } from './params.js';
import { tensor } from './safetensors.js';

const specs = {
  factors: { type: 'integer', default: 4, min: 1, doc: 'latent dimensions' },
  seed: { type: 'integer', default: 0, doc: 'random seed' },
} as const satisfies ParamSpecs;

/** The smallest model honouring the contract: learns the mean of its input. */
class MeanModel extends BaseModel<typeof specs> {
  readonly algorithm = 'mean';
  private mean = NaN;
  constructor(params?: Partial<ParamsOf<typeof specs>>) {
    super(specs, 'MeanModel', params);
  }
  override async fit(data: unknown, _opts?: FitOptions): Promise<this> {
    const xs = data as number[];
    this.mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    this.fitted = true;
    return this;
  }
  predict(): number {
    this.requireFitted();
    return this.mean;
  }
  override toArtifact(): Artifact {
    this.requireFitted();
    return { meta: { algorithm: this.algorithm, params: { ...this.params } }, tensors: { mean: tensor(Float64Array.of(this.mean)) } };
  }
  static fromArtifact(a: Artifact): MeanModel {
    const m = new MeanModel(a.meta.params as Partial<ParamsOf<typeof specs>>);
    m.mean = requireTensor(a, 'mean', Float64Array, [1])[0]!;
    m.fitted = true;
    return m;
  }
}

describe('BaseModel contract', () => {
  it('stores validated, frozen, defaulted params', () => {
    const m = new MeanModel({ factors: 8 });
    expect(m.params).toEqual({ factors: 8, seed: 0 });
    expect(Object.isFrozen(m.params)).toBe(true);
    expect(() => new MeanModel({ factor: 2 } as never)).toThrow(UnknownParamError);
  });

  it('getParams returns a copy; withParams a new unfitted model', async () => {
    const m = await new MeanModel({ factors: 2 }).fit([1, 2, 3]);
    const p = m.getParams();
    p.factors = 99;
    expect(m.params.factors).toBe(2);
    const m2 = m.withParams({ seed: 7 });
    expect(m2).toBeInstanceOf(MeanModel);
    expect(m2).not.toBe(m);
    expect(m2.params).toEqual({ factors: 2, seed: 7 });
    expect(m2.isFitted).toBe(false);
    expect(m.isFitted).toBe(true);
  });

  it('throws NotFittedError before fit, and fit returns the model', async () => {
    const m = new MeanModel();
    expect(() => m.predict()).toThrow(NotFittedError);
    expect(() => m.predict()).toThrow(/mean is not fitted: call fit\(\) first/);
    expect(await m.fit([2, 4])).toBe(m);
    expect(m.predict()).toBe(3);
  });

  it('round-trips through its artifact', async () => {
    const m = await new MeanModel({ factors: 3 }).fit([1, 5]);
    const back = MeanModel.fromArtifact(m.toArtifact());
    expect(back.params).toEqual(m.params);
    expect(back.predict()).toBe(3);
  });
});
