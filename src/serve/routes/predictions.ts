import type { FastifyPluginAsync } from 'fastify';
import { InvalidArgumentError, UnknownIdError } from '../../core/errors.js';
import { errors } from './schemas.js';

/** One row of features by name (numbers, strings for categories, null for missing). */
export type FeatureRow = Record<string, number | string | boolean | null>;

/** What the predictions route needs from a tabular model. */
export interface TabularPredictor {
  /** Probability of the positive class for each row. */
  predictProba(rows: readonly FeatureRow[]): ArrayLike<number>;
}

/** Finds a tabular model by name (undefined when there is none). */
export type TabularProvider = (name: string) => Promise<TabularPredictor | undefined>;

/** POST /v1/predictions/{model}: probabilities from a named tabular model (e.g. churn) for rows of features. */
export const predictionRoutes: FastifyPluginAsync<{ tabular: TabularProvider }> = async (app, { tabular }) => {
  app.post<{ Params: { model: string }; Body: { rows: FeatureRow[] } }>(
    '/v1/predictions/:model',
    {
      schema: {
        tags: ['predictions'],
        summary: 'Predict with a named tabular model (probability of the positive class per row)',
        params: { type: 'object', properties: { model: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }, required: ['model'] },
        body: {
          type: 'object',
          properties: {
            rows: {
              type: 'array',
              minItems: 1,
              maxItems: 10000,
              items: { type: 'object', maxProperties: 1000, additionalProperties: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 10000 }, { type: 'boolean' }, { type: 'null' }] } },
            },
          },
          required: ['rows'],
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { model: { type: 'string' }, probabilities: { type: 'array', items: { type: 'number' } } }, required: ['model', 'probabilities'] },
          ...errors,
        },
      },
    },
    async (req) => {
      const m = await tabular(req.params.model);
      if (m === undefined) throw new UnknownIdError('tabular model', req.params.model);
      let p: ArrayLike<number>;
      try {
        p = m.predictProba(req.body.rows);
      } catch (e) {
        throw new InvalidArgumentError(`model ${req.params.model}: ${(e as Error).message}`);
      }
      return { model: req.params.model, probabilities: Array.from(p, (x) => (Number.isFinite(x) ? x : 0)) };
    },
  );
};
