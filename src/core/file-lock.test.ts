import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from './errors.js';
import { withFileLock } from './file-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'reckon-lock-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(out);
}

describe('withFileLock', () => {
  it('runs read-modify-write sections one at a time and removes the lock after', async () => {
    const d = dir();
    const lock = join(d, 'x.lock');
    const counter = join(d, 'counter');
    writeFileSync(counter, '0');
    // Without the lock, these interleaved read-wait-write sections would lose updates.
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(lock, async () => {
          const v = Number(readFileSync(counter, 'utf8'));
          await sleep(3);
          writeFileSync(counter, String(v + 1));
        }),
      ),
    );
    expect(readFileSync(counter, 'utf8')).toBe('8');
    expect(existsSync(lock)).toBe(false);
  });

  it('releases the lock when the section throws', async () => {
    const lock = join(dir(), 'x.lock');
    await expect(withFileLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
    expect(await withFileLock(lock, () => Promise.resolve(7))).toBe(7);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const lock = join(dir(), 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), at: Date.now(), token: 'dead' }));
    expect(await withFileLock(lock, () => Promise.resolve('ran'), { timeoutMs: 2000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a foreign host lock only once it is older than staleMs', async () => {
    const lock = join(dir(), 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now(), token: 'fresh' }));
    await expect(withFileLock(lock, () => Promise.resolve(1), { timeoutMs: 150, staleMs: 60_000 })).rejects.toThrow(UnavailableError);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now() - 120_000, token: 'old' }));
    expect(await withFileLock(lock, () => Promise.resolve(2), { timeoutMs: 2000, staleMs: 60_000 })).toBe(2);
  });

  it('times out with a clear error naming the holder while a live process holds it', async () => {
    const lock = join(dir(), 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'live' }));
    const err = await withFileLock(lock, () => Promise.resolve(0), { timeoutMs: 120, what: 'the test registry' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/the test registry is unavailable: lock .*x\.lock held by pid \d+/);
    expect(JSON.parse(readFileSync(lock, 'utf8')).token).toBe('live'); // a live holder's lock is left alone
  });

  it('excludes other processes', async () => {
    const d = dir();
    const counter = join(d, 'counter');
    writeFileSync(counter, '0');
    const url = new URL('./file-lock.ts', import.meta.url).href;
    const script = `
      import { readFileSync, writeFileSync } from 'node:fs';
      const { withFileLock } = await import(${JSON.stringify(url)});
      for (let i = 0; i < 20; i++) {
        await withFileLock(${JSON.stringify(join(d, 'x.lock'))}, async () => {
          const v = Number(readFileSync(${JSON.stringify(counter)}, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          writeFileSync(${JSON.stringify(counter)}, String(v + 1));
        });
      }`;
    const run = () =>
      new Promise<number>((resolve) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? -1)));
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    expect(readFileSync(counter, 'utf8')).toBe('60');
  }, 60_000);
});
