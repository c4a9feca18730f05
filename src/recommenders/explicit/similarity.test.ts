import { describe, expect, it } from 'vitest';
import { fitBaselines } from './baselines.js';
import { type Compressed, SIMILARITIES, similarityReference, similarityRows } from './similarity.js';
import { smallRatings } from './test-support/conformance.js';

describe('similarityRows', () => {
  const x = smallRatings(4, 30, 25, 0.4);
  const csc = x.csc();
  const byX: Compressed = { indptr: x.indptr, indices: x.indices, values: x.values };
  const byY: Compressed = { indptr: csc.indptr, indices: csc.indices, values: csc.values };
  const mu = x.meanValue();
  const b = fitBaselines(x, mu, { method: 'als', epochs: null, regUser: 15, regItem: 10, regularization: 0.02, learningRate: 0.005 });
  const dev = (m: Compressed, br: Float64Array, bc: Float64Array): Float64Array => {
    const out = new Float64Array(m.indices.length);
    for (let r = 0; r < m.indptr.length - 1; r++) for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) out[k] = m.values[k]! - (mu + br[r]! + bc[m.indices[k]!]!);
    return out;
  };
  const devX = dev(byX, b.bu, b.bi);
  const devY = dev(byY, b.bi, b.bu);
  for (const name of SIMILARITIES) {
    for (const minSupport of [1, 4]) {
      it(`${name} (minSupport ${minSupport}) equals the pairwise reference to 1e-5`, () => {
        const n = x.nUsers;
        const o = { name, minSupport, shrinkage: 100 };
        const out = new Float32Array(n * n);
        // two row ranges, as two threads would
        similarityRows(n, byX, byY, o, devX, devY, 0, 13, out);
        similarityRows(n, byX, byY, o, devX, devY, 13, n, out);
        const ref = similarityReference(n, byX, o, devX);
        let nonzero = 0;
        for (let k = 0; k < n * n; k++) {
          expect(Math.abs(out[k]! - ref[k]!)).toBeLessThan(1e-5);
          if (ref[k] !== 0) nonzero++;
        }
        expect(nonzero).toBeGreaterThan(n);
        for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) expect(out[a * n + c]).toBeCloseTo(out[c * n + a]!, 5);
      });
    }
  }
});
