import { gemm } from '../../../core/kernels/gemm.js';
import { alloc, type FloatArray, type Param } from './param.js';

/** Rows scored at once: bounds the rows x catalog score buffer (512 x 10k items = 20 MB in float32). */
const CHUNK = 512;

/**
 * Softmax cross-entropy over the full catalog (Klenitskiy & Vasilev 2023: full softmax beats sampled losses for
 * SASRec/GRU4Rec). For each row r with `targets[r] >= 0`: scores s = h_r · E^T (all items, via gemm), loss
 * `logsumexp(s) - s[target]`. Returns the summed loss; `scale` multiplies the gradients (1 / rows for a mean). Writes
 * dh (rows x d; zero rows for ignored targets) and adds `dE += dS^T · h` into E.grad, where dS = scale·(softmax - onehot).
 * Cost O(rows · nItems · d) per pass; memory O(CHUNK · nItems).
 */
export class SoftmaxCrossEntropy {
  private scores: FloatArray;
  private scoresT: FloatArray;
  private hc: FloatArray;
  private dhc: FloatArray;
  private rowsOf: Int32Array = new Int32Array(CHUNK);

  constructor(private readonly f64 = false) {
    this.scores = alloc(f64, 0);
    this.scoresT = alloc(f64, 0);
    this.hc = alloc(f64, 0);
    this.dhc = alloc(f64, 0);
  }

  /** Loss summed over valid rows; see the class doc for what is written. */
  forwardBackward(h: FloatArray, rows: number, items: Param, targets: Int32Array, dh: FloatArray, scale: number): number {
    const d = items.cols;
    const n = items.rows;
    dh.fill(0, 0, rows * d);
    if (this.scores.length < CHUNK * n) {
      this.scores = alloc(this.f64, CHUNK * n);
      this.scoresT = alloc(this.f64, CHUNK * n);
      this.hc = alloc(this.f64, CHUNK * d);
      this.dhc = alloc(this.f64, CHUNK * d);
    }
    if (items.sparse) for (let i = 0; i < n; i++) items.touch(i);
    let loss = 0;
    let r = 0;
    while (r < rows) {
      // gather up to CHUNK valid rows
      let m = 0;
      for (; r < rows && m < CHUNK; r++) {
        if (targets[r]! < 0) continue;
        this.rowsOf[m] = r;
        for (let c = 0; c < d; c++) this.hc[m * d + c] = h[r * d + c]!;
        m++;
      }
      if (m === 0) break;
      loss += this.chunk(m, n, d, items, targets, scale);
      for (let q = 0; q < m; q++) {
        const rr = this.rowsOf[q]!;
        for (let c = 0; c < d; c++) dh[rr * d + c] = this.dhc[q * d + c]!;
      }
    }
    return loss;
  }

  private chunk(m: number, n: number, d: number, items: Param, targets: Int32Array, scale: number): number {
    const s = this.scores;
    gemm(this.hc, items.data, s, m, d, n, { transB: true });
    let loss = 0;
    for (let q = 0; q < m; q++) {
      const off = q * n;
      let max = -Infinity;
      for (let i = 0; i < n; i++) if (s[off + i]! > max) max = s[off + i]!;
      const t = targets[this.rowsOf[q]!]!;
      const target = s[off + t]!;
      let z = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.exp(s[off + i]! - max);
        s[off + i] = e;
        z += e;
      }
      loss += Math.log(z) + max - target;
      const inv = scale / z;
      for (let i = 0; i < n; i++) s[off + i] = s[off + i]! * inv;
      s[off + t] = s[off + t]! - scale;
    }
    // dh = dS · E  (m x n times n x d)
    gemm(s, items.data, this.dhc, m, n, d);
    // dE += dS^T · h: transpose dS to n x m, then gemm with beta = 1
    const st = this.scoresT;
    for (let q = 0; q < m; q++) for (let i = 0; i < n; i++) st[i * m + q] = s[q * n + i]!;
    gemm(st, this.hc, items.grad, n, m, d, { beta: 1 });
    return loss;
  }
}

/** Binary cross-entropy with logits, summed: loss = sum softplus(x) - y·x; writes dx = scale·(sigmoid(x) - y). */
export function bceWithLogits(logits: FloatArray, labels: FloatArray, n: number, dx: FloatArray, scale: number): number {
  let loss = 0;
  for (let k = 0; k < n; k++) {
    const x = logits[k]!;
    const y = labels[k]!;
    // softplus(x) computed stably
    loss += (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) - y * x;
    const p = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    dx[k] = scale * (p - y);
  }
  return loss;
}
