import type { FastifyPluginAsync } from 'fastify';
import { gauge } from '../metrics.js';
import type { RecommendService } from '../service.js';
import { errors } from './schemas.js';

/** /healthz (process alive), /readyz (store reachable, model state), /metrics (Prometheus text). */
export const healthRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the store answers; reports the active model and cache state',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, store: { type: 'string' }, cache: { type: 'string' }, cacheDegraded: { type: 'boolean' }, model: { type: 'string' } },
            required: ['status'],
          },
          ...errors,
        },
      },
    },
    async () => {
      await service.store.ping();
      return {
        status: 'ready',
        store: service.store.kind,
        cache: service.cache.kind,
        cacheDegraded: service.cache.degraded,
        model: service.registry.activeModel()?.info.version ?? 'none (popularity + co-occurrence)',
      };
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', response: { 200: { type: 'string' } } } }, async (_req, reply) => {
    const m = service.metrics;
    const st = service.cache.stats;
    const lookups = st.hits + st.misses;
    const text =
      m.latency.render() +
      m.requests.render() +
      m.eventsIngested.render() +
      m.eventsDuplicate.render() +
      m.servedByVersion.render() +
      m.degraded.render() +
      gauge('reckon_cache_hits_total', 'Cache hits', st.hits, { cache: service.cache.kind }) +
      gauge('reckon_cache_misses_total', 'Cache misses', st.misses, { cache: service.cache.kind }) +
      gauge('reckon_cache_errors_total', 'Cache back-end failures (answered from the model)', st.errors, { cache: service.cache.kind }) +
      gauge('reckon_cache_hit_ratio', 'Cache hits / lookups since start', lookups === 0 ? 0 : st.hits / lookups, { cache: service.cache.kind }) +
      gauge('reckon_cache_degraded', '1 while the cache back end is failing', service.cache.degraded ? 1 : 0) +
      service.registry
        .list()
        .map((v) => gauge('reckon_model_info', 'Published model versions (1 = active)', v.active ? 1 : 0, { version: v.version, slot: v.slot, algorithm: v.algorithm }))
        .join('');
    return reply.type('text/plain; version=0.0.4').send(text);
  });
};
