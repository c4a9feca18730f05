import { errorSchema } from '../http-errors.js';

/** JSON schemas shared by the routes (they also feed the OpenAPI document at /docs). */

export const idString = { type: 'string', minLength: 1, maxLength: 256 } as const;
export const idParams = { type: 'object', properties: { id: idString }, required: ['id'], additionalProperties: false } as const;

export const scored = {
  type: 'object',
  properties: { id: { type: 'string' }, score: { type: 'number' }, reason: { type: 'string' } },
  required: ['id', 'score'],
} as const;

export const servedModel = {
  type: 'object',
  properties: { version: { type: 'string' }, algorithm: { type: 'string' }, slot: { type: 'string' }, source: { type: 'string' } },
  required: ['version', 'algorithm'],
} as const;

export const scoredList = {
  type: 'object',
  properties: { items: { type: 'array', items: scored }, model: servedModel },
  required: ['items', 'model'],
} as const;

export const attributes = { type: 'object', additionalProperties: true, maxProperties: 200 } as const;

export const itemBody = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 1000 },
    description: { type: 'string', maxLength: 20000 },
    categories: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: 100 },
    attributes,
    hidden: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

export const itemRecord = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    categories: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: true },
    hidden: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'title', 'description', 'categories', 'attributes', 'hidden', 'createdAt', 'updatedAt'],
} as const;

export const userRecord = {
  type: 'object',
  properties: { id: { type: 'string' }, attributes: { type: 'object', additionalProperties: true }, createdAt: { type: 'string' }, updatedAt: { type: 'string' } },
  required: ['id', 'attributes', 'createdAt', 'updatedAt'],
} as const;

export const limitQuery = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 }, after: { type: 'string', maxLength: 256 } },
  additionalProperties: false,
} as const;

export const kQuery = {
  type: 'object',
  properties: {
    k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    category: { type: 'string', minLength: 1, maxLength: 200 },
    slot: { type: 'string', minLength: 1, maxLength: 64 },
  },
  additionalProperties: false,
} as const;

/** Standard error responses added to every route. */
export const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 413: errorSchema, 429: errorSchema, 503: errorSchema } as const;

export const ok = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } as const;

/** ISO 8601 from epoch milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();
