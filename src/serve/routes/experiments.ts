import type { FastifyPluginAsync } from 'fastify';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Experiment } from '../abtest.js';
import { DEFAULT_SLOT } from '../registry.js';
import type { RecommendService } from '../service.js';
import { errors } from './schemas.js';

const experiment = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    slot: { type: 'string' },
    control: { type: 'string' },
    treatment: { type: 'string' },
    treatmentPercent: { type: 'number' },
    startedAt: { type: 'string' },
  },
  required: ['name', 'slot', 'control', 'treatment', 'treatmentPercent', 'startedAt'],
} as const;
const variant = {
  type: 'object',
  properties: { version: { type: 'string' }, impressions: { type: 'integer' }, clicks: { type: 'integer' }, ctr: { type: 'number' } },
  required: ['version', 'impressions', 'clicks', 'ctr'],
} as const;
const nameParams = { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }, required: ['name'] } as const;

/** A/B tests between two model versions: start, list, stop, results (CTR per variant + two-proportion z-test). */
export const experimentRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const tags = ['experiments'];

  app.get('/v1/experiments', { schema: { tags, summary: 'Running A/B tests', response: { 200: { type: 'object', properties: { experiments: { type: 'array', items: experiment } }, required: ['experiments'] }, ...errors } } }, async () => ({
    experiments: service.experiments.list(),
  }));

  app.post<{ Body: Omit<Experiment, 'startedAt' | 'slot'> & { slot?: string } }>(
    '/v1/experiments',
    {
      schema: {
        tags,
        summary: 'Start an A/B test (replaces the one running in the slot)',
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
            slot: { type: 'string', minLength: 1, maxLength: 64 },
            control: { type: 'string', pattern: '^v[0-9]{1,9}$' },
            treatment: { type: 'string', pattern: '^v[0-9]{1,9}$' },
            treatmentPercent: { type: 'number', minimum: 0, maximum: 100 },
          },
          required: ['name', 'control', 'treatment', 'treatmentPercent'],
          additionalProperties: false,
        },
        response: { 200: experiment, ...errors },
      },
    },
    async (req) => {
      const slot = req.body.slot ?? DEFAULT_SLOT;
      for (const v of [req.body.control, req.body.treatment]) {
        const info = service.registry.list().find((x) => x.version === v);
        if (info === undefined) throw new InvalidArgumentError(`model version "${v}" is not published`);
        if (info.slot !== slot) throw new InvalidArgumentError(`model version "${v}" belongs to slot "${info.slot}", not "${slot}"`);
        await service.registry.load(v);
      }
      return service.experiments.start({ ...req.body, slot });
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/experiments/:name/results',
    {
      schema: {
        tags,
        summary: 'CTR per variant and a two-proportion z-test',
        params: nameParams,
        response: {
          200: {
            type: 'object',
            properties: { experiment, control: variant, treatment: variant, z: { type: 'number' }, pValue: { type: 'number' }, significantAt95: { type: 'boolean' } },
            required: ['experiment', 'control', 'treatment', 'z', 'pValue', 'significantAt95'],
          },
          ...errors,
        },
      },
    },
    async (req) => service.experiments.results(req.params.name),
  );

  app.delete<{ Params: { name: string } }>('/v1/experiments/:name', { schema: { tags, summary: 'Stop an A/B test', params: nameParams, response: { 200: experiment, ...errors } } }, async (req) =>
    service.experiments.stop(req.params.name),
  );
};
