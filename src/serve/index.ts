// The recommendation server's public names.
export { buildApp, type AppOptions } from './app.js';
export { startServer, openContext, DEFAULTS as SERVE_DEFAULTS, type ServeOptions, type ServerContext, type RunningServer } from './server.js';
export { RecommendService, type EventInput, type RecommendQuery, type ServiceOptions } from './service.js';
export { ModelRegistry, DEFAULT_SLOT, type VersionInfo, type LoadedModel, type ModelLoader } from './registry.js';
export { Experiments, type Experiment, type ExperimentResult } from './abtest.js';
export { openStore } from './store/open.js';
export type { Store } from './store/store.js';
export { SqliteStore } from './store/sqlite.js';
export { PostgresStore } from './store/postgres.js';
export { openCache } from './cache/open.js';
export { type ResultCache, NoCache } from './cache/cache.js';
export { LruCache } from './cache/lru.js';
export { RedisCache } from './cache/redis.js';
export * from './model/capabilities.js';
export { parseApiKeys, type ApiKey, type SecurityOptions } from './auth.js';
export type { TabularPredictor, TabularProvider, FeatureRow } from './routes/predictions.js';
export type * from './types.js';
