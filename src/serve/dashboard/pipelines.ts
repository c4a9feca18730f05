import type { FastifyPluginAsync } from 'fastify';
import { UnknownIdError } from '../../core/errors.js';
import { errors } from '../routes/schemas.js';
import type { RecommendService } from '../service.js';
import type { Store } from '../store/store.js';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const seconds = (a: number, b: number | null) => (b === null ? null : (b - a) / 1000);

/**
 * Read-only pipeline run history for the dashboard: `GET /v1/pipelines/runs` and `GET /v1/pipelines/runs/{id}`
 * (tasks in start order with status, attempts, metrics, logs), read from the store's pipeline records (written by
 * src/pipeline). An empty list is shown by the dashboard as "no pipeline runs yet".
 */
export const pipelineRoutes: FastifyPluginAsync<{ service: RecommendService }> = async (app, { service }) => {
  const store: Store = service.store;
  const tags = ['pipelines'];
  const anyObject = { type: 'object', additionalProperties: true } as const;

  app.get<{ Querystring: { limit: number; pipeline?: string } }>(
    '/v1/pipelines/runs',
    {
      schema: {
        tags,
        summary: 'Pipeline runs, latest first',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, pipeline: { type: 'string', minLength: 1, maxLength: 128 } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { runs: { type: 'array', items: anyObject } }, required: ['runs'] }, ...errors },
      },
    },
    async (req) => {
      const rows = await store.listPipelineRuns(req.query.limit, req.query.pipeline);
      return {
        runs: rows.map((r) => ({ id: r.id, pipeline: r.pipeline, status: r.status, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), seconds: seconds(r.startedAt, r.finishedAt), error: r.data['error'] ?? null })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/pipelines/runs/:id',
    {
      schema: {
        tags,
        summary: 'One pipeline run with its tasks (status, attempts, metrics, logs)',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 256 } }, required: ['id'] },
        response: { 200: { type: 'object', properties: { run: anyObject, tasks: { type: 'array', items: anyObject } }, required: ['run', 'tasks'] }, ...errors },
      },
    },
    async (req) => {
      const run = await store.getPipelineRun(req.params.id);
      if (run === undefined) throw new UnknownIdError('pipeline run', req.params.id);
      const tasks = await store.listPipelineTasks(run.id);
      return {
        run: { id: run.id, pipeline: run.pipeline, status: run.status, startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt), seconds: seconds(run.startedAt, run.finishedAt), data: run.data },
        tasks: tasks.map((t) => ({
          task: t.task,
          status: t.status,
          attempts: t.attempts,
          startedAt: iso(t.startedAt),
          finishedAt: iso(t.finishedAt),
          seconds: seconds(t.startedAt, t.finishedAt),
          metrics: t.data['metrics'] ?? {},
          logs: Array.isArray(t.data['logs']) ? t.data['logs'] : [],
          error: t.data['error'] ?? t.data['reason'] ?? null,
        })),
      };
    },
  );
};
