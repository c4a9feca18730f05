import type { Rng } from '../../../core/rng.js';

/** Float storage of parameters and activations: float32 in training, float64 in the gradient-check reference path. */
export type FloatArray = Float32Array | Float64Array;

/** A zeroed float array of `n` elements, float64 when `f64` (tests), float32 otherwise. */
export function alloc(f64: boolean, n: number): FloatArray {
  return f64 ? new Float64Array(n) : new Float32Array(n);
}

/**
 * A trainable `rows x cols` row-major matrix with its gradient. A `sparse` parameter (an embedding table) records
 * which rows received gradient since the last optimizer step, so Adam only visits those rows (lazy Adam) and the
 * cost of a step is O(touched rows · cols), not O(rows · cols).
 */
export class Param {
  readonly data: FloatArray;
  readonly grad: FloatArray;
  /** Per-row flag: row has gradient pending (sparse params only). */
  readonly touched: Uint8Array;
  /** Rows with pending gradient, first `nTouched` entries valid (sparse params only). */
  touchedRows: Int32Array;
  nTouched = 0;

  constructor(
    readonly name: string,
    readonly rows: number,
    readonly cols: number,
    readonly sparse: boolean,
    f64 = false,
  ) {
    this.data = alloc(f64, rows * cols);
    this.grad = alloc(f64, rows * cols);
    this.touched = new Uint8Array(sparse ? rows : 0);
    this.touchedRows = new Int32Array(sparse ? Math.min(rows, 1024) : 0);
  }

  get size(): number {
    return this.rows * this.cols;
  }

  /** Marks row `r` as having gradient (sparse params). */
  touch(r: number): void {
    if (this.touched[r] === 1) return;
    this.touched[r] = 1;
    if (this.nTouched === this.touchedRows.length) {
      const next = new Int32Array(Math.min(this.rows, this.touchedRows.length * 2));
      next.set(this.touchedRows);
      this.touchedRows = next;
    }
    this.touchedRows[this.nTouched++] = r;
  }

  /** Clears the gradient (only touched rows for sparse params). */
  zeroGrad(): void {
    if (!this.sparse) {
      this.grad.fill(0);
      return;
    }
    const c = this.cols;
    for (let t = 0; t < this.nTouched; t++) {
      const r = this.touchedRows[t]!;
      this.grad.fill(0, r * c, r * c + c);
      this.touched[r] = 0;
    }
    this.nTouched = 0;
  }

  /** Gaussian initialisation N(0, std²). */
  initNormal(rng: Rng, std: number): this {
    for (let k = 0; k < this.data.length; k++) this.data[k] = rng.normal(0, std);
    return this;
  }

  /** Glorot/Xavier uniform initialisation U(-a, a), a = sqrt(6 / (fanIn + fanOut)) with fanIn = rows, fanOut = cols. */
  initGlorot(rng: Rng): this {
    const a = Math.sqrt(6 / (this.rows + this.cols));
    for (let k = 0; k < this.data.length; k++) this.data[k] = (rng.float() * 2 - 1) * a;
    return this;
  }

  /** Constant initialisation. */
  initConst(v: number): this {
    this.data.fill(v);
    return this;
  }
}
