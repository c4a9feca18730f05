import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_SLOT } from '../registry.js';
import type { RecommendService } from '../service.js';
import { errors } from './schemas.js';

const versionInfo = {
  type: 'object',
  properties: {
    version: { type: 'string' },
    slot: { type: 'string' },
    algorithm: { type: 'string' },
    createdAt: { type: 'string' },
    metrics: { type: 'object', additionalProperties: { type: 'number' } },
    active: { type: 'boolean' },
    served: { type: 'number', description: 'lists served by this version since start' },
  },
  required: ['version', 'slot', 'algorithm', 'createdAt', 'metrics'],
} as const;

/** Model registry: list versions (with their metrics), activate one (hot swap), roll a slot back. */
export const modelRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const tags = ['models'];
  const served = (version: string) => {
    let n = 0;
    for (const source of ['cache', 'fold-in', 'history', 'model', 'cooccurrence', 'popular']) n += service.metrics.servedByVersion.get({ version, source });
    return n;
  };

  app.get('/v1/models', { schema: { tags, summary: 'Published model versions', response: { 200: { type: 'object', properties: { models: { type: 'array', items: versionInfo } }, required: ['models'] }, ...errors } } }, async () => ({
    models: service.registry.list().map((v) => ({ ...v, served: served(v.version) })),
  }));

  app.post<{ Params: { version: string } }>(
    '/v1/models/:version/activate',
    {
      schema: {
        tags,
        summary: 'Make a version the active one of its slot (loaded first, then swapped atomically)',
        params: { type: 'object', properties: { version: { type: 'string', pattern: '^v[0-9]{1,9}$' } }, required: ['version'] },
        response: { 200: versionInfo, ...errors, 422: errors[400] },
      },
    },
    async (req) => service.registry.activate(req.params.version),
  );

  app.post<{ Body: { slot?: string } | undefined }>(
    '/v1/models/rollback',
    {
      schema: {
        tags,
        summary: 'Re-activate the previously active version of a slot',
        body: { type: 'object', properties: { slot: { type: 'string', minLength: 1, maxLength: 64 } }, additionalProperties: false },
        response: { 200: versionInfo, ...errors },
      },
    },
    async (req) => service.registry.rollback(req.body?.slot ?? DEFAULT_SLOT),
  );
};
