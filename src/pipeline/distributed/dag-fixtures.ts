import { InvalidArgumentError } from '../../core/errors.js';
import type { Dag, TaskContext } from '../dag.js';
import { type AnyDag, registerDagFactory } from './dag-registry.js';

/**
 * Small DAGs for the distributed runner's tests, registered as factories "test-chain" and "test-flaky". A worker loads
 * this module with RECKON_DAG_MODULES (or `reckon worker --dag-module`).
 */

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
  });
}

/** a -> b -> (c1, c2, c3 in parallel, each pausing `pauseMs`) -> d (sum). Outputs depend only on params.n. */
export function chainDag(pauseMs: number): AnyDag {
  const fan = [1, 2, 3].map((k) => ({
    name: `c${k}`,
    deps: ['b'],
    run: async (ctx: TaskContext) => {
      await pause(pauseMs, ctx.signal);
      ctx.log(`fan-out ${k}`);
      ctx.metric('k', k);
      return { value: (ctx.inputs['b'] as { value: number }).value * k };
    },
  }));
  const dag: Dag = {
    name: 'test-chain',
    tasks: [
      { name: 'a', run: async (ctx) => ({ value: Number(ctx.params['n']) }) },
      { name: 'b', deps: ['a'], run: async (ctx) => ({ value: (ctx.inputs['a'] as { value: number }).value * 2 + 1 }) },
      ...fan,
      { name: 'd', deps: ['c1', 'c2', 'c3'], run: async (ctx) => ({ sum: ['c1', 'c2', 'c3'].reduce((s, c) => s + (ctx.inputs[c] as { value: number }).value, 0) }) },
    ],
    summary: (o) => ({ sum: (o['d'] as { sum: number } | undefined)?.sum ?? null }),
  };
  return dag;
}

/** ok -> bad (2 attempts, always throws) -> after: the run fails at "bad" and "after" is cancelled. */
export function flakyDag(): AnyDag {
  return {
    name: 'test-flaky',
    tasks: [
      { name: 'ok', run: async () => ({ fine: true }) },
      {
        name: 'bad',
        deps: ['ok'],
        attempts: 2,
        backoffMs: 50,
        run: async (ctx) => {
          ctx.log(`attempt ${ctx.attempt}`);
          throw new InvalidArgumentError(`planted failure on attempt ${ctx.attempt}`);
        },
      },
      { name: 'after', deps: ['bad'], run: async () => ({ never: true }) },
    ],
  };
}

registerDagFactory('test-chain', async (o) => chainDag(Number(o['pauseMs'] ?? 0)));
registerDagFactory('test-flaky', async () => flakyDag());
