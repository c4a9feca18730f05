import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { type ServerContext, openContext } from './server.js';

describe('graceful shutdown', () => {
  let ctx: ServerContext | undefined;
  afterAll(async () => ctx?.close());

  it('close() lets requests in flight finish with 200 and refuses new ones', async () => {
    ctx = await openContext({ store: 'sqlite::memory:', cache: 'memory', modelsDir: `${process.env['TMPDIR'] ?? '/tmp'}/reckon-shutdown-${process.pid}` });
    const app = await buildApp({ service: ctx.service, security: { loopbackOnly: true }, logger: false, docs: false });
    const h = { app };
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    h.app.get('/slow-test', async () => {
      entered();
      await new Promise((r) => setTimeout(r, 300));
      return { ok: true };
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const inflight = fetch(`http://127.0.0.1:${port}/slow-test`);
    await inHandler;
    const closed = h.app.close();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await closed;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
