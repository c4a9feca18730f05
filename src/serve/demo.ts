import { Rng } from '../core/rng.js';
import type { EventRecord, ItemInput, UserInput } from './types.js';

/** A small seeded demo catalog: items with titles, descriptions and genres, users, and typed events. */
export interface DemoData {
  items: ItemInput[];
  users: UserInput[];
  events: EventRecord[];
}

const GENRES = ['drama', 'comedy', 'thriller', 'sci-fi', 'romance', 'documentary', 'animation', 'horror', 'fantasy', 'crime'];
const WORDS = ['night', 'river', 'city', 'signal', 'garden', 'machine', 'winter', 'letter', 'island', 'echo', 'orbit', 'harbor', 'ember', 'atlas', 'mirror'];

/**
 * Fallback demo data used by `reckon serve` at first start: each user prefers two genres and picks items from them
 * 80% of the time (a planted structure models can find). Same seed, same data.
 */
export function makeDemoData(opts: { items?: number; users?: number; eventsPerUser?: number; seed?: number } = {}): DemoData {
  const nItems = opts.items ?? 600;
  const nUsers = opts.users ?? 400;
  const perUser = opts.eventsPerUser ?? 25;
  const rng = new Rng(opts.seed ?? 42);
  const items: ItemInput[] = [];
  const byGenre: string[][] = GENRES.map(() => []);
  for (let i = 0; i < nItems; i++) {
    const g = rng.int(GENRES.length);
    const w1 = WORDS[rng.int(WORDS.length)]!;
    const w2 = WORDS[rng.int(WORDS.length)]!;
    const id = `item-${i}`;
    items.push({ id, title: `The ${w1} ${w2}`, description: `A ${GENRES[g]} about a ${w1} and a ${w2}.`, categories: [GENRES[g]!], attributes: { year: 1980 + (i % 45) } });
    byGenre[g]!.push(id);
  }
  const users: UserInput[] = [];
  const events: EventRecord[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let u = 0; u < nUsers; u++) {
    const id = `user-${u}`;
    const likes = [rng.int(GENRES.length), rng.int(GENRES.length)];
    users.push({ id, attributes: { likes: likes.map((g) => GENRES[g]) } });
    for (let e = 0; e < perUser; e++) {
      const pool = rng.uniform() < 0.8 ? byGenre[likes[e % 2]!]! : items.map((x) => x.id);
      if (pool.length === 0) continue;
      const item = pool[Math.floor(Math.pow(rng.uniform(), 1.5) * pool.length)]!;
      const r = rng.uniform();
      const type = r < 0.7 ? 'view' : r < 0.9 ? 'click' : 'purchase';
      events.push({ id: `demo-${u}-${e}`, user: id, item, type, value: type === 'purchase' ? 5 : 1, timestamp: t0 + (u * perUser + e) * 60_000, listId: '' });
    }
  }
  return { items, users, events };
}
