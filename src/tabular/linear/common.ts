import { SchemaError } from '../../core/errors.js';
import type { Matrix } from '../matrix.js';
import type { FeatureSchema } from '../schema.js';

/** Linear models need complete data: a NaN is an error naming the column and row (impute first). */
export function rejectMissing(m: Matrix, schema: FeatureSchema | undefined, who: string): void {
  const d = m.cols;
  const x = m.data;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i]) {
      const j = i % d;
      const name = schema?.names[j] ?? `x${j}`;
      throw new SchemaError(`${who}: feature column "${name}" has a missing value at row ${Math.floor(i / d) + 1}; impute it first (SimpleImputer) or use a tree model`, { column: name });
    }
  }
}

/** Per-row weights: explicit weights times "balanced" class weights n / (k * n_c) when asked. */
export function rowWeights(n: number, yIndex: Int32Array | undefined, k: number, classWeight: string, sampleWeight: Float64Array | undefined): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = sampleWeight === undefined ? 1 : sampleWeight[i];
  if (classWeight === 'balanced' && yIndex !== undefined) {
    const cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) cnt[yIndex[i]] += 1;
    for (let i = 0; i < n; i++) w[i] *= n / (k * cnt[yIndex[i]]);
  }
  return w;
}
