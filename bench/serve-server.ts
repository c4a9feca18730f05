/**
 * Child process of bench/serve: starts the server on the given store, cache and models dir and prints its URL on
 * stdout. Usage: serve-server.ts STORE CACHE MODELS_DIR [REDIS_PREFIX]
 */
import { startServer } from '../src/serve/server.js';

const [store, cache, models, prefix] = process.argv.slice(2);
const s = await startServer({
  port: 0,
  store: store!,
  cache: cache!,
  modelsDir: models!,
  logger: { level: 'warn' },
  service: { warmEvents: 50_000 },
  ...(prefix === undefined ? {} : { redisPrefix: prefix }),
});
process.stdout.write(`URL ${s.url}\n`);
