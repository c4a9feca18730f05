import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../serve/store/open.js';
import type { EventRecord } from '../../serve/types.js';
import { runCli } from '../test-support/run-cli.js';

const runQuiet = (args: string[]): Promise<string> => runCli(args, { quietStderr: true });
import { parseCandidate } from './pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-pipeline-cli-'));
const db = `sqlite:${join(dir, 'r.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reckon pipeline', () => {
  beforeAll(async () => {
    const s = await openStore(db);
    const ev: EventRecord[] = [];
    for (let u = 0; u < 30; u++) for (let t = 0; t < 5; t++) ev.push({ id: `e${u}_${t}`, user: `u${u}`, item: `i${(u + t * 3) % 17}`, type: 'view', value: 1, timestamp: 1_000_000 + t * 1000 + u, listId: '' });
    await s.insertEvents(ev);
    await s.close();
  });

  it('run -> list -> status -> logs', async () => {
    const common = ['--store', db, '--models', join(dir, 'models'), '--work-dir', join(dir, 'work'), '--cache', 'none'];
    const res = JSON.parse(await runQuiet(['pipeline', 'run', ...common, '--candidate', 'popular', '--metric', 'ndcg@5', '--json'])) as { runId: string; status: string; outputs: Record<string, unknown> };
    expect(res.status).toBe('succeeded');
    expect(res.outputs['publish']).toMatchObject({ published: 'v1' });
    const list = JSON.parse(await runQuiet(['pipeline', 'list', '--store', db, '--json'])) as { id: string; data: Record<string, unknown> }[];
    expect(list[0]).toMatchObject({ id: res.runId, data: { decision: 'promoted', published: 'v1' } });
    const st = JSON.parse(await runQuiet(['pipeline', 'status', res.runId, '--store', db, '--json'])) as { tasks: { task: string; status: string }[] };
    expect(st.tasks.map((t) => t.task)).toEqual(['extract', 'build', 'train:popular#0', 'evaluate', 'gate', 'publish', 'warm']);
    const logs = await runQuiet(['pipeline', 'logs', res.runId, '--store', db, '--task', 'extract']);
    expect(logs).toMatch(/^\[extract\] .* extracted 150 events/);
    const jsonLogs = (await runQuiet(['pipeline', 'logs', res.runId, '--store', db, '--task', 'extract', '--json'])).trim().split('\n').map((l) => JSON.parse(l) as { task: string; line: string });
    expect(jsonLogs.length).toBe(logs.trim().split('\n').length);
    expect(jsonLogs[0]!.task).toBe('extract');
    expect(logs.startsWith(`[extract] ${jsonLogs[0]!.line}`)).toBe(true);
  });

  it('parses candidate specs and rejects bad ones', () => {
    expect(parseCandidate('als:factors=8,alpha=2.5,name=x,flag=true')).toEqual({ algorithm: 'als', params: { factors: 8, alpha: 2.5, name: 'x', flag: true } });
    expect(() => parseCandidate('als:factors')).toThrow(/"factors" is not key=value/);
    expect(parseCandidate('als:factors=8|16,epochs=5')).toEqual({ algorithm: 'als', params: { epochs: 5 }, grid: { factors: [8, 16] } });
  });
});
