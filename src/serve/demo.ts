import { type SyntheticOptions, generateSynthetic } from '../data/synthetic.js';
import type { EventRecord, ItemInput, UserInput } from './types.js';

/** The demo catalog as store records: items with titles, descriptions and genres, users, and typed events. */
export interface DemoData {
  items: ItemInput[];
  users: UserInput[];
  events: EventRecord[];
}

/** Default event weights of the demo (a purchase says more than a view). */
const WEIGHTS: Record<string, number> = { view: 1, cart: 3, purchase: 5 };

/**
 * The seeded synthetic data set of src/data/synthetic.ts (planted factors, genres, a view -> cart -> purchase funnel)
 * converted to store records; what `reckon serve` seeds into an empty store at first start. Same seed, same data.
 */
export function makeDemoData(opts: SyntheticOptions = {}): DemoData {
  const d = generateSynthetic({ users: 1000, items: 500, ...opts });
  const cat = d.catalog;
  const items: ItemInput[] = [];
  for (let i = 0; i < d.items.size; i++) {
    const genres: string[] = [];
    for (let g = cat.genreIndptr[i]!; g < cat.genreIndptr[i + 1]!; g++) genres.push(d.genres[cat.genreIndices[g]!]!);
    items.push({ id: d.items.idAt(i), title: cat.titles[i]!, description: cat.descriptions[i]!, categories: genres, attributes: { price: cat.prices[i]! } });
  }
  const ua = d.userAttributes;
  const users: UserInput[] = [];
  for (let u = 0; u < d.users.size; u++) {
    users.push({ id: d.users.idAt(u), attributes: { age: ua.age[u]!, country: ua.countries[ua.country[u]!]!, signup: new Date(ua.signup[u]! * 1000).toISOString() } });
  }
  const e = d.events;
  const events: EventRecord[] = new Array<EventRecord>(e.users.length);
  for (let k = 0; k < e.users.length; k++) {
    const type = e.typeNames[e.types[k]!]!;
    events[k] = { id: `demo-${k}`, user: d.users.idAt(e.users[k]!), item: d.items.idAt(e.items[k]!), type, value: WEIGHTS[type] ?? 1, timestamp: Math.round(e.timestamps[k]! * 1000), listId: '' };
  }
  return { items, users, events };
}
