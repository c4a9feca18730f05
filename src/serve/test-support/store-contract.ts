import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../types.js';
import type { Store } from '../store/store.js';

/** Test kit: the one contract every Store adapter must pass (run by store.test.ts against SQLite and PostgreSQL). */
export function storeContract(name: string, open: () => Promise<Store>, cleanup: (s: Store) => Promise<void> = async () => undefined): void {
  describe(`Store contract: ${name}`, () => {
    let s: Store;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(async () => {
      await cleanup(s);
      await s.close();
    });

    const ev = (id: string, user: string, item: string, ts: number, value = 1): EventRecord => ({ id, user, item, type: 'view', value, timestamp: ts, listId: '' });

    it('migrations are idempotent', async () => {
      await s.migrate();
      await s.ping();
    });

    it('users: upsert, get, list in id order with cursor, delete', async () => {
      expect(await s.upsertUsers([{ id: 'u2', attributes: { age: 30 } }, { id: 'u1' }, { id: 'u3' }])).toBe(3);
      await s.upsertUsers([{ id: 'u2', attributes: { age: 31 } }]);
      const u2 = await s.getUser('u2');
      expect(u2?.attributes).toEqual({ age: 31 });
      expect(u2!.updatedAt).toBeGreaterThanOrEqual(u2!.createdAt);
      expect(await s.listUserIds(10)).toEqual(['u1', 'u2', 'u3']);
      expect(await s.listUserIds(1, 'u1')).toEqual(['u2']);
      expect(await s.getUser('nobody')).toBeUndefined();
      expect(await s.deleteUser('u3')).toBe(true);
      expect(await s.deleteUser('u3')).toBe(false);
    });

    it('items: every field round-trips; upsert replaces; hidden flag', async () => {
      await s.upsertItems([{ id: 'i1', title: 'One', description: 'first', categories: ['a', 'b'], attributes: { price: 9.5 }, hidden: false }, { id: 'i2' }]);
      const i1 = await s.getItem('i1');
      expect(i1).toMatchObject({ id: 'i1', title: 'One', description: 'first', categories: ['a', 'b'], attributes: { price: 9.5 }, hidden: false });
      await s.upsertItems([{ id: 'i1', title: 'Uno', hidden: true }]);
      expect(await s.getItem('i1')).toMatchObject({ title: 'Uno', categories: [], hidden: true });
      expect((await s.listItems(10)).map((x) => x.id)).toEqual(['i1', 'i2']);
      expect((await s.listItems(10, 'i1')).map((x) => x.id)).toEqual(['i2']);
      expect(await s.deleteItem('i2')).toBe(true);
      expect(await s.getItem('i2')).toBeUndefined();
    });

    it('values with quotes and SQL are stored verbatim (bound parameters)', async () => {
      const nasty = `x'); DROP TABLE items; --`;
      await s.upsertItems([{ id: nasty, title: nasty }]);
      expect((await s.getItem(nasty))?.title).toBe(nasty);
      await s.deleteItem(nasty);
    });

    it('events: idempotent by id, history aggregated most-recent first', async () => {
      const first = await s.insertEvents([ev('e1', 'ua', 'i1', 1000), ev('e2', 'ua', 'i2', 2000, 2), ev('e3', 'ua', 'i1', 3000)]);
      expect(first.sort()).toEqual(['e1', 'e2', 'e3']);
      const again = await s.insertEvents([ev('e1', 'ua', 'i1', 1000), ev('e4', 'ub', 'i2', 4000), ev('e4', 'ub', 'i2', 4000)]);
      expect(again).toEqual(['e4']);
      expect(await s.countEvents()).toBe(4);
      expect(await s.userHistory('ua', 10)).toEqual([
        { item: 'i1', value: 2, lastTimestamp: 3000 },
        { item: 'i2', value: 2, lastTimestamp: 2000 },
      ]);
      expect(await s.userHistory('ua', 1)).toHaveLength(1);
      expect(await s.existingEventIds(['e1', 'e4', 'nope'])).toEqual(new Set(['e1', 'e4']));
      const counts = (await s.itemCounts()).sort((a, b) => a.item.localeCompare(b.item));
      expect(counts).toEqual([
        { item: 'i1', count: 2, lastTimestamp: 3000 },
        { item: 'i2', count: 2, lastTimestamp: 4000 },
      ]);
      const recent = await s.recentEvents(2);
      expect(recent.map((e) => e.id)).toEqual(['e3', 'e4']);
      const t = await s.trainingTriples();
      const rows = t.users.map((u, k) => `${u}/${t.items[k]}/${t.values[k]}`).sort();
      expect(rows).toEqual(['ua/i1/2', 'ua/i2/2', 'ub/i2/1']);
    });

    it('deleting a user deletes their events', async () => {
      await s.upsertUsers([{ id: 'ub' }]);
      await s.deleteUser('ub');
      expect(await s.userHistory('ub', 10)).toEqual([]);
    });

    it('events in a time range, and pipeline run/task records round-trip', async () => {
      await s.insertEvents([ev('r1', 'ur', 'i1', 10_000), ev('r2', 'ur', 'i2', 20_000), ev('r3', 'ur', 'i3', 30_000)]);
      expect((await s.eventsInRange(10_000, 30_000, 10)).map((e) => e.id)).toEqual(['r1', 'r2']);
      expect((await s.eventsInRange(0, 1e15, 1)).length).toBe(1);
      await s.savePipelineRun({ id: 'run1', pipeline: 'p', status: 'running', startedAt: 5, finishedAt: null, data: { params: { a: 1 } } });
      await s.savePipelineRun({ id: 'run1', pipeline: 'p', status: 'succeeded', startedAt: 5, finishedAt: 9, data: { params: { a: 1 } } });
      await s.savePipelineRun({ id: 'run2', pipeline: 'q', status: 'failed', startedAt: 7, finishedAt: 8, data: {} });
      expect(await s.getPipelineRun('run1')).toEqual({ id: 'run1', pipeline: 'p', status: 'succeeded', startedAt: 5, finishedAt: 9, data: { params: { a: 1 } } });
      expect((await s.listPipelineRuns(10)).map((r) => r.id)).toEqual(['run2', 'run1']);
      expect((await s.listPipelineRuns(10, 'p')).map((r) => r.id)).toEqual(['run1']);
      const t = { runId: 'run1', pipeline: 'p', task: 't', status: 'succeeded' as const, inputHash: 'h1', attempts: 2, startedAt: 6, finishedAt: 8, data: { logs: ['x'] } };
      await s.savePipelineTask({ ...t, status: 'running', finishedAt: null });
      await s.savePipelineTask(t);
      expect(await s.listPipelineTasks('run1')).toEqual([t]);
      expect(await s.findSucceededTask('p', 't', 'h1')).toEqual(t);
      expect(await s.findSucceededTask('p', 't', 'h2')).toBeUndefined();
    });

    it('A/B counters start at zero, add up (also repeated keys in one batch) and are per experiment', async () => {
      expect(await s.experimentCounts('e@1')).toEqual({});
      await s.addExperimentCounts([
        { experiment: 'e@1', variant: 'control', impressions: 3, clicks: 1 },
        { experiment: 'e@1', variant: 'control', impressions: 2, clicks: 0 },
        { experiment: 'e@1', variant: 'treatment', impressions: 4, clicks: 2 },
        { experiment: 'e@2', variant: 'control', impressions: 7, clicks: 7 },
      ]);
      await s.addExperimentCounts([{ experiment: 'e@1', variant: 'treatment', impressions: 1, clicks: 1 }]);
      await s.addExperimentCounts([]);
      expect(await s.experimentCounts('e@1')).toEqual({ control: { impressions: 5, clicks: 1 }, treatment: { impressions: 5, clicks: 3 } });
      expect(await s.experimentCounts('e@2')).toEqual({ control: { impressions: 7, clicks: 7 } });
    });
  });
}
