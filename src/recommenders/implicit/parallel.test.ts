import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../core/pool.js';
import { AlsModel } from './als.js';
import { BprModel } from './bpr.js';
import { plantedInteractions } from './test-support.js';

const data = plantedInteractions({ users: 150, items: 90, perUser: 10 });
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('worker-pool paths', () => {
  it('recommendAll on 2 threads equals the single-thread batch path, unknown users get popularity', async () => {
    const m = await new AlsModel({ factors: 8, epochs: 3 }).fit(data);
    const users = Int32Array.from({ length: data.nUsers + 2 }, (_, r) => (r < data.nUsers ? r : -1));
    const par = await m.recommendAll(12, { users, pool });
    const seq = m.recommendIndices(users, 12);
    expect(Array.from(par.indices)).toEqual(Array.from(seq.indices));
    expect(Array.from(par.scores)).toEqual(Array.from(seq.scores));
    const pop = m.recommend('nobody', 12).map((s) => data.items.indexOf(s.id));
    expect(Array.from(par.indices.subarray(data.nUsers * 12, data.nUsers * 12 + 12))).toEqual(pop);
  });

  it('BPR with 3 shards gives the same model on every run (pool or not)', async () => {
    const a = await new BprModel({ factors: 8, epochs: 3, threads: 3 }).fit(data);
    const b = await new BprModel({ factors: 8, epochs: 3, threads: 3 }).fit(data);
    expect(Array.from(a.itemFactors)).toEqual(Array.from(b.itemFactors));
    expect(Array.from(a.userFactors)).toEqual(Array.from(b.userFactors));
  });
});

describe('ALS on the shared pool', () => {
  it('gives the same factors with 1 or 2 threads (rows are solved independently)', async () => {
    const prev = process.env['RECKON_THREADS'];
    const { getSharedPool } = await import('../../core/pool.js');
    process.env['RECKON_THREADS'] = '1';
    await getSharedPool().close();
    const a = await new AlsModel({ factors: 6, epochs: 3 }).fit(data);
    process.env['RECKON_THREADS'] = '2';
    await getSharedPool().close();
    const b = await new AlsModel({ factors: 6, epochs: 3 }).fit(data);
    expect(getSharedPool().size).toBe(2);
    expect(Array.from(b.userFactors)).toEqual(Array.from(a.userFactors));
    expect(Array.from(b.itemFactors)).toEqual(Array.from(a.itemFactors));
    if (prev === undefined) delete process.env['RECKON_THREADS'];
    else process.env['RECKON_THREADS'] = prev;
    await getSharedPool().close();
  });
});
