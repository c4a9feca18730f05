import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { type SecurityOptions, securityHook } from './auth.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { HttpCode, errorHandler } from './http-errors.js';
import { experimentRoutes } from './routes/experiments.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { modelRoutes } from './routes/models.js';
import { popularRoutes } from './routes/popular.js';
import { type TabularProvider, predictionRoutes } from './routes/predictions.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { userRoutes } from './routes/users.js';
import type { RecommendService } from './service.js';

/** Options of the app factory. */
export interface AppOptions {
  service: RecommendService;
  security: SecurityOptions;
  /** pino logger options, or false (default: info level). */
  logger?: FastifyServerOptions['logger'];
  /** Log one line per request (default false: only warnings and errors, which keeps the hot path fast). */
  logRequests?: boolean;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Serve OpenAPI + Swagger UI at /docs (default true). */
  docs?: boolean;
  /** Tabular models by name for /v1/predictions (default: none). */
  tabular?: TabularProvider;
}

/**
 * Builds the Fastify app without listening (tests call it through `inject`; `startServer` listens). One plugin per
 * resource; every route has a JSON schema for params, query, body and responses; errors map to statuses in one
 * handler (http-errors.ts); request latency goes to the Prometheus histogram.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: 'info' },
    logController: new LogController({ disableRequestLogging: opts.logRequests !== true }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  });
  const { service } = opts;

  if (opts.docs !== false) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'Reckon recommendation server', version: '1.0.0', description: 'Recommendations, events, catalog, models and A/B tests. See docs/serve.md.' },
        components: { securitySchemes: { apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' } } },
        security: [{ apiKey: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  app.addHook('onRequest', securityHook(opts.security));
  const metrics = service.metrics;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const cls = `${Math.floor(status / 100)}xx`;
    metrics.latency.observeKeyed(`${route} ${req.method} ${cls}`, { route, method: req.method, status: cls }, reply.elapsedTime / 1000);
    metrics.requests.incKeyed(`${route} ${req.method} ${status}`, { route, method: req.method, status: String(status) });
  });
  // Graceful shutdown: once closing, answers in flight carry "Connection: close", so keep-alive clients drop the socket
  // and close() completes as soon as they are done (new requests already get 503 from return503OnClosing).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ statusCode: 404, code: HttpCode.NotFound, message: `no route ${req.method} ${req.url.split('?')[0]}; see /docs` });
  });

  await app.register(healthRoutes, { service });
  await app.register(userRoutes, { service });
  await app.register(recommendationRoutes, { service });
  await app.register(itemRoutes, { service });
  await app.register(popularRoutes, { service });
  await app.register(eventRoutes, { service });
  await app.register(modelRoutes, { service });
  await app.register(experimentRoutes, { service });
  await app.register(dashboardRoutes, { service });
  await app.register(predictionRoutes, { tabular: opts.tabular ?? (async () => undefined) });
  return app;
}
