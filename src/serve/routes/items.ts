import type { FastifyPluginAsync } from 'fastify';
import { UnknownIdError } from '../../core/errors.js';
import type { RecommendService } from '../service.js';
import type { ItemInput, ItemRecord } from '../types.js';
import { errors, idParams, idString, iso, itemBody, itemRecord, kQuery, limitQuery, ok, scoredList } from './schemas.js';

const itemJson = (it: ItemRecord) => ({ ...it, createdAt: iso(it.createdAt), updatedAt: iso(it.updatedAt) });

/** Items CRUD (title, description, categories, attributes, hidden flag, timestamps), similar items, bought together. */
export const itemRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const tags = ['items'];
  const put = async (items: ItemInput[]) => {
    const n = await service.store.upsertItems(items);
    for (const it of items) service.catalog.put({ id: it.id, hidden: it.hidden ?? false, categories: it.categories ?? [] });
    return n;
  };

  app.get<{ Querystring: { limit: number; after?: string } }>(
    '/v1/items',
    {
      schema: {
        tags,
        summary: 'List items in id order (cursor: after)',
        querystring: limitQuery,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: itemRecord }, next: { type: 'string' } }, required: ['items'] }, ...errors },
      },
    },
    async (req) => {
      const items = (await service.store.listItems(req.query.limit, req.query.after)).map(itemJson);
      return items.length === req.query.limit ? { items, next: items[items.length - 1]!.id } : { items };
    },
  );

  app.get<{ Params: { id: string } }>('/v1/items/:id', { schema: { tags, summary: 'Get an item', params: idParams, response: { 200: itemRecord, ...errors } } }, async (req) => {
    const it = await service.store.getItem(req.params.id);
    if (it === undefined) throw new UnknownIdError('item', req.params.id);
    return itemJson(it);
  });

  app.put<{ Params: { id: string }; Body: Omit<ItemInput, 'id'> }>(
    '/v1/items/:id',
    { schema: { tags, summary: 'Create or replace an item', params: idParams, body: itemBody, response: { 200: itemRecord, ...errors } } },
    async (req) => {
      await put([{ ...req.body, id: req.params.id }]);
      return itemJson((await service.store.getItem(req.params.id))!);
    },
  );

  app.post<{ Body: { items: ItemInput[] } }>(
    '/v1/items',
    {
      schema: {
        tags,
        summary: 'Create or replace items in a batch',
        body: {
          type: 'object',
          properties: { items: { type: 'array', minItems: 1, maxItems: 1000, items: { ...itemBody, properties: { ...itemBody.properties, id: idString }, required: ['id'] } } },
          required: ['items'],
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { written: { type: 'integer' } }, required: ['written'] }, ...errors },
      },
    },
    async (req) => ({ written: await put(req.body.items) }),
  );

  app.delete<{ Params: { id: string } }>('/v1/items/:id', { schema: { tags, summary: 'Delete an item (its events stay)', params: idParams, response: { 200: ok, ...errors } } }, async (req) => {
    if (!(await service.store.deleteItem(req.params.id))) throw new UnknownIdError('item', req.params.id);
    service.catalog.put({ id: req.params.id, hidden: true, categories: [] });
    return { ok: true };
  });

  app.get<{ Params: { id: string }; Querystring: { k: number; category?: string; slot?: string } }>(
    '/v1/items/:id/similar',
    { schema: { tags, summary: 'Items similar to this one (model neighbours, else live co-occurrence)', params: idParams, querystring: kQuery, response: { 200: scoredList, ...errors } } },
    async (req) => service.similar(req.params.id, req.query.k, req.query.category, req.query.slot),
  );

  app.get<{ Params: { id: string }; Querystring: { k: number; slot?: string } }>(
    '/v1/items/:id/bought-together',
    { schema: { tags, summary: 'Items frequently bought together with this one', params: idParams, querystring: kQuery, response: { 200: scoredList, ...errors } } },
    async (req) => service.boughtTogether(req.params.id, req.query.k, req.query.slot),
  );
};
