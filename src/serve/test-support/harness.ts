import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Artifact } from '../../core/artifact.js';
import { buildApp } from '../app.js';
import type { SecurityOptions } from '../auth.js';
import { TestFactorModel } from './factors.js';
import type { TabularProvider } from '../routes/predictions.js';
import { type ServeOptions, type ServerContext, openContext } from '../server.js';

/** Test kit: an app over a throw-away SQLite store, LRU cache and models dir, with the test factor model loader. */
export interface Harness {
  app: FastifyInstance;
  ctx: ServerContext;
  dir: string;
  close(): Promise<void>;
}

/** Loader for tests: the test factor model, else the algorithm registry. */
export function testLoader(a: Artifact): unknown {
  return TestFactorModel.fromArtifact(a);
}

export async function makeHarness(
  opts: { security?: SecurityOptions; serve?: ServeOptions; tabular?: TabularProvider; bodyLimit?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-serve-'));
  const ctx = await openContext({ store: 'sqlite::memory:', cache: 'memory', modelsDir: join(dir, 'models'), loader: testLoader, ...(opts.serve ?? {}) });
  const app = await buildApp({
    service: ctx.service,
    security: opts.security ?? { loopbackOnly: true },
    logger: false,
    docs: true,
    ...(opts.tabular === undefined ? {} : { tabular: opts.tabular }),
    ...(opts.bodyLimit === undefined ? {} : { bodyLimit: opts.bodyLimit }),
  });
  await app.ready();
  return {
    app,
    ctx,
    dir,
    close: async () => {
      await app.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
