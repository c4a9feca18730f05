import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { scoreAllItems, scoreAllItemsReference } from './score.js';

describe('scoreAllItems', () => {
  it('equals the reference double loop (with and without bias, item counts not a multiple of 4)', () => {
    const rng = new Rng(3);
    for (const [n, f] of [
      [1, 1],
      [7, 3],
      [33, 16],
      [102, 64],
    ] as const) {
      const y = Float32Array.from({ length: n * f }, () => rng.normal());
      const x = Float32Array.from({ length: f }, () => rng.normal());
      const b = Float32Array.from({ length: n }, () => rng.normal());
      for (const bias of [undefined, b]) {
        const a = new Float32Array(n);
        const r = new Float32Array(n);
        scoreAllItems(y, f, n, x, bias, a);
        scoreAllItemsReference(y, f, n, x, bias, r);
        for (let i = 0; i < n; i++) expect(a[i]).toBeCloseTo(r[i]!, 4);
      }
    }
  });
});
