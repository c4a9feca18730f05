import { Rng } from '../../core/rng.js';
import { Interactions } from '../../data/interactions.js';
import { AlsModel } from '../../recommenders/implicit/als.js';

/** Test kit: a real ALS (the implicit area's) fitted on seeded random interactions over items "i0".."i{n-1}". */
export async function trainSmallAls(nItems: number, nUsers: number, seed: number, factors = 8): Promise<AlsModel> {
  const rng = new Rng(seed);
  const users: string[] = [];
  const items: string[] = [];
  const values: number[] = [];
  // every item appears at least once, so the model's item space is the whole catalog
  for (let i = 0; i < nItems; i++) {
    users.push(`t${i % nUsers}`);
    items.push(`i${i}`);
    values.push(1);
  }
  for (let u = 0; u < nUsers; u++) {
    for (let e = 0; e < 10; e++) {
      users.push(`t${u}`);
      items.push(`i${Math.floor(nItems * Math.pow(rng.uniform(), 2))}`);
      values.push(1 + rng.int(3));
    }
  }
  return new AlsModel({ factors, epochs: 5, seed }).fit(Interactions.fromRaw(users, items, values));
}
