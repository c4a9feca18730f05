import type { FastifyPluginAsync } from 'fastify';
import type { EventInput, RecommendService } from '../service.js';
import { errors, idString } from './schemas.js';

/** Largest batch accepted by POST /v1/events. */
export const MAX_EVENTS_PER_BATCH = 5000;

const eventSchema = {
  type: 'object',
  properties: {
    id: { ...idString, description: 'client event id: a retried batch never stores an event twice' },
    user: idString,
    item: idString,
    type: { type: 'string', minLength: 1, maxLength: 64 },
    value: { type: 'number', minimum: -1e9, maximum: 1e9 },
    timestamp: { anyOf: [{ type: 'integer', minimum: 0, maximum: 1e14 }, { type: 'string', minLength: 1, maxLength: 64 }] },
    listId: { type: 'string', maxLength: 128 },
  },
  required: ['user', 'item', 'type'],
  additionalProperties: false,
} as const;

/**
 * POST /v1/events: a batch of feedback events, stored in one transaction and acknowledged (200) only after the
 * commit; idempotent by event id; 503 + Retry-After when the store is unavailable (nothing acknowledged).
 */
export const eventRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  app.post<{ Body: { events: EventInput[] } }>(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Ingest feedback events (batch; durable before the answer)',
        body: {
          type: 'object',
          properties: { events: { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_BATCH, items: eventSchema } },
          required: ['events'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              accepted: { type: 'integer', description: 'newly stored' },
              duplicates: { type: 'integer', description: 'already stored (same id), skipped' },
              ids: { type: 'array', items: { type: 'string' } },
            },
            required: ['accepted', 'duplicates', 'ids'],
          },
          ...errors,
        },
      },
    },
    async (req) => service.ingest(req.body.events),
  );
};
