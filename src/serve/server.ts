import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { Experiments } from './abtest.js';
import { buildApp } from './app.js';
import { type ApiKey, isLoopbackHost } from './auth.js';
import type { ResultCache } from './cache/cache.js';
import { openCache } from './cache/open.js';
import { ServerMetrics } from './metrics.js';
import { type ModelLoader, ModelRegistry, defaultLoader } from './registry.js';
import type { TabularProvider } from './routes/predictions.js';
import { RecommendService, type ServiceOptions } from './service.js';
import { openStore } from './store/open.js';
import { tabularFromDir } from './tabular.js';
import type { Store } from './store/store.js';

/** Everything `reckon serve` can be told. */
export interface ServeOptions {
  /** TCP port (default 8787; 0 picks a free one). */
  port?: number;
  /** Listen address (default 127.0.0.1; anything else makes API keys mandatory for writes). */
  host?: string;
  /** Store URL (default sqlite:./.reckon/reckon.db). */
  store?: string;
  /** Cache URL: memory (default), none, redis://... */
  cache?: string;
  /** Model registry folder (default ./.reckon/models). */
  modelsDir?: string;
  apiKeys?: readonly ApiKey[];
  /** Requests per second per API key / client (0 = off, the default). */
  ratePerSecond?: number;
  logger?: FastifyServerOptions['logger'];
  logRequests?: boolean;
  bodyLimit?: number;
  /** Key prefix in Redis (default "reckon"). */
  redisPrefix?: string;
  loader?: ModelLoader;
  tabular?: TabularProvider;
  service?: ServiceOptions;
  /** Milliseconds between re-reads of the model registry, to pick up versions published by other processes such as `reckon pipeline run` (default 5000; 0 = off). */
  registryPollMs?: number;
}

/** The opened back ends and the serving core. */
export interface ServerContext {
  store: Store;
  cache: ResultCache;
  registry: ModelRegistry;
  service: RecommendService;
  close(): Promise<void>;
}

/** Default paths of the embedded set-up. */
export const DEFAULTS = { port: 8787, host: '127.0.0.1', store: 'sqlite:.reckon/reckon.db', cache: 'memory', modelsDir: '.reckon/models' } as const;

/** Opens store, cache, registry and experiments, and warms the real-time structures. */
export async function openContext(opts: ServeOptions = {}, log?: { warn(o: object, m: string): void; info(o: object, m: string): void }): Promise<ServerContext> {
  const store = await openStore(opts.store ?? DEFAULTS.store);
  const cache = openCache(opts.cache ?? DEFAULTS.cache, {
    prefix: opts.redisPrefix ?? 'reckon',
    onStateChange: (degraded, err) =>
      degraded ? log?.warn({ err: err?.message }, 'cache unavailable: answering from the model (degraded)') : log?.info({}, 'cache back: using it again'),
  });
  const modelsDir = opts.modelsDir ?? DEFAULTS.modelsDir;
  const registry = await ModelRegistry.open(modelsDir, opts.loader ?? defaultLoader);
  const experiments = await Experiments.open(modelsDir, {
    store,
    onFlushError: (e) => log?.warn({ err: (e as Error).message }, 'A/B counts not stored yet (kept, retried next second)'),
  });
  const service = new RecommendService(store, cache, registry, experiments, new ServerMetrics(), { ...(log === undefined ? {} : { log }), ...(opts.service ?? {}) });
  await service.warm();
  const pollMs = opts.registryPollMs ?? 5000;
  const poll = pollMs > 0 ? setInterval(() => void registry.refresh().catch(() => undefined), pollMs).unref() : undefined;
  return {
    store,
    cache,
    registry,
    service,
    close: async () => {
      if (poll !== undefined) clearInterval(poll);
      await experiments.close();
      await cache.close();
      await store.close();
    },
  };
}

/** A listening server. */
export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  url: string;
  /** Stops accepting, drains requests in flight, then closes cache and store. */
  close(): Promise<void>;
}

/** Opens the context, builds the app and listens; SIGINT/SIGTERM trigger a graceful, draining shutdown. */
export async function startServer(opts: ServeOptions = {}, ctxIn?: ServerContext): Promise<RunningServer> {
  const host = opts.host ?? DEFAULTS.host;
  const ctx = ctxIn ?? (await openContext(opts));
  const app = await buildApp({
    service: ctx.service,
    security: { loopbackOnly: isLoopbackHost(host), ...(opts.apiKeys === undefined ? {} : { apiKeys: opts.apiKeys }), ratePerSecond: opts.ratePerSecond ?? 0 },
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.logRequests === undefined ? {} : { logRequests: opts.logRequests }),
    ...(opts.bodyLimit === undefined ? {} : { bodyLimit: opts.bodyLimit }),
    tabular: opts.tabular ?? tabularFromDir(ctx.registry.dir),
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await ctx.close();
    })());
  const onSignal = (sig: string) => {
    app.log.info({ signal: sig }, 'shutting down: draining requests');
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  app.addHook('onClose', async () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  });
  const address = await app.listen({ port: opts.port ?? DEFAULTS.port, host });
  return { app, ctx, url: address, close };
}

/** Where the demo database and models go under a root folder. */
export function embeddedPaths(root: string): { store: string; modelsDir: string } {
  return { store: `sqlite:${join(root, 'reckon.db')}`, modelsDir: join(root, 'models') };
}
