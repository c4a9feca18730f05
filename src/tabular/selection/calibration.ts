import { InvalidArgumentError } from '../../core/errors.js';
import type { TabularTask } from '../base.js';
import { takeVector } from '../matrix.js';
import type { TabularInput } from '../schema.js';
import { type Estimator, takeInput, withParams } from './estimator.js';
import { stratifiedKFold } from './splits.js';

/** Platt scaling: p = 1 / (1 + exp(a s + b)) fitted by Newton's method on log loss (Platt 1999, with his target smoothing). */
export function fitPlatt(score: Float64Array, y: Float64Array): { a: number; b: number } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) pos++;
  const neg = y.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 0;
  let b = Math.log((neg + 1) / (pos + 1));
  for (let it = 0; it < 100; it++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    for (let i = 0; i < y.length; i++) {
      const t = y[i] === 1 ? hi : lo;
      const f = score[i] * a + b;
      const p = 1 / (1 + Math.exp(f));
      const d = t - p;
      g1 += score[i] * d;
      g2 += d;
      const w = p * (1 - p);
      h11 += score[i] * score[i] * w;
      h22 += w;
      h21 += score[i] * w;
    }
    const det = h11 * h22 - h21 * h21;
    const da = -(h22 * g1 - h21 * g2) / det;
    const db = -(-h21 * g1 + h11 * g2) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

/** Isotonic regression by pool-adjacent-violators: a non-decreasing step map from score to probability. */
export function fitIsotonic(score: Float64Array, y: Float64Array): { x: Float64Array; y: Float64Array } {
  const idx = Uint32Array.from({ length: score.length }, (_, i) => i).sort((p, q) => score[p] - score[q]);
  const vals: number[] = [];
  const wts: number[] = [];
  const xs: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    vals.push(y[idx[k]]);
    wts.push(1);
    xs.push(score[idx[k]]);
    while (vals.length > 1 && vals[vals.length - 2] > vals[vals.length - 1]) {
      const w = wts[wts.length - 2] + wts[wts.length - 1];
      const v = (vals[vals.length - 2] * wts[wts.length - 2] + vals[vals.length - 1] * wts[wts.length - 1]) / w;
      vals.pop();
      wts.pop();
      xs.pop();
      vals[vals.length - 1] = v;
      wts[wts.length - 1] = w;
    }
  }
  // xs holds each block's first score; the map is a step function at those points.
  return { x: Float64Array.from(xs), y: Float64Array.from(vals) };
}

function applyIsotonic(m: { x: Float64Array; y: Float64Array }, s: number): number {
  let lo = 0;
  let hi = m.x.length - 1;
  if (s < m.x[0]) return m.y[0];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.x[mid] <= s) lo = mid;
    else hi = mid - 1;
  }
  return m.y[lo];
}

/**
 * Probability calibration of a binary classifier (scikit-learn's CalibratedClassifierCV with ensemble=False):
 * out-of-fold scores from `cv` folds train a Platt (sigmoid) or isotonic map; the classifier is then refitted on
 * all rows, and its scores pass through the map.
 */
export class CalibratedClassifier implements Estimator {
  readonly task: TabularTask = 'classification';
  private platt: { a: number; b: number } | undefined;
  private iso: { x: Float64Array; y: Float64Array } | undefined;
  private fitted: Estimator | undefined;
  constructor(readonly base: Estimator, readonly method: 'sigmoid' | 'isotonic' = 'sigmoid', readonly cv = 5) {}

  get classes(): number[] {
    return this.base.classes.length > 0 ? this.base.classes : (this.fitted?.classes ?? []);
  }

  getParams(): Record<string, unknown> {
    return this.base.getParams();
  }

  withParams(patch: never): CalibratedClassifier {
    return new CalibratedClassifier(withParams(this.base, patch), this.method, this.cv);
  }

  async fit(X: TabularInput, y: ArrayLike<number>, opts: { seed?: number } = {}): Promise<this> {
    const yy = Float64Array.from(y);
    const classes = [...new Set(yy)].sort((a, b) => a - b);
    if (classes.length !== 2) throw new InvalidArgumentError(`CalibratedClassifier: needs a binary target, got ${classes.length} classes`);
    const yb = new Float64Array(yy.length);
    for (let i = 0; i < yy.length; i++) yb[i] = yy[i] === classes[1] ? 1 : 0;
    const oof = new Float64Array(yy.length);
    for (const { train, test } of stratifiedKFold(yy, this.cv, opts.seed ?? 0)) {
      const m = withParams(this.base, {});
      await m.fit(takeInput(X, train), takeVector(yy, train), opts);
      const p = m.predictProba(takeInput(X, test));
      for (let i = 0; i < test.length; i++) oof[test[i]] = p[2 * i + 1];
    }
    if (this.method === 'sigmoid') this.platt = fitPlatt(oof, yb);
    else this.iso = fitIsotonic(oof, yb);
    const full = withParams(this.base, {});
    await full.fit(X, yy, opts);
    this.fitted = full;
    return this;
  }

  predictProba(X: TabularInput): Float64Array {
    if (this.fitted === undefined) throw new InvalidArgumentError('CalibratedClassifier: call fit() first');
    const p = this.fitted.predictProba(X);
    const n = p.length / 2;
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const s = p[2 * i + 1];
      const q = this.platt !== undefined ? 1 / (1 + Math.exp(this.platt.a * s + this.platt.b)) : applyIsotonic(this.iso as { x: Float64Array; y: Float64Array }, s);
      out[2 * i] = 1 - q;
      out[2 * i + 1] = q;
    }
    return out;
  }

  predict(X: TabularInput): Float64Array {
    const p = this.predictProba(X);
    const c = this.classes;
    const out = new Float64Array(p.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = p[2 * i + 1] >= 0.5 ? c[1] : c[0];
    return out;
  }
}
