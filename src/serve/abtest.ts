import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/artifact.js';
import { InvalidArgumentError, UnknownIdError } from '../core/errors.js';
import type { ExperimentCountDelta, Store } from './store/store.js';

/** An A/B test between two model versions of one slot. */
export interface Experiment {
  name: string;
  slot: string;
  control: string;
  treatment: string;
  /** Share of users (0-100) sent to the treatment. */
  treatmentPercent: number;
  startedAt: string;
}

export type Variant = 'control' | 'treatment';

/** Results of one variant. */
export interface VariantResult {
  version: string;
  impressions: number;
  clicks: number;
  ctr: number;
}

/** Results with a two-proportion z-test of treatment vs control CTR. */
export interface ExperimentResult {
  experiment: Experiment;
  control: VariantResult;
  treatment: VariantResult;
  /** (ctr_t - ctr_c) / sqrt(p(1-p)(1/n_c + 1/n_t)), p the pooled CTR; 0 when undefined. */
  z: number;
  /** Two-sided p-value of z under the normal approximation. */
  pValue: number;
  significantAt95: boolean;
}

/** FNV-1a 32-bit hash: a stable, well-spread split that every server instance computes alike. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Two-proportion z-test (pooled): returns z and the two-sided p-value. */
export function twoProportionZ(clicksA: number, nA: number, clicksB: number, nB: number): { z: number; pValue: number } {
  if (nA === 0 || nB === 0) return { z: 0, pValue: 1 };
  const p = (clicksA + clicksB) / (nA + nB);
  const se = Math.sqrt(p * (1 - p) * (1 / nA + 1 / nB));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (clicksB / nB - clicksA / nA) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

const FILE = 'experiments.json';

type Counts = { impressions: number; clicks: number };

/** Options of {@link Experiments.open}. */
export interface ExperimentsOptions {
  /** Store holding the counters, shared by every server instance (without one, counts live in this process only). */
  store?: Store;
  /** Milliseconds between flushes of counted impressions and clicks to the store (default 1000). */
  flushMs?: number;
  /** Called when a flush fails (the counts are kept and retried at the next flush). */
  onFlushError?: (e: unknown) => void;
}

/**
 * Running A/B tests, at most one per slot, persisted in the models dir. A user's variant is
 * fnv1a(name + ":" + user) mod 10,000 < 100 x treatmentPercent, so it never changes while the test runs. Served lists
 * carry a list id naming experiment and variant; events that quote it count as clicks. With a store, impressions and
 * clicks are counted in memory and added to the store's counters every `flushMs` (and on close), so results survive a
 * restart and add up across server instances; results are the stored counts plus this process's unflushed ones. A
 * counter is per experiment run (name and start time): restarting an experiment starts from zero.
 */
export class Experiments {
  private readonly running = new Map<string, Experiment>();
  /** Counts not yet in the store (all counts when there is no store), by run key and variant. */
  private pending = new Map<string, Counts>();
  private readonly timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string | undefined,
    private readonly opts: ExperimentsOptions,
  ) {
    if (opts.store !== undefined) this.timer = setInterval(() => void this.flush(), opts.flushMs ?? 1000).unref();
  }

  static async open(dir: string | undefined, opts: ExperimentsOptions = {}): Promise<Experiments> {
    const x = new Experiments(dir, opts);
    if (dir !== undefined) {
      try {
        const list = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as Experiment[];
        for (const e of list) x.running.set(e.slot, e);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return x;
  }

  private async persist(): Promise<void> {
    if (this.dir !== undefined) await writeFileAtomic(join(this.dir, FILE), JSON.stringify([...this.running.values()], null, 1));
  }

  /** Starts (or replaces) the experiment of its slot. */
  async start(e: Omit<Experiment, 'startedAt'>): Promise<Experiment> {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(e.name)) throw new InvalidArgumentError(`experiment name must match [A-Za-z0-9_.-]{1,64}, got "${e.name}"`);
    if (!(e.treatmentPercent >= 0 && e.treatmentPercent <= 100)) throw new InvalidArgumentError(`treatmentPercent must be in [0, 100], got ${e.treatmentPercent}`);
    if (e.control === e.treatment) throw new InvalidArgumentError(`control and treatment must be different versions, got "${e.control}" twice`);
    const exp: Experiment = { ...e, startedAt: new Date().toISOString() };
    this.running.set(e.slot, exp);
    await this.persist();
    return exp;
  }

  async stop(name: string): Promise<Experiment> {
    const e = this.byName(name);
    this.running.delete(e.slot);
    await this.persist();
    return e;
  }

  list(): Experiment[] {
    return [...this.running.values()];
  }

  byName(name: string): Experiment {
    for (const e of this.running.values()) if (e.name === name) return e;
    throw new UnknownIdError('experiment', name);
  }

  /** The experiment and variant for `user` in `slot`, if a test runs there. */
  assign(slot: string, user: string): { experiment: Experiment; variant: Variant; version: string } | undefined {
    const e = this.running.get(slot);
    if (e === undefined) return undefined;
    const treat = fnv1a(`${e.name}:${user}`) % 10_000 < e.treatmentPercent * 100;
    return treat ? { experiment: e, variant: 'treatment', version: e.treatment } : { experiment: e, variant: 'control', version: e.control };
  }

  /** The counter key of one run of an experiment: its name and start time. */
  private static runKey(e: Experiment): string {
    return `${e.name}@${e.startedAt}`;
  }

  private bucket(e: Experiment, variant: Variant): Counts {
    const key = `${Experiments.runKey(e)}~${variant}`;
    let b = this.pending.get(key);
    if (b === undefined) {
      b = { impressions: 0, clicks: 0 };
      this.pending.set(key, b);
    }
    return b;
  }

  /** Counts one served list. */
  impression(name: string, variant: Variant): void {
    for (const e of this.running.values()) if (e.name === name) this.bucket(e, variant).impressions++;
  }

  /** Counts a click from a list id ("experiment~variant~nonce"); ignores ids of no running experiment. */
  click(listId: string): void {
    const parts = listId.split('~');
    if (parts.length !== 3 || (parts[1] !== 'control' && parts[1] !== 'treatment')) return;
    for (const e of this.running.values()) if (e.name === parts[0]) this.bucket(e, parts[1]).clicks++;
  }

  /**
   * Adds the pending counts to the store. Concurrent calls run one after another; on failure the counts are put back
   * and retried at the next flush, so a store outage loses nothing while the process lives.
   */
  flush(): Promise<void> {
    const store = this.opts.store;
    if (store === undefined) return Promise.resolve();
    const run = async (): Promise<void> => {
      if (this.pending.size === 0) return;
      const taken = this.pending;
      this.pending = new Map();
      const deltas: ExperimentCountDelta[] = [];
      for (const [key, c] of taken) {
        const cut = key.lastIndexOf('~');
        deltas.push({ experiment: key.slice(0, cut), variant: key.slice(cut + 1), impressions: c.impressions, clicks: c.clicks });
      }
      try {
        await store.addExperimentCounts(deltas);
      } catch (e) {
        for (const [key, c] of taken) {
          const b = this.pending.get(key);
          if (b === undefined) this.pending.set(key, c);
          else {
            b.impressions += c.impressions;
            b.clicks += c.clicks;
          }
        }
        this.opts.onFlushError?.(e);
      }
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  /** Stops the flush timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.flush();
  }

  async results(name: string): Promise<ExperimentResult> {
    const e = this.byName(name);
    const stored = this.opts.store === undefined ? {} : await this.opts.store.experimentCounts(Experiments.runKey(e));
    const total = (variant: Variant): Counts => {
      const p = this.pending.get(`${Experiments.runKey(e)}~${variant}`);
      const s = stored[variant];
      return { impressions: (s?.impressions ?? 0) + (p?.impressions ?? 0), clicks: (s?.clicks ?? 0) + (p?.clicks ?? 0) };
    };
    const c = total('control');
    const t = total('treatment');
    const { z, pValue } = twoProportionZ(c.clicks, c.impressions, t.clicks, t.impressions);
    const vr = (version: string, b: Counts): VariantResult => ({
      version,
      impressions: b.impressions,
      clicks: b.clicks,
      ctr: b.impressions === 0 ? 0 : b.clicks / b.impressions,
    });
    return { experiment: e, control: vr(e.control, c), treatment: vr(e.treatment, t), z, pValue, significantAt95: pValue < 0.05 };
  }
}
