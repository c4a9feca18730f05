import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError } from '../../core/errors.js';
import { parseBaskets, readBasketFile } from './baskets.js';
import { BoughtTogether } from './bought-together.js';

const baskets = [
  ['bread', 'butter', 'milk'],
  ['bread', 'butter'],
  ['bread', 'jam', 'bread'],
  ['milk', 'cereal'],
  ['milk', 'cereal', 'bread'],
];

describe('BoughtTogether', () => {
  const bt = BoughtTogether.fromBaskets(baskets);

  it('computes counts, support, confidence and lift by hand', () => {
    // N = 5; bread in 4 baskets, butter in 2, both in 2: conf 2/4, lift (2*5)/(4*2)
    const r = bt.boughtTogether('bread', 10, { sortBy: 'count' });
    const butter = r.find((x) => x.id === 'butter')!;
    expect(butter.count).toBe(2);
    expect(butter.support).toBeCloseTo(2 / 5, 12);
    expect(butter.confidence).toBeCloseTo(2 / 4, 12);
    expect(butter.lift).toBeCloseTo(10 / 8, 12);
    // jam counted once despite "bread" twice in its basket
    expect(r.find((x) => x.id === 'jam')!.count).toBe(1);
    expect(bt.countOf('bread')).toBe(4);
    // milk & cereal: lift = 2*5/(3*2)
    expect(bt.boughtTogether('cereal', 1)[0]).toMatchObject({ id: 'milk', count: 2, confidence: 1 });
    expect(bt.boughtTogether('cereal', 1)[0]!.lift).toBeCloseTo(10 / 6, 12);
  });

  it('applies thresholds and sorts by the chosen figure', () => {
    const byLift = bt.boughtTogether('bread', 10);
    for (let r = 1; r < byLift.length; r++) expect(byLift[r]!.lift).toBeLessThanOrEqual(byLift[r - 1]!.lift);
    expect(bt.boughtTogether('bread', 10, { minCount: 2 }).map((x) => x.id)).toEqual(['butter', 'milk']);
    // butter and jam tie on lift 1.25; the higher count goes first
    expect(bt.boughtTogether('bread', 10, { minLift: 1 }).map((x) => x.id)).toEqual(['butter', 'jam']);
    expect(bt.boughtTogether('bread', 10, { minConfidence: 0.5, sortBy: 'confidence' }).map((x) => x.id)).toEqual(['butter', 'milk']);
    expect(bt.boughtTogether('bread', 10, { minLift: 1.2 }).every((x) => x.lift >= 1.2)).toBe(true);
    expect(bt.boughtTogether('bread', 10, { minSupport: 0.3 }).map((x) => x.id)).toEqual(['butter', 'milk']);
    expect(bt.boughtTogether('unknown', 5)).toEqual([]);
    expect(() => bt.boughtTogether('bread', -1)).toThrow(InvalidArgumentError);
  });

  it('round-trips through an artifact', () => {
    const back = BoughtTogether.fromArtifact(bt.toArtifact());
    expect(back.boughtTogether('milk', 5)).toEqual(bt.boughtTogether('milk', 5));
  });

  it('builds baskets from orders and from sessions cut at a gap', () => {
    const o = BoughtTogether.fromOrders(['o1', 'o1', 'o2', 'o2', 'o3'], ['a', 'b', 'a', 'b', 'a']);
    expect(o.baskets).toBe(3);
    expect(o.boughtTogether('a', 1)[0]).toMatchObject({ id: 'b', count: 2 });
    // user x: a@0, b@100 (same session), c@10000 (new session, gap 600 s)
    const s = BoughtTogether.fromSessions(['x', 'x', 'x', 'y', 'y'], ['a', 'b', 'c', 'a', 'c'], [0, 100, 10_000, 5, 50], 600);
    expect(s.baskets).toBe(3);
    // sessions: {a, b}, {c}, {a, c}
    expect(s.boughtTogether('a', 5, { sortBy: 'count' }).map((r) => r.id).sort()).toEqual(['b', 'c']);
    expect(s.boughtTogether('c', 5).map((r) => r.id)).toEqual(['a']);
    expect(() => BoughtTogether.fromSessions(['x'], ['a'], [0], 0)).toThrow(InvalidArgumentError);
  });

  it('rejects empty input with a clear error', async () => {
    expect(() => BoughtTogether.fromBaskets([])).toThrow(EmptyInputError);
    expect(() => parseBaskets('\n \n', 'mem.csv')).toThrow(/mem.csv: no baskets/);
    const dir = await mkdtemp(join(tmpdir(), 'reckon-baskets-'));
    try {
      await writeFile(join(dir, 'empty.csv'), '');
      await expect(readBasketFile(join(dir, 'empty.csv'))).rejects.toThrow(EmptyInputError);
      await writeFile(join(dir, 'b.csv'), 'a, b ,c\n\nb,c\n');
      expect(await readBasketFile(join(dir, 'b.csv'))).toEqual([['a', 'b', 'c'], ['b', 'c']]);
      await expect(readBasketFile(join(dir, 'missing.csv'))).rejects.toThrow(/cannot read the basket file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
