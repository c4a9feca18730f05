import type { Artifact } from '../../core/artifact.js';
import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { getSharedPool, kernelModuleUrl, toShared } from '../../core/pool.js';
import { type AlsRowsArgs, alsRows, gramPlusReg, alsHalfStep } from './als-solve.js';
import { alsSimdUsable } from './als-simd.js';
import { FactorModel } from './factor-model.js';

const ALS_KERNEL = kernelModuleUrl(import.meta.url, './als-solve.js');

const ALS_SPECS = {
  factors: { type: 'integer', default: 64, min: 1, max: 4096, doc: 'latent factors' },
  epochs: { type: 'integer', default: 15, min: 1, doc: 'ALS sweeps (users then items)' },
  regularization: { type: 'number', default: 0.01, min: 0, doc: 'L2 weight lambda' },
  alpha: { type: 'number', default: 1, min: 0, doc: 'confidence = 1 + alpha * value' },
  cgSteps: { type: 'integer', default: 3, min: 1, doc: 'conjugate-gradient iterations per row and half-step' },
  seed: { type: 'integer', default: 42, doc: 'seed of the factor initialisation' },
} as const satisfies ParamSpecs;

type AlsParams = ParamsOf<typeof ALS_SPECS>;

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets"):
 * minimises sum_{u,i} c_ui (p_ui - x_u.y_i)^2 + lambda (|x|^2 + |y|^2) over all user-item pairs, with p_ui = 1 for
 * observed pairs and c_ui = 1 + alpha * value. Each half-step solves every row by a few conjugate-gradient steps
 * warm-started from the previous solution (Takács et al. 2011, as in the implicit library), using
 * Y^T C_u Y = Y^T Y + Y^T (C_u - I) Y so only the observed entries are touched: O(nnz f cgSteps + n f^2) per sweep.
 */
export class AlsModel extends FactorModel<typeof ALS_SPECS> {
  readonly algorithm: string = 'als';
  static readonly specs = ALS_SPECS;
  private ytyCache: Float64Array | undefined;

  constructor(params?: Partial<AlsParams>) {
    super(ALS_SPECS, 'AlsModel', params);
  }

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const f = this.params.factors;
    const nU = data.nUsers;
    const nI = data.nItems;
    const rng = new Rng(opts.seed ?? this.params.seed);
    const pool = getSharedPool();
    const shared = pool.size > 1;
    const alloc = (n: number): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
    const x = alloc(nU * f);
    const y = alloc(nI * f);
    for (let k = 0; k < x.length; k++) x[k] = rng.float() * 0.01;
    for (let k = 0; k < y.length; k++) y[k] = rng.float() * 0.01;
    const csc = data.csc();
    const sh = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (shared ? toShared(a) : a);
    const rows = { indptr: sh(data.indptr), indices: sh(data.indices), values: sh(data.values) };
    const cols = { indptr: sh(csc.indptr), indices: sh(csc.indices), values: sh(csc.values) };
    const { alpha, regularization: reg, cgSteps, epochs } = this.params;
    const simd = alsSimdUsable(f);
    const half = async (a: AlsRowsArgs, n: number): Promise<void> => {
      if (!shared) alsRows(a, 0, n);
      else await pool.run<AlsRowsArgs, void>({ module: ALS_KERNEL, fn: 'alsRows', args: a, total: n, minChunkSize: 256 });
    };
    for (let it = 0; it < epochs; it++) {
      throwIfAborted(opts.signal, 'ALS fit');
      await half({ x, y, yty: sh(gramPlusReg(y, nI, f, reg)), ...rows, f, alpha, cgSteps, simd }, nU);
      await half({ x: y, y: x, yty: sh(gramPlusReg(x, nU, f, reg)), ...cols, f, alpha, cgSteps, simd }, nI);
      opts.onProgress?.({ step: 'epoch', done: it + 1, total: epochs });
    }
    this.userF = x;
    this.itemF = y;
    this.dim = f;
    this.itemBias = undefined;
    this.ytyCache = undefined;
    this.resetCaches();
    this.fitted = true;
    return this;
  }

  /**
   * The exact least-squares user vector for an ad-hoc history against the fixed item factors (the real-time
   * fold-in): conjugate gradient run to convergence (at most `factors` steps). `items` are item indices, `values`
   * their raw values (confidence 1 + alpha * value). An empty history gives the zero vector.
   */
  foldInUser(items: Int32Array, values: Float32Array): Float32Array {
    this.requireFitted();
    if (items.length !== values.length) throw new InvalidArgumentError(`foldInUser: ${items.length} items but ${values.length} values`);
    for (let k = 0; k < items.length; k++) {
      if (!(items[k]! >= 0 && items[k]! < this.nItems)) throw new InvalidArgumentError(`foldInUser: item index ${items[k]} outside [0, ${this.nItems})`);
      if (!(values[k]! >= 0) || values[k] === Infinity) throw new InvalidArgumentError(`foldInUser: value ${values[k]} for item ${items[k]} must be finite and >= 0`);
    }
    const order = Array.from(items.keys()).sort((a, b) => items[a]! - items[b]!);
    const idx = Int32Array.from(order, (o) => items[o]!);
    const val = Float32Array.from(order, (o) => values[o]!);
    this.ytyCache ??= gramPlusReg(this.itemF, this.nItems, this.dim, this.params.regularization);
    const out = new Float32Array(this.dim);
    alsHalfStep(out, this.itemF, this.ytyCache, Int32Array.of(0, idx.length), idx, val, this.dim, this.params.alpha, this.dim, 0, 1);
    return out;
  }

  toArtifact(): Artifact {
    return this.factorArtifact();
  }

  static fromArtifact(a: Artifact): AlsModel {
    const m = new AlsModel(a.meta.params as Partial<AlsParams>);
    m.restoreFactors(a);
    return m;
  }
}
