import { describe, expect, it, vi } from 'vitest';
import { nextCronTime, parseCron, schedule } from './cron.js';

const t = (s: string): number => Date.parse(s);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('cron', () => {
  it('parses fields, ranges, lists and steps', () => {
    const c = parseCron('*/15 2-4 1,15 * 1-5');
    expect([...c.minutes.keys()].filter((k) => c.minutes[k] === 1)).toEqual([0, 15, 30, 45]);
    expect([...c.hours.keys()].filter((k) => c.hours[k] === 1)).toEqual([2, 3, 4]);
    expect(c.daysOfMonth[15]).toBe(1);
    expect(c.daysOfMonth[2]).toBe(0);
  });
  it('next time: daily, hourly, weekly, month rollover and leap day', () => {
    expect(iso(nextCronTime(parseCron('30 2 * * *'), t('2026-03-10T02:30:00Z')))).toBe('2026-03-11T02:30:00.000Z');
    expect(iso(nextCronTime(parseCron('@hourly'), t('2026-03-10T02:30:10Z')))).toBe('2026-03-10T03:00:00.000Z');
    // 2026-03-10 is a Tuesday; next Sunday (0 or 7) is the 15th.
    expect(iso(nextCronTime(parseCron('0 0 * * 7'), t('2026-03-10T12:00:00Z')))).toBe('2026-03-15T00:00:00.000Z');
    expect(iso(nextCronTime(parseCron('0 0 31 * *'), t('2026-04-01T00:00:00Z')))).toBe('2026-05-31T00:00:00.000Z');
    expect(iso(nextCronTime(parseCron('0 12 29 2 *'), t('2026-01-01T00:00:00Z')))).toBe('2028-02-29T12:00:00.000Z');
  });
  it('restricted day-of-month and day-of-week combine with OR, as in cron', () => {
    // The 13th or any Friday: after Mon 2026-03-09 the first is Fri 13th... pick a month where Friday comes first.
    expect(iso(nextCronTime(parseCron('0 0 13 * 5'), t('2026-03-01T00:00:00Z')))).toBe('2026-03-06T00:00:00.000Z');
  });
  it('rejects malformed expressions with the field named', () => {
    expect(() => parseCron('* * *')).toThrow(/expected 5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute "60" is out of range 0-59/);
    expect(() => parseCron('* * * * mon')).toThrow(/day of week field "mon"/);
  });
  it('schedule fires at each match until aborted', async () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(t('2026-03-10T10:00:30Z'));
      const fired: string[] = [];
      const ac = new AbortController();
      schedule('*/2 * * * *', async (at) => void fired.push(iso(at)), ac.signal);
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      ac.abort();
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(fired).toEqual(['2026-03-10T10:02:00.000Z', '2026-03-10T10:04:00.000Z']);
    } finally {
      vi.useRealTimers();
    }
  });
});
