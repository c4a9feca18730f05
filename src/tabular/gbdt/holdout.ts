import { Rng } from '../../core/rng.js';
import { type Matrix, takeRows, takeVector } from '../matrix.js';

interface Part {
  m: Matrix;
  y: Float64Array;
  yIndex: Int32Array | undefined;
  w: Float64Array;
}

/** Seeded random hold-out of `fraction` of the rows (stratified by class when yIndex is given). */
export function holdout(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, w: Float64Array, fraction: number, seed: number): { train: Part; valid: { m: Matrix; y: Float64Array; yIndex: Int32Array | undefined } } {
  const n = m.rows;
  const rng = new Rng(seed ^ 0x5bd1e995);
  const isValid = new Uint8Array(n);
  const order = rng.permutation(n);
  if (yIndex !== undefined) {
    // Per class, the first round(fraction * n_c) rows in the shuffled order.
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(yIndex[i], (counts.get(yIndex[i]) ?? 0) + 1);
    const taken = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const r = order[k];
      const c = yIndex[r];
      const want = Math.round(fraction * (counts.get(c) ?? 0));
      const t = taken.get(c) ?? 0;
      if (t < want) {
        isValid[r] = 1;
        taken.set(c, t + 1);
      }
    }
  } else {
    const nv = Math.round(fraction * n);
    for (let k = 0; k < nv; k++) isValid[order[k]] = 1;
  }
  let nv = 0;
  for (let i = 0; i < n; i++) nv += isValid[i];
  const tr = new Int32Array(n - nv);
  const va = new Int32Array(nv);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isValid[i]) va[b++] = i;
    else tr[a++] = i;
  }
  const sub = (idx: Int32Array): Int32Array | undefined => {
    if (yIndex === undefined) return undefined;
    const o = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) o[k] = yIndex[idx[k]];
    return o;
  };
  return {
    train: { m: takeRows(m, tr), y: takeVector(y, tr), yIndex: sub(tr), w: takeVector(w, tr) },
    valid: { m: takeRows(m, va), y: takeVector(y, va), yIndex: sub(va) },
  };
}
