import type { FastifyPluginAsync } from 'fastify';
import type { RecommendService } from '../service.js';
import { errors, scoredList } from './schemas.js';

const query = {
  type: 'object',
  properties: {
    k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    offset: { type: 'integer', minimum: 0, maximum: 10000, default: 0 },
    category: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
} as const;

/** Popular (all-time event count) and trending (decayed count) items, updated in real time. */
export const popularRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const model = (source: string) => ({ version: 'live', algorithm: 'popularity', slot: 'live', source });
  for (const kind of ['popular', 'trending'] as const) {
    app.get<{ Querystring: { k: number; offset: number; category?: string } }>(
      `/v1/${kind}`,
      { schema: { tags: ['recommendations'], summary: kind === 'popular' ? 'Most interacted-with items' : 'Items by exponentially decayed interaction count (half-life 1 day)', querystring: query, response: { 200: scoredList, ...errors } } },
      async (req) => {
        const { k, offset, category } = req.query;
        const accept = (id: string) => service.catalog.accepts(id, category);
        const items = kind === 'popular' ? service.popularity.popular(k, offset, accept) : service.popularity.trending(k, offset, accept);
        return { items, model: model(kind) };
      },
    );
  }
};
