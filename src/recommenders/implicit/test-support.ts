import { IdMap } from '../../core/ids.js';
import { Rng } from '../../core/rng.js';
import { Interactions, type Triples } from '../../data/interactions.js';

/**
 * A planted implicit data set for tests: `groups` user clusters, each liking its own block of items. Each user
 * interacts with `perUser` items, a share `noise` of them uniformly from the whole catalog, the rest from their
 * block; a few globally popular items get extra interactions from everyone so that popularity is a real but
 * beatable baseline. Values are 1..5, timestamps increase with the event order. Deterministic for a seed.
 */
export function plantedInteractions(opts: { users?: number; items?: number; groups?: number; perUser?: number; noise?: number; seed?: number } = {}): Interactions {
  const nU = opts.users ?? 200;
  const nI = opts.items ?? 120;
  const g = opts.groups ?? 4;
  const per = opts.perUser ?? 14;
  const noise = opts.noise ?? 0.15;
  const rng = new Rng(opts.seed ?? 7);
  const users = IdMap.fromIds(Array.from({ length: nU }, (_, u) => `u${u}`));
  const items = IdMap.fromIds(Array.from({ length: nI }, (_, i) => `i${i}`));
  const block = Math.floor(nI / g);
  const us: number[] = [];
  const is: number[] = [];
  const vs: number[] = [];
  const ts: number[] = [];
  let clock = 1_600_000_000;
  for (let u = 0; u < nU; u++) {
    const grp = u % g;
    const chosen = new Set<number>();
    while (chosen.size < per) {
      const i = rng.float() < noise ? rng.int(nI) : grp * block + rng.int(block);
      chosen.add(i);
    }
    // two globally popular items
    if (rng.float() < 0.5) chosen.add(0);
    if (rng.float() < 0.5) chosen.add(1);
    for (const i of chosen) {
      us.push(u);
      is.push(i);
      vs.push(1 + rng.int(5));
      ts.push((clock += 60));
    }
  }
  const t: Triples = { users: Int32Array.from(us), items: Int32Array.from(is), values: Float32Array.from(vs), timestamps: Float64Array.from(ts) };
  return Interactions.fromTriples(t, users, items);
}
