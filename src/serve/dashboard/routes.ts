import type { FastifyPluginAsync } from 'fastify';
import { UnknownIdError } from '../../core/errors.js';
import { errors, idParams } from '../routes/schemas.js';
import type { RecommendService } from '../service.js';
import { APP_JS, INDEX_HTML, STYLE_CSS } from './assets.js';
import { pipelineRoutes } from './pipelines.js';
import { eventsPerHour, histogramQuantile } from './stats.js';

interface Counts {
  users: number;
  items: number;
  at: number;
}

/**
 * The web dashboard: the page at `/` (plain HTML + one vanilla JS module, no build step, no external resource) and
 * the read-only JSON endpoints it needs besides the /v1 API: `/v1/stats` (overview figures),
 * `/v1/users/{id}/history` and the pipeline run history (pipelines.ts). Writes (activate/rollback) go through the existing /v1 routes, so the API-key rules
 * apply unchanged.
 */
export const dashboardRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const page = { schema: { hide: true } };
  app.get('/', page, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(INDEX_HTML));
  app.get('/dashboard/app.js', page, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(APP_JS));
  app.get('/dashboard/style.css', page, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(STYLE_CSS));

  await app.register(pipelineRoutes, { service });

  let counts: Counts | undefined;
  const countAll = async (list: (after: string) => Promise<string[]>): Promise<number> => {
    let n = 0;
    let after = '';
    for (;;) {
      const page = await list(after);
      n += page.length;
      if (page.length < 10_000) return n;
      after = page[page.length - 1]!;
    }
  };

  app.get(
    '/v1/stats',
    {
      schema: {
        tags: ['operations'],
        summary: 'Dashboard overview: users, items, events (per hour over the 24 h before the latest), cache hit ratio, latency quantiles',
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async () => {
      const now = Date.now();
      if (counts === undefined || now - counts.at > 5000) {
        const users = await countAll((after) => service.store.listUserIds(10_000, after));
        const items = await countAll(async (after) => (await service.store.listItems(10_000, after)).map((i) => i.id));
        counts = { users, items, at: now };
      }
      const recent = await service.store.recentEvents(20_000);
      const st = service.cache.stats;
      const lookups = st.hits + st.misses;
      const text = service.metrics.latency.render();
      const active = service.registry.activeModel();
      return {
        users: counts.users,
        items: counts.items,
        events: await service.store.countEvents(),
        eventsPerHour: eventsPerHour(recent.map((e) => e.timestamp)),
        cache: { kind: service.cache.kind, hits: st.hits, misses: st.misses, hitRatio: lookups === 0 ? null : st.hits / lookups, degraded: service.cache.degraded },
        latencySeconds: {
          p50: nullIfNaN(histogramQuantile(text, service.metrics.latency.name, 0.5)),
          p99: nullIfNaN(histogramQuantile(text, service.metrics.latency.name, 0.99)),
        },
        store: service.store.kind,
        model: active === undefined ? null : { version: active.info.version, algorithm: active.info.algorithm },
        versions: service.registry.list().length,
        experiments: service.experiments.list().length,
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/v1/users/:id/history',
    {
      schema: {
        tags: ['users'],
        summary: "A user's history: items with summed event weight and latest time, most recent first",
        params: idParams,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              user: { type: 'string' },
              items: {
                type: 'array',
                items: { type: 'object', properties: { item: { type: 'string' }, title: { type: 'string' }, value: { type: 'number' }, lastTimestamp: { type: 'string' } }, required: ['item', 'value', 'lastTimestamp'] },
              },
            },
            required: ['user', 'items'],
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const user = await service.store.getUser(req.params.id);
      const history = await service.store.userHistory(req.params.id, req.query.limit);
      if (user === undefined && history.length === 0) throw new UnknownIdError('user', req.params.id);
      history.sort((a, b) => b.lastTimestamp - a.lastTimestamp);
      const items = [];
      for (const h of history) {
        const it = await service.store.getItem(h.item);
        items.push({ item: h.item, title: it?.title ?? '', value: h.value, lastTimestamp: new Date(h.lastTimestamp).toISOString() });
      }
      return { user: req.params.id, items };
    },
  );
};

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
