import { pathToFileURL } from 'node:url';
import { startWorker } from './worker.js';

/**
 * Entry point of a worker process for tests and scripts: REDIS_URL, RECKON_QUEUE, and RECKON_WORKER_DELAY_MS (sleep
 * before each job, so a test can kill a worker mid-job), RECKON_DAG_MODULES (comma-separated module paths that register
 * DAG factories). Exits on SIGTERM after the current job.
 */
const url = process.env['REDIS_URL'];
if (url === undefined) throw new Error('worker-main: REDIS_URL is not set');
for (const m of (process.env['RECKON_DAG_MODULES'] ?? '').split(',').filter((x) => x !== '')) await import(pathToFileURL(m).href);
const delay = Number(process.env['RECKON_WORKER_DELAY_MS'] ?? '0');
const w = startWorker({
  redisUrl: url,
  queue: process.env['RECKON_QUEUE'] ?? 'reckon',
  lockDurationMs: Number(process.env['RECKON_LOCK_MS'] ?? '10000'),
  ...(delay > 0 ? { beforeJob: () => new Promise<void>((r) => setTimeout(r, delay)) } : {}),
});
process.on('SIGTERM', () => void w.close().then(() => process.exit(0)));
process.stdout.write(`worker ${process.pid} ready\n`);
