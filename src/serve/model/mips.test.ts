import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { topK } from '../../core/topk.js';
import { NormBoundedIndex } from './mips.js';
import { scoreAllItemsReference } from './score.js';

describe('NormBoundedIndex', () => {
  it('equals a full scan + topK (scores, order, exclusions) and prunes on skewed norms', () => {
    const rng = new Rng(11);
    for (const [n, f, skew] of [
      [1, 2, false],
      [50, 4, false],
      [3000, 16, true],
    ] as const) {
      const y = new Float32Array(n * f);
      for (let i = 0; i < n; i++) {
        const scale = skew ? Math.pow(0.999, i) * 3 : 1;
        for (let c = 0; c < f; c++) y[i * f + c] = rng.normal() * scale;
      }
      const index = new NormBoundedIndex(y, f);
      let scannedTotal = 0;
      for (let q = 0; q < 20; q++) {
        const x = Float32Array.from({ length: f }, () => rng.normal());
        const exclude = Int32Array.from(new Set(Array.from({ length: Math.min(n, 5) }, () => rng.int(n)))).sort();
        for (const k of [1, 10, 60]) {
          const full = new Float32Array(n);
          scoreAllItemsReference(y, f, n, x, undefined, full);
          const want = topK(full, k, exclude);
          const got = index.topK(x, k, exclude);
          expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
          for (let r = 0; r < got.scores.length; r++) expect(got.scores[r]).toBeCloseTo(want.scores[r]!, 4);
          if (k === 10) scannedTotal += got.scanned;
        }
      }
      if (skew) expect(scannedTotal / 20).toBeLessThan(n / 2);
    }
  });
});
