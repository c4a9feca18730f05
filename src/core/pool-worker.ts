/**
 * Worker-thread entry of {@link WorkerPool} (see pool.ts). Receives `run` messages naming a kernel module, a
 * function and an index range; calls `fn(args, start, end)` and posts the result back, or the error's name,
 * message, stack and code. A `preload` message only starts importing a module (no reply). Nothing else lives here,
 * so a worker starts fast.
 */
import { parentPort } from 'node:worker_threads';
import { importKernel, loadKernel } from './pool-kernel.js';

/** A chunk of work sent to a worker. */
export interface RunMessage {
  type: 'run';
  id: number;
  module: string;
  fn: string;
  args: unknown;
  start: number;
  end: number;
}

/** Starts importing a kernel module ahead of its first run. */
export interface PreloadMessage {
  type: 'preload';
  module: string;
}

/** A worker's answer for one chunk. */
export type ReplyMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string; stack: string | undefined; code: string | undefined };

function errorReply(id: number, e: unknown): ReplyMessage {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { type: 'error', id, name: err.name, message: err.message, stack: err.stack, code: typeof code === 'string' ? code : undefined };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (msg: RunMessage | PreloadMessage) => {
    if (msg.type === 'preload') {
      // A failed import is reported by the run that needs the module.
      importKernel(msg.module).catch(() => undefined);
      return;
    }
    void (async () => {
      let reply: ReplyMessage;
      try {
        const f = await loadKernel(msg.module, msg.fn);
        reply = { type: 'result', id: msg.id, value: await f(msg.args, msg.start, msg.end) };
      } catch (e) {
        reply = errorReply(msg.id, e);
      }
      try {
        port.postMessage(reply);
      } catch (e) {
        // the result could not be cloned (a function, a class instance with private state...)
        port.postMessage(errorReply(msg.id, e));
      }
    })();
  });
}
