import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_SLOT } from '../registry.js';
import type { RecommendService } from '../service.js';
import { errors, idParams, scored, servedModel } from './schemas.js';

interface Query {
  k: number;
  offset: number;
  category?: string;
  excludeSeen: boolean;
  slot?: string;
}

/**
 * GET /v1/users/{id}/recommendations: the user's top k (after `offset`), optionally in one category, seen items
 * excluded by default, each with a reason; `model` names the version that answered. Cached lists are sent as the
 * stored JSON text (no re-serialization); `x-cache: hit|miss` tells which.
 */
export const recommendationRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/v1/users/:id/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: "A user's recommendations (popular items for a new user)",
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
            offset: { type: 'integer', minimum: 0, maximum: 10000, default: 0 },
            category: { type: 'string', minLength: 1, maxLength: 200 },
            excludeSeen: { type: 'boolean', default: true },
            slot: { type: 'string', minLength: 1, maxLength: 64 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              user: { type: 'string' },
              items: { type: 'array', items: scored },
              model: servedModel,
              experiment: { type: 'object', properties: { name: { type: 'string' }, variant: { type: 'string' } } },
              listId: { type: 'string', description: 'quote it as the listId of events that follow from this list (A/B clicks)' },
            },
            required: ['user', 'items', 'model', 'listId'],
          },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const r = await service.recommend(req.params.id, {
        k: q.k,
        offset: q.offset,
        excludeSeen: q.excludeSeen,
        slot: q.slot ?? DEFAULT_SLOT,
        ...(q.category === undefined ? {} : { category: q.category }),
      });
      return reply.header('x-cache', r.cached ? 'hit' : 'miss').type('application/json; charset=utf-8').send(r.body);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { k: number; windowMinutes: number } }>(
    '/v1/users/:id/session-recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: "Recommendations from the user's current session only (recent activity, never cached)",
        params: idParams,
        querystring: {
          type: 'object',
          properties: { k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 }, windowMinutes: { type: 'integer', minimum: 1, maximum: 10080, default: 30 } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: scored }, model: servedModel, session: { type: 'array', items: { type: 'string' } } }, required: ['items', 'model', 'session'] },
          ...errors,
        },
      },
    },
    async (req) => service.sessionRecommend(req.params.id, req.query.k, req.query.windowMinutes),
  );
};
