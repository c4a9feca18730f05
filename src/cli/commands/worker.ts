import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { startWorker } from '../../pipeline/distributed/worker.js';

/**
 * `reckon worker`: a BullMQ worker process for distributed pipeline work (DAG tasks of `reckon pipeline run --runner
 * distributed`, ALS shards, scoring and KNN blocks). Run any number, on any host.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Process distributed pipeline jobs (DAG tasks, ALS shards, scoring, KNN blocks) from a Redis queue; run one per core on any host')
    .option('--redis <url>', 'Redis URL', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name (the coordinator uses the same)', process.env['RECKON_QUEUE'] ?? 'reckon')
    .option('--concurrency <n>', 'jobs at once in this process', '1')
    .option('--dag-module <path>', 'module registering extra DAG factories (repeatable; the retraining DAG is built in)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--lock-ms <n>', 'job lock; a dead worker\'s job is retried elsewhere after this long', '10000')
    .action(async (f: { redis: string; queue: string; concurrency: string; lockMs: string; dagModule: string[] }) => {
      for (const m of f.dagModule) await import(pathToFileURL(resolve(m)).href);
      const concurrency = Number(f.concurrency);
      const lock = Number(f.lockMs);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError(`--concurrency: expected an integer >= 1, got "${f.concurrency}"`);
      if (!(lock >= 1000)) throw new InvalidArgumentError(`--lock-ms: expected a number >= 1000, got "${f.lockMs}"`);
      const w = startWorker({ redisUrl: f.redis, queue: f.queue, concurrency, lockDurationMs: lock });
      process.stderr.write(`reckon worker ${process.pid}: queue "${f.queue}" on ${f.redis.replace(/\/\/[^@]*@/, '//***@')}, concurrency ${concurrency}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void w.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
