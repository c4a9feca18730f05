import type { FastifyPluginAsync } from 'fastify';
import { UnknownIdError } from '../../core/errors.js';
import type { RecommendService } from '../service.js';
import type { UserRecord } from '../types.js';
import { attributes, errors, idParams, idString, iso, limitQuery, ok, userRecord } from './schemas.js';

const userJson = (u: UserRecord) => ({ id: u.id, attributes: u.attributes, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt) });

/** Users CRUD: list ids, get, put, batch upsert, delete (with their events). */
export const userRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const tags = ['users'];

  app.get<{ Querystring: { limit: number; after?: string } }>(
    '/v1/users',
    {
      schema: {
        tags,
        summary: 'List user ids in id order (cursor: after)',
        querystring: limitQuery,
        response: { 200: { type: 'object', properties: { users: { type: 'array', items: { type: 'string' } }, next: { type: 'string' } }, required: ['users'] }, ...errors },
      },
    },
    async (req) => {
      const users = await service.store.listUserIds(req.query.limit, req.query.after);
      return users.length === req.query.limit ? { users, next: users[users.length - 1]! } : { users };
    },
  );

  app.get<{ Params: { id: string } }>('/v1/users/:id', { schema: { tags, summary: 'Get a user', params: idParams, response: { 200: userRecord, ...errors } } }, async (req) => {
    const u = await service.store.getUser(req.params.id);
    if (u === undefined) throw new UnknownIdError('user', req.params.id);
    return userJson(u);
  });

  app.put<{ Params: { id: string }; Body: { attributes?: Record<string, unknown> } }>(
    '/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Create or replace a user',
        params: idParams,
        body: { type: 'object', properties: { attributes }, additionalProperties: false },
        response: { 200: userRecord, ...errors },
      },
    },
    async (req) => {
      await service.store.upsertUsers([{ id: req.params.id, attributes: req.body.attributes ?? {} }]);
      return userJson((await service.store.getUser(req.params.id))!);
    },
  );

  app.post<{ Body: { users: { id: string; attributes?: Record<string, unknown> }[] } }>(
    '/v1/users',
    {
      schema: {
        tags,
        summary: 'Create or replace users in a batch',
        body: {
          type: 'object',
          properties: {
            users: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object', properties: { id: idString, attributes }, required: ['id'], additionalProperties: false } },
          },
          required: ['users'],
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { written: { type: 'integer' } }, required: ['written'] }, ...errors },
      },
    },
    async (req) => ({ written: await service.store.upsertUsers(req.body.users) }),
  );

  app.delete<{ Params: { id: string } }>('/v1/users/:id', { schema: { tags, summary: 'Delete a user and their events', params: idParams, response: { 200: ok, ...errors } } }, async (req) => {
    if (!(await service.store.deleteUser(req.params.id))) throw new UnknownIdError('user', req.params.id);
    await service.invalidate([req.params.id]);
    return { ok: true };
  });
};
