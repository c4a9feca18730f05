import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { isLoopbackHost, parseApiKeys } from '../../serve/auth.js';
import { bootstrap } from '../../serve/bootstrap.js';
import { DEFAULTS, openContext, startServer } from '../../serve/server.js';

interface ServeFlags {
  port: string;
  host: string;
  store: string;
  cache: string;
  models: string;
  demo: boolean;
  train: boolean;
  apiKeys?: string;
  rateLimit: string;
  logRequests?: boolean;
  logLevel: string;
}

/** `reckon serve`: the recommendation server (REST API, store, cache, model registry, real-time updates). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve recommendations over HTTP (API docs at /docs). First start seeds demo data and trains a first model.')
    .option('--port <n>', 'TCP port', process.env['RECKON_PORT'] ?? String(DEFAULTS.port))
    .option('--host <addr>', 'listen address (beyond loopback, writes need an API key)', process.env['RECKON_HOST'] ?? DEFAULTS.host)
    .option('--store <url>', 'sqlite:PATH (default) or postgres://user@host:port/db', process.env['RECKON_STORE'] ?? DEFAULTS.store)
    .option('--cache <url>', 'memory (default), none, or redis://host:port', process.env['RECKON_CACHE'] ?? DEFAULTS.cache)
    .option('--models <dir>', 'model registry folder', process.env['RECKON_MODELS'] ?? DEFAULTS.modelsDir)
    .option('--no-demo', 'do not seed the demo data set into an empty store')
    .option('--no-train', 'do not train a first model when none is active')
    .option('--api-keys <list>', 'API keys "KEY:read,KEY2:read+write" (default: $RECKON_API_KEYS)')
    .option('--rate-limit <n>', 'requests per second per key or client (0 = off)', '0')
    .option('--log-requests', 'log one line per request')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (f: ServeFlags) => {
      const port = Number(f.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`--port: expected an integer in [0, 65535], got "${f.port}"`);
      const rate = Number(f.rateLimit);
      if (!(rate >= 0)) throw new InvalidArgumentError(`--rate-limit: expected a number >= 0, got "${f.rateLimit}"`);
      const keysText = f.apiKeys ?? process.env['RECKON_API_KEYS'];
      const apiKeys = keysText === undefined || keysText === '' ? undefined : parseApiKeys(keysText);
      const say = (m: string) => process.stderr.write(`reckon serve: ${m}\n`);
      const log = { warn: (o: object, m: string) => say(`${m} ${JSON.stringify(o)}`), info: (o: object, m: string) => say(m) };
      if (!isLoopbackHost(f.host) && apiKeys === undefined) say(`listening on ${f.host} without API keys: reads are open, every write is refused (set --api-keys or RECKON_API_KEYS)`);
      const opts = { port, host: f.host, store: f.store, cache: f.cache, modelsDir: f.models, ratePerSecond: rate, logger: { level: f.logLevel }, logRequests: f.logRequests === true, ...(apiKeys === undefined ? {} : { apiKeys }) };
      const ctx = await openContext(opts, log);
      await bootstrap(ctx, { seedDemo: f.demo, train: f.train, log: say });
      const s = await startServer(opts, ctx);
      const base = s.url.replace('://[::1]', '://localhost');
      const firstUser = (await ctx.store.listUserIds(1))[0] ?? 'USER';
      process.stdout.write(
        `Reckon server listening on ${base}\n` +
          `  dashboard:           ${base}/\n` +
          `  API docs (OpenAPI):  ${base}/docs\n` +
          `  recommendations:     ${base}/v1/users/${encodeURIComponent(firstUser)}/recommendations?k=10\n` +
          `  health / metrics:    ${base}/healthz  ${base}/metrics\n` +
          `  store ${ctx.store.kind}, cache ${ctx.cache.kind}, model ${ctx.registry.activeModel()?.info.version ?? 'none (popularity + co-occurrence)'}\n`,
      );
    });
}
