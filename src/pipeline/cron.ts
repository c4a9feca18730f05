import { InvalidArgumentError } from '../core/errors.js';

/** A parsed 5-field cron expression: allowed values per field (UTC). */
export interface Cron {
  source: string;
  minutes: Uint8Array;
  hours: Uint8Array;
  daysOfMonth: Uint8Array;
  months: Uint8Array;
  daysOfWeek: Uint8Array;
  /** True when day-of-month / day-of-week were restricted (cron's OR rule applies when both are). */
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const MACROS: Record<string, string> = { '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0', '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *' };

function parseField(text: string, f: (typeof FIELDS)[number], expr: string): Uint8Array {
  const out = new Uint8Array(f.max + 1);
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (m === null) throw new InvalidArgumentError(`cron "${expr}": ${f.name} field "${text}" is not *, N, N-M or a list of those with an optional /STEP`);
    const step = m[4] === undefined ? 1 : Number(m[4]);
    let lo: number = f.min;
    let hi: number = f.max;
    if (m[1] !== '*') {
      lo = Number(m[2]);
      hi = m[3] === undefined ? (m[4] === undefined ? lo : f.max) : Number(m[3]);
    }
    if (lo < f.min || hi > f.max || lo > hi || step < 1) {
      throw new InvalidArgumentError(`cron "${expr}": ${f.name} "${part}" is out of range ${f.min}-${f.max}`);
    }
    for (let v = lo; v <= hi; v += step) out[v] = 1;
  }
  return out;
}

/** Parses "MIN HOUR DOM MON DOW" (or @hourly/@daily/@weekly/@monthly/@yearly); DOW 0 and 7 are Sunday. UTC. */
export function parseCron(expr: string): Cron {
  const src = MACROS[expr.trim()] ?? expr.trim();
  const parts = src.split(/\s+/);
  if (parts.length !== 5) throw new InvalidArgumentError(`cron "${expr}": expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const fields = parts.map((p, k) => parseField(p, FIELDS[k]!, expr));
  const dow = fields[4]!;
  if (dow[7] === 1) dow[0] = 1;
  return {
    source: expr,
    minutes: fields[0]!,
    hours: fields[1]!,
    daysOfMonth: fields[2]!,
    months: fields[3]!,
    daysOfWeek: dow,
    domRestricted: parts[2] !== '*',
    dowRestricted: parts[4] !== '*',
  };
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.daysOfMonth[d.getUTCDate()] === 1;
  const dow = c.daysOfWeek[d.getUTCDay()] === 1;
  if (c.domRestricted && c.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The first time strictly after `after` (epoch ms) that matches, in epoch ms (UTC, minute resolution). */
export function nextCronTime(c: Cron, after: number): number {
  const d = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + 5 * 366 * 86_400_000;
  while (d.getTime() <= limit) {
    if (c.months[d.getUTCMonth() + 1] !== 1) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(c, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (c.hours[d.getUTCHours()] !== 1) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (c.minutes[d.getUTCMinutes()] !== 1) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  throw new InvalidArgumentError(`cron "${c.source}": no matching time within 5 years`);
}

/**
 * Calls `fire(time)` at every match of `expr` until the signal aborts (an in-process scheduler; one timer at a time).
 * A run still going when the next time comes is not overlapped: that tick is skipped.
 */
export function schedule(expr: string, fire: (time: number) => Promise<unknown>, signal: AbortSignal): void {
  const c = parseCron(expr);
  let busy = false;
  const arm = (): void => {
    if (signal.aborted) return;
    const at = nextCronTime(c, Date.now());
    const t = setTimeout(() => {
      if (!busy) {
        busy = true;
        void fire(at)
          .catch(() => undefined)
          .finally(() => (busy = false));
      }
      arm();
    }, Math.max(0, at - Date.now()));
    signal.addEventListener('abort', () => clearTimeout(t), { once: true });
  };
  arm();
}
