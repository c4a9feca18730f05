import { Interactions } from '../data/interactions.js';
import '../recommenders/index.js';
import { listAlgorithms } from '../recommenders/registry.js';
import { makeDemoData } from './demo.js';
import { BoughtTogether } from '../recommenders/implicit/bought-together.js';
import { BOUGHT_TOGETHER_SLOT, DEFAULT_SLOT, type VersionInfo } from './registry.js';
import type { ServerContext } from './server.js';

/** What first start does. */
export interface BootstrapOptions {
  /** Seed the demo catalog into an empty store (default true). */
  seedDemo?: boolean;
  /** Train and activate a first model when the registry has none (default true). */
  train?: boolean;
  /** Algorithm for the first model (default: "als" when registered, else the first ranking algorithm). */
  algorithm?: string;
  params?: Record<string, unknown>;
  log?: (msg: string) => void;
}

/** Trains `algorithm` on every event in the store and publishes (and activates) it as a new version. */
export async function trainAndPublish(ctx: ServerContext, algorithm?: string, params: Record<string, unknown> = {}, slot = DEFAULT_SLOT): Promise<VersionInfo | undefined> {
  const ranking = listAlgorithms('ranking');
  const entry = algorithm === undefined ? (ranking.find((a) => a.name === 'als') ?? ranking[0]) : listAlgorithms().find((a) => a.name === algorithm);
  if (entry === undefined) return undefined;
  const t = await ctx.store.trainingTriples();
  if (t.users.length === 0) return undefined;
  const data = Interactions.fromRaw(t.users, t.items, t.values);
  const model = entry.create(params);
  await model.fit(data, { seed: 42 });
  return ctx.registry.publish(slot, model.toArtifact(), { activate: true });
}

/**
 * First start: an empty store gets the demo data set; a registry without an active recommender gets a first model
 * trained on the store's events. Afterwards the real-time structures are re-warmed.
 */
export async function bootstrap(ctx: ServerContext, opts: BootstrapOptions = {}): Promise<{ seeded: boolean; trained: VersionInfo | undefined }> {
  const log = opts.log ?? (() => undefined);
  let seeded = false;
  if (opts.seedDemo !== false && (await ctx.store.countEvents()) === 0 && (await ctx.store.listItems(1)).length === 0) {
    const demo = makeDemoData();
    await ctx.store.upsertItems(demo.items);
    await ctx.store.upsertUsers(demo.users);
    await ctx.store.insertEvents(demo.events);
    seeded = true;
    log(`seeded the demo data set: ${demo.items.length} items, ${demo.users.length} users, ${demo.events.length} events`);
  }
  let trained: VersionInfo | undefined;
  if (opts.train !== false && ctx.registry.activeModel(DEFAULT_SLOT) === undefined) {
    trained = await trainAndPublish(ctx, opts.algorithm, opts.params ?? {});
    log(trained === undefined ? 'no recommender algorithm registered: serving popularity + live co-occurrence' : `trained and activated ${trained.algorithm} as ${trained.version}`);
  }
  if (opts.train !== false && ctx.registry.activeModel(BOUGHT_TOGETHER_SLOT) === undefined) {
    // Baskets = a user's purchases less than an hour apart (sessions), from the stored events.
    const buys = (await ctx.store.recentEvents(2_000_000)).filter((e) => e.type === 'purchase' || e.type === 'buy' || e.type === 'order');
    if (buys.length > 0) {
      const bt = BoughtTogether.fromSessions(
        buys.map((e) => e.user),
        buys.map((e) => e.item),
        buys.map((e) => e.timestamp / 1000),
        3600,
      );
      const v = await ctx.registry.publish(BOUGHT_TOGETHER_SLOT, bt.toArtifact(), { activate: true });
      log(`built bought-together from ${buys.length} purchases as ${v.version}`);
    }
  }
  if (seeded) await ctx.service.warm();
  return { seeded, trained };
}
