import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveArtifact } from '../../core/artifact.js';
import { ErrorCode, ReckonError } from '../../core/errors.js';
import { ContentRecommender } from '../../recommenders/content/content.js';
import { CATALOG, ratings } from '../../recommenders/content/test-fixture.js';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'reckon-similar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, 'items.csv');
writeFileSync(
  csv,
  'id,title,plot,genres\r\n' +
    'a,The Matrix,"A hacker learns reality is a simulation; cyberpunk ""action""",Sci-Fi|Action\r\n' +
    'b,Ghost in the Shell,"A cyborg hunts a hacker in a\ncyberpunk future",Sci-Fi|Animation\r\n' +
    'c,Notting Hill,A bookshop owner falls in love,Romance\r\n' +
    'd,Toy Story,Toys come to life,Animation|Family\r\n',
);

describe('reckon similar', () => {
  it('--data: neighbours with reasons as JSON', async () => {
    const text = await runCli(['similar', '--data', csv, '--id-column', 'id', '--title-column', 'title', '--text-column', 'plot', '--category-column', 'genres', '--item', 'a', '-k', '2', '--json']);
    const res = JSON.parse(text) as { items: { id: string; score: number; reason?: string }[] };
    expect(res.items[0]!.id).toBe('b');
    expect(res.items[0]!.reason).toMatch(/^Because you watched The Matrix: .*(hacker|cyberpunk)/);
    expect(res.items[0]!.score).toBeGreaterThan(0);
  });

  it('--weight sets a column weight; a bad weight is a clear error', async () => {
    const res = JSON.parse(await runCli(['similar', '--data', csv, '--id-column', 'id', '--text-column', 'plot', '--category-column', 'genres', '--weight', 'plot=0', '--item', 'd', '-k', '1', '--json'])) as { items: { id: string; reason?: string }[] };
    // text switched off: Toy Story's neighbour is the other Animation title, by genre alone
    expect(res.items[0]!.id).toBe('b');
    expect(res.items[0]!.reason).toContain('genres: Animation');
    await expect(runCli(['similar', '--data', csv, '--id-column', 'id', '--text-column', 'plot', '--weight', 'plot', '--item', 'a'])).rejects.toThrow(/--weight: expected COLUMN=NUMBER/);
  });

  it('--query ranks a new text', async () => {
    const res = JSON.parse(await runCli(['similar', '--data', csv, '--id-column', 'id', '--text-column', 'plot', '--query', 'toys and life', '--json'])) as { items: { id: string }[] };
    expect(res.items[0]!.id).toBe('d');
  });

  it('human output is a table', async () => {
    const text = await runCli(['similar', '--data', csv, '--id-column', 'id', '--title-column', 'title', '--text-column', 'plot', '--item', 'a']);
    expect(text).toContain('Ghost in the Shell');
  });

  it('an unknown item id or column is a clear error', async () => {
    const err = await runCli(['similar', '--data', csv, '--id-column', 'id', '--text-column', 'plot', '--item', 'zz']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReckonError);
    expect((err as ReckonError).code).toBe(ErrorCode.UnknownId);
    expect((err as Error).message).toContain('"zz"');
    await expect(runCli(['similar', '--data', csv, '--id-column', 'id', '--text-column', 'nope', '--item', 'a'])).rejects.toThrow(/no text column "nope"; columns are: id, title, plot, genres/);
  });

  it('--model uses a saved model\'s similarItems', async () => {
    const m = await new ContentRecommender().setItemFeatures(CATALOG).fit(ratings());
    await saveArtifact(join(dir, 'model'), m.toArtifact());
    const res = JSON.parse(await runCli(['similar', '--model', join(dir, 'model'), '--item', 'm1', '-k', '1', '--json'])) as { items: { id: string }[] };
    expect(res.items.map((r) => r.id)).toEqual(['m9']);
  });
});
