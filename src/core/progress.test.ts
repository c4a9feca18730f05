import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttleProgress, type ProgressEvent } from './progress.js';

describe('throttleProgress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes undefined through', () => {
    expect(throttleProgress(undefined)).toBeUndefined();
  });

  it('fires at most every minMs, and always on the last unit', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const seen: ProgressEvent[] = [];
    const p = throttleProgress((e) => seen.push(e), 100)!;
    p({ step: 'epoch', done: 1, total: 10 }); // first call fires
    p({ step: 'epoch', done: 2, total: 10 }); // too soon
    vi.setSystemTime(1_000_050);
    p({ step: 'epoch', done: 3, total: 10 }); // too soon
    vi.setSystemTime(1_000_100);
    p({ step: 'epoch', done: 4, total: 10 }); // 100 ms later: fires
    p({ step: 'epoch', done: 10, total: 10 }); // last unit: fires anyway
    expect(seen.map((e) => e.done)).toEqual([1, 4, 10]);
  });

  it('does not force events when the total is unknown', () => {
    vi.useFakeTimers();
    vi.setSystemTime(5_000_000);
    const seen: number[] = [];
    const p = throttleProgress((e) => seen.push(e.done), 100)!;
    p({ step: 'read', done: 1, total: 0 });
    p({ step: 'read', done: 2, total: 0 });
    expect(seen).toEqual([1]);
  });
});
