import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticEventLog, syntheticRatingInteractions } from './synthetic.js';
import { writeSynthetic } from './synthetic-io.js';
import { genreVocabulary } from './synthetic-vocab.js';
import { interactionsFromEvents } from './events.js';

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k]! / n;
    mb += b[k]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('generateSynthetic', () => {
  const d = generateSynthetic({ users: 600, items: 300, seed: 5 });

  it('is deterministic given the seed, different for another seed', () => {
    const again = generateSynthetic({ users: 600, items: 300, seed: 5 });
    expect(again.ratings.values).toEqual(d.ratings.values);
    expect(again.events.items).toEqual(d.events.items);
    expect(again.events.timestamps).toEqual(d.events.timestamps);
    expect(again.purchases.orders).toEqual(d.purchases.orders);
    expect(again.catalog.descriptions).toEqual(d.catalog.descriptions);
    expect(again.truth.userFactors).toEqual(d.truth.userFactors);
    const other = generateSynthetic({ users: 600, items: 300, seed: 6 });
    expect(other.ratings.values).not.toEqual(d.ratings.values);
    // more events do not change the planted factors (independent streams)
    expect(generateSynthetic({ users: 600, items: 300, seed: 5, eventsPerUser: 5 }).truth.itemFactors).toEqual(d.truth.itemFactors);
  });

  it('has the requested sizes, valid ratings and distinct rated pairs', () => {
    expect(d.users.size).toBe(600);
    expect(d.items.size).toBe(300);
    const nR = d.ratings.values.length;
    expect(nR / 600).toBeGreaterThan(45);
    expect(nR / 600).toBeLessThan(55);
    expect(d.events.users.length / 600).toBeGreaterThan(20);
    expect(d.events.users.length / 600).toBeLessThan(40);
    let bad = 0;
    for (const v of d.ratings.values) if (!(v >= 1 && v <= 5 && Number.isInteger(v))) bad++;
    expect(bad).toBe(0);
    const x = syntheticRatingInteractions(d);
    expect(x.nnz).toBe(nR);
  });

  it('ratings follow the planted factors; the noise floor matches the noise sd', () => {
    const t = d.truth;
    const f = t.factors;
    const r = d.ratings;
    const planted = new Float64Array(r.values.length);
    for (let k = 0; k < planted.length; k++) {
      let dot = 0;
      for (let q = 0; q < f; q++) dot += t.userFactors[r.users[k]! * f + q]! * t.itemFactors[r.items[k]! * f + q]!;
      planted[k] = t.globalMean + t.userBias[r.users[k]!]! + t.itemBias[r.items[k]!]! + dot;
    }
    expect(corr(planted, r.values)).toBeGreaterThan(0.7);
    const cont = generateSynthetic({ users: 600, items: 300, seed: 5, ratingStep: 0, noise: 0.4 });
    // clipping can only shrink the error: the floor is a little under the noise sd
    expect(cont.ratings.noiseFloorRmse).toBeGreaterThan(0.32);
    expect(cont.ratings.noiseFloorRmse).toBeLessThanOrEqual(0.41);
    const exact = generateSynthetic({ users: 50, items: 40, seed: 5, ratingStep: 0, noise: 0 });
    expect(exact.ratings.noiseFloorRmse).toBeLessThan(1e-6);
  });

  it('users interact more with their preferred genres than the catalogue share', () => {
    const t = d.truth;
    const cat = d.catalog;
    let inPref = 0;
    let baseline = 0;
    const e = d.events;
    const itemHas = (i: number, g: number) => {
      for (let k = cat.genreIndptr[i]!; k < cat.genreIndptr[i + 1]!; k++) if (cat.genreIndices[k] === g) return true;
      return false;
    };
    // baseline: share of the catalogue carrying each genre
    const share = new Float64Array(d.genres.length);
    for (let i = 0; i < d.items.size; i++) for (let g = 0; g < d.genres.length; g++) if (itemHas(i, g)) share[g]! += 1 / d.items.size;
    for (let k = 0; k < e.users.length; k++) {
      const u = e.users[k]!;
      const g = t.userGenreIndices[t.userGenreIndptr[u]!]!;
      if (itemHas(e.items[k]!, g)) inPref++;
      baseline += share[g]!;
    }
    expect(inPref / baseline).toBeGreaterThan(1.8);
  });

  it('baskets hold planted complement pairs far above chance', () => {
    const p = d.purchases;
    let pairs = 0;
    let comp = 0;
    for (let a = 0; a < p.orders.length; ) {
      let b = a;
      while (b < p.orders.length && p.orders[b] === p.orders[a]) b++;
      for (let x = a; x < b; x++) {
        for (let y = x + 1; y < b; y++) {
          pairs++;
          if (d.truth.complements[p.items[x]!] === p.items[y] || d.truth.complements[p.items[y]!] === p.items[x]) comp++;
        }
      }
      a = b;
    }
    const chance = 2 / d.items.size;
    expect(pairs).toBeGreaterThan(100);
    expect(comp / pairs).toBeGreaterThan(10 * chance);
    let wrongPrice = 0;
    for (let k = 0; k < p.prices.length; k++) if (p.prices[k] !== d.catalog.prices[p.items[k]!]) wrongPrice++;
    expect(wrongPrice).toBe(0);
  });

  it('item text carries the primary genre vocabulary', () => {
    let own = 0;
    let other = 0;
    const cat = d.catalog;
    for (let i = 0; i < d.items.size; i++) {
      const g = cat.genreIndices[cat.genreIndptr[i]!]!;
      const words = new Set(cat.descriptions[i]!.toLowerCase().replace('.', '').split(' '));
      for (const w of genreVocabulary(g)) if (words.has(w)) own++;
      for (const w of genreVocabulary((g + 1) % d.genres.length)) if (words.has(w)) other++;
    }
    expect(own).toBeGreaterThan(3 * other);
  });

  it('events feed interactionsFromEvents', () => {
    const x = interactionsFromEvents(syntheticEventLog(d), { weights: { view: 1, cart: 3, purchase: 5 }, halfLife: 30 * 86400 });
    expect(x.nnz).toBeGreaterThan(0);
    expect(x.users).toBe(d.users);
  });

  it('rejects unknown or out-of-range options', () => {
    expect(() => generateSynthetic({ users: 0 })).toThrow(/users must be an integer in \[1, /);
    expect(() => generateSynthetic({ ratingStep: 0.3 })).toThrow(/ratingStep/);
    expect(() => generateSynthetic({ usrs: 5 } as never)).toThrow(/unknown option "usrs"/);
  });
});

describe('writeSynthetic', () => {
  it('writes CSV and JSONL tables with the documented columns', async () => {
    const d = generateSynthetic({ users: 20, items: 15, seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'reckon-syn-'));
    try {
      const files = await writeSynthetic(d, dir);
      expect(files.map((f) => f.table)).toEqual(['ratings', 'events', 'items', 'users', 'purchases']);
      const ratings = readFileSync(join(dir, 'ratings.csv'), 'utf8').trimEnd().split('\n');
      expect(ratings[0]).toBe('user_id,item_id,rating,timestamp');
      expect(ratings.length - 1).toBe(d.ratings.values.length);
      const [u, i, r] = ratings[1]!.split(',');
      expect([u, i, Number(r)]).toEqual([d.users.idAt(d.ratings.users[0]!), d.items.idAt(d.ratings.items[0]!), d.ratings.values[0]]);
      const items = readFileSync(join(dir, 'items.csv'), 'utf8').split('\n');
      expect(items[0]).toBe('item_id,title,genres,price,description');
      await writeSynthetic(d, dir, { format: 'jsonl', tables: ['items'] });
      const first = JSON.parse(readFileSync(join(dir, 'items.jsonl'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
      expect(first['title']).toBe(d.catalog.titles[0]);
      expect(first['price']).toBe(d.catalog.prices[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
