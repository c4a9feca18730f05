import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Artifact, loadArtifact, saveArtifact, writeFileAtomic } from '../core/artifact.js';
import { withFileLock } from '../core/file-lock.js';
import { InvalidArgumentError, UnknownIdError } from '../core/errors.js';
import '../recommenders/index.js';
import { BoughtTogether } from '../recommenders/implicit/bought-together.js';
import { getAlgorithm } from '../recommenders/registry.js';
import { type ItemSpace, factorMatrixOf, itemSpaceOf } from './model/capabilities.js';
import { normIndexFor } from './model/rank.js';

/** The default slot recommendations are served from. */
export const DEFAULT_SLOT = 'recommender';

/** One published model version. */
export interface VersionInfo {
  /** "v1", "v2", ... unique across slots. */
  version: string;
  slot: string;
  algorithm: string;
  createdAt: string;
  /** Metrics recorded when the version was trained/published (e.g. ndcg@10). */
  metrics: Record<string, number>;
  /** Folder of the artifact, relative to the models dir. */
  path: string;
  /** Idempotency key given at publish (e.g. a pipeline run's id): publishing again with it returns this version. */
  key?: string;
}

/** A version loaded in memory. */
export interface LoadedModel {
  info: VersionInfo;
  model: unknown;
  space: ItemSpace | undefined;
}

/** Turns an artifact into a model object; the default uses the algorithm registry. */
export type ModelLoader = (artifact: Artifact) => unknown;

interface RegistryFile {
  next: number;
  versions: VersionInfo[];
  slots: Record<string, { active: string | null; history: string[] }>;
}

const FILE = 'registry.json';
const LOCK = 'registry.lock';

/** Slot of the frequently-bought-together model (the implicit area's `BoughtTogether`), when one is published. */
export const BOUGHT_TOGETHER_SLOT = 'bought-together';

/** Loads recommenders through `getAlgorithm(meta.algorithm).fromArtifact`, and "bought-together" basket models. */
export const defaultLoader: ModelLoader = (a) => (a.meta.algorithm === 'bought-together' ? BoughtTogether.fromArtifact(a) : getAlgorithm(a.meta.algorithm).fromArtifact(a));

/**
 * Model registry on disk: `DIR/registry.json` lists versions and, per slot, the active version and the stack of
 * previously active ones; `DIR/SLOT/VERSION/` holds each artifact (model.json + weights.safetensors). Activation
 * loads the new version fully before one reference assignment swaps it in, so requests in flight finish on the old
 * model and new ones see the new model: a hot swap with no failed request. Mutations are serialized within the
 * process and, across processes (a server, `reckon pipeline run`, workers), run under `DIR/registry.lock`: each one
 * re-reads registry.json, applies its change and writes the JSON atomically, so concurrent publishers never reuse a
 * version number or drop each other's versions.
 */
export class ModelRegistry {
  private file: RegistryFile = { next: 1, versions: [], slots: {} };
  private readonly loaded = new Map<string, LoadedModel>();
  private readonly active = new Map<string, LoadedModel>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly loader: ModelLoader,
  ) {}

  /** Opens (or creates) the registry in `dir` and loads every slot's active version. */
  static async open(dir: string, loader: ModelLoader = defaultLoader): Promise<ModelRegistry> {
    const r = new ModelRegistry(dir, loader);
    await mkdir(dir, { recursive: true });
    try {
      r.file = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as RegistryFile;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgumentError(`${join(dir, FILE)}: cannot read (${(e as Error).message})`);
    }
    for (const [slot, s] of Object.entries(r.file.slots)) {
      if (s.active !== null) r.active.set(slot, await r.load(s.active));
    }
    return r;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** A read-modify-write of registry.json: serialized here, locked across processes, on the file's latest content. */
  private mutate<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(() => this.locked(fn));
  }

  /** Runs `fn` under the cross-process lock after re-reading registry.json (callers are already serialized). */
  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(
      join(this.dir, LOCK),
      async () => {
        await this.reread();
        return fn();
      },
      { what: `model registry ${this.dir}` },
    );
  }

  /** Replaces the in-memory registry with the file on disk (kept as is when there is no file yet). */
  private async reread(): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.dir, FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new InvalidArgumentError(`${join(this.dir, FILE)}: cannot read (${(e as Error).message})`);
    }
    try {
      this.file = JSON.parse(text) as RegistryFile;
    } catch (e) {
      throw new InvalidArgumentError(`${join(this.dir, FILE)}: not valid JSON (${(e as Error).message})`);
    }
  }

  private async persist(): Promise<void> {
    await writeFileAtomic(join(this.dir, FILE), JSON.stringify(this.file, null, 1));
  }

  private info(version: string): VersionInfo {
    const v = this.file.versions.find((x) => x.version === version);
    if (v === undefined) throw new UnknownIdError('model version', version);
    return v;
  }

  /** Loads a version (once; later calls reuse it). */
  async load(version: string): Promise<LoadedModel> {
    const hit = this.loaded.get(version);
    if (hit !== undefined) return hit;
    const info = this.info(version);
    const artifact = await loadArtifact(join(this.dir, info.path));
    const model = this.loader(artifact);
    // Build the serving index before the version can be swapped in, so its first requests do not pay for it.
    const fm = factorMatrixOf(model);
    if (fm !== undefined && fm.bias === undefined) normIndexFor(fm.y, fm.f);
    const lm: LoadedModel = { info, model, space: itemSpaceOf(model) };
    this.loaded.set(version, lm);
    return lm;
  }

  /**
   * Saves `artifact` as a new version of `slot`; activates it when `activate` is set. The weights are written to a
   * staging folder first and moved to `SLOT/vN` under the lock, so the lock is held only for the rename and the JSON.
   * With `key`, a version already published under that key is returned (and activated if asked) instead of a second
   * copy: a retried pipeline task publishes once.
   */
  publish(slot: string, artifact: Artifact, opts: { activate?: boolean; metrics?: Record<string, number>; key?: string } = {}): Promise<VersionInfo> {
    if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/i.test(slot)) throw new InvalidArgumentError(`slot must match [a-z0-9][a-z0-9_.-]*, got "${slot}"`);
    return this.serial(async () => {
      const staging = join(this.dir, slot, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
      await saveArtifact(staging, artifact);
      try {
        return await this.locked(async () => {
          const done = opts.key === undefined ? undefined : this.file.versions.find((v) => v.slot === slot && v.key === opts.key);
          if (done !== undefined) {
            if (opts.activate === true) await this.swap(slot, done.version);
            return done;
          }
          const version = `v${this.file.next}`;
          const path = join(slot, version);
          await rm(join(this.dir, path), { recursive: true, force: true }); // a leftover of a publish that died before its JSON
          await rename(staging, join(this.dir, path));
          const info: VersionInfo = {
            version,
            slot,
            algorithm: artifact.meta.algorithm,
            createdAt: new Date().toISOString(),
            metrics: { ...(artifact.meta.metrics ?? {}), ...(opts.metrics ?? {}) },
            path,
          };
          if (opts.key !== undefined) info.key = opts.key;
          this.file.next++;
          this.file.versions.push(info);
          this.file.slots[slot] ??= { active: null, history: [] };
          await this.persist();
          if (opts.activate === true) await this.swap(slot, version);
          return info;
        });
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    });
  }

  private async swap(slot: string, version: string): Promise<void> {
    const info = this.info(version);
    if (info.slot !== slot) throw new InvalidArgumentError(`version ${version} belongs to slot "${info.slot}", not "${slot}"`);
    const lm = await this.load(version);
    const s = (this.file.slots[slot] ??= { active: null, history: [] });
    if (s.active === version) return;
    if (s.active !== null) s.history.push(s.active);
    s.active = version;
    await this.persist();
    this.active.set(slot, lm);
  }

  /** Makes `version` the active one of its slot (loading it first). */
  activate(version: string): Promise<VersionInfo> {
    return this.mutate(async () => {
      const info = this.info(version);
      await this.swap(info.slot, version);
      return info;
    });
  }

  /** Re-activates the version that was active before the current one. */
  rollback(slot: string = DEFAULT_SLOT): Promise<VersionInfo> {
    return this.mutate(async () => {
      const s = this.file.slots[slot];
      const prev = s?.history.pop();
      if (s === undefined || prev === undefined) throw new InvalidArgumentError(`slot "${slot}" has no earlier version to roll back to`, { slot });
      const lm = await this.load(prev);
      s.active = prev;
      await this.persist();
      this.active.set(slot, lm);
      return lm.info;
    });
  }

  /**
   * Re-reads registry.json (written by another process, e.g. `reckon pipeline run`) and hot-swaps every slot whose
   * active version changed. Returns the slots swapped. A missing or half-written file leaves everything as it is.
   */
  refresh(): Promise<string[]> {
    return this.serial(async () => {
      let next: RegistryFile;
      try {
        next = JSON.parse(await readFile(join(this.dir, FILE), 'utf8')) as RegistryFile;
      } catch {
        return [];
      }
      this.file = next;
      const swapped: string[] = [];
      for (const [slot, s] of Object.entries(next.slots)) {
        if (s.active === null || this.active.get(slot)?.info.version === s.active) continue;
        this.active.set(slot, await this.load(s.active));
        swapped.push(slot);
      }
      return swapped;
    });
  }

  /** The active model of `slot` (undefined when none has been published). */
  activeModel(slot: string = DEFAULT_SLOT): LoadedModel | undefined {
    return this.active.get(slot);
  }

  /** Every version with whether it is active. */
  list(): (VersionInfo & { active: boolean })[] {
    return this.file.versions.map((v) => ({ ...v, active: this.file.slots[v.slot]?.active === v.version }));
  }

  /** Versions currently loaded in memory. */
  loadedVersions(): string[] {
    return [...this.loaded.keys()];
  }
}
