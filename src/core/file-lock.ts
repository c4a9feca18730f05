import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { UnavailableError } from './errors.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** Give up waiting after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  /**
   * A lock written on another host (where its pid cannot be checked) is considered abandoned after this many
   * milliseconds (default 10 min). On this host a lock is abandoned as soon as its process no longer exists.
   */
  staleMs?: number;
  /** What the lock protects, for the timeout error (default: the lock path). */
  what?: string;
}

interface Holder {
  pid: number;
  host: string;
  at: number;
  token: string;
}

/**
 * Runs `fn` while holding an exclusive lock file at `path`, across processes (and across hosts sharing the folder).
 * The lock is a file created with O_EXCL holding {pid, host, time, token}; waiters poll with a growing delay. A lock
 * left by a process that died (same host, pid gone) or, from another host, older than `staleMs` is taken over: it
 * is renamed to a unique name first and removed only if it is still the abandoned one, so two processes taking
 * over the same dead lock cannot both win. Within one process calls are not queued: use this around short
 * read-modify-write sections such as a registry file update.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const staleMs = opts.staleMs ?? 600_000;
  const me: Holder = { pid: process.pid, host: hostname(), at: Date.now(), token: randomBytes(8).toString('hex') };
  const t0 = Date.now();
  let delay = 2;
  for (;;) {
    if (await tryCreate(path, me)) break;
    const holder = await readHolder(path);
    if (holder === undefined || abandoned(holder, staleMs)) {
      await takeOver(path, holder);
      continue;
    }
    if (Date.now() - t0 > timeoutMs) {
      throw new UnavailableError(opts.what ?? path, `lock ${path} held by pid ${holder.pid} on ${holder.host} for ${((Date.now() - holder.at) / 1000).toFixed(1)} s`, { retryAfterSeconds: 5 });
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(100, delay * 2);
  }
  try {
    return await fn();
  } finally {
    // Remove the lock only if it is still ours (it could have been taken over as stale after a very long pause).
    const h = await readHolder(path);
    if (h?.token === me.token) await rm(path, { force: true });
  }
}

async function tryCreate(path: string, me: Holder): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(JSON.stringify({ ...me, at: Date.now() }));
  } finally {
    await fh.close();
  }
  return true;
}

/** The holder recorded in the lock file; undefined when it vanished or is unreadable (a holder mid-write). */
async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as Holder;
    if (typeof h.pid === 'number' && typeof h.token === 'string') return h;
  } catch {
    /* missing or half-written */
  }
  return undefined;
}

function abandoned(h: Holder, staleMs: number): boolean {
  if (h.host === hostname()) return !alive(h.pid);
  return Date.now() - h.at > staleMs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes an abandoned lock. An unreadable lock (vanished, or written this very moment) is only removed once it has
 * stayed unreadable for a while, judged by its mtime. The abandoned lock is first renamed aside; if what was moved is
 * not the abandoned holder (another process already replaced it), it is put back when the name is free.
 */
async function takeOver(path: string, holder: Holder | undefined): Promise<void> {
  if (holder === undefined) {
    try {
      if (Date.now() - (await stat(path)).mtimeMs < 1000) {
        await new Promise((r) => setTimeout(r, 5));
        return;
      }
    } catch {
      return; // gone: try to create it again
    }
  }
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readHolder(aside);
  if (holder !== undefined && moved !== undefined && moved.token !== holder.token) {
    // We moved a live lock that replaced the abandoned one: hand it back unless someone holds the name already.
    if (await tryLink(aside, path)) return;
  }
  await rm(aside, { force: true });
}

/** Moves `from` to `to` only if `to` does not exist (a hard link fails atomically on an existing name). */
async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch {
    return false;
  }
  await rm(from, { force: true });
  return true;
}
