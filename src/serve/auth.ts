import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../core/errors.js';
import { HttpCode } from './http-errors.js';

export type Scope = 'read' | 'write';

/** An API key and what it may do ("write" implies "read"). */
export interface ApiKey {
  key: string;
  scopes: Scope[];
  /** Name shown in logs and metrics instead of the key. */
  name?: string;
}

/** Security settings. */
export interface SecurityOptions {
  apiKeys?: readonly ApiKey[];
  /**
   * True when the server listens on loopback only. When false and no key has the write scope, every write is
   * refused: a server reachable from the network never accepts anonymous writes.
   */
  loopbackOnly: boolean;
  /** Requests per second per key (or per client address without a key); 0 disables (default 0). */
  ratePerSecond?: number;
  /** Bucket size (default 2 x ratePerSecond). */
  burst?: number;
}

/** Parses RECKON_API_KEYS-style text: "key1:read,key2:write,key3:read+write" (":write" implies read). */
export function parseApiKeys(text: string): ApiKey[] {
  const out: ApiKey[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [key, scopeText = 'read'] = part.split(':');
    if (key === undefined || key.length < 8) throw new InvalidArgumentError(`API key "${part}": keys must be at least 8 characters`);
    const scopes = scopeText.split('+').map((s) => s.trim());
    for (const s of scopes) if (s !== 'read' && s !== 'write') throw new InvalidArgumentError(`API key "${key.slice(0, 4)}...": unknown scope "${s}"; expected read or write`);
    out.push({ key, scopes: scopes as Scope[], name: `key-${key.slice(0, 4)}` });
  }
  return out;
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}

/**
 * The onRequest hook: API-key check (Authorization: Bearer KEY or x-api-key) for /v1 routes, scope by method
 * (GET/HEAD read, others write), and a token-bucket rate limit per key. Health, metrics and docs stay open.
 */
export function securityHook(opts: SecurityOptions): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const keys = new Map<string, ApiKey>();
  for (const k of opts.apiKeys ?? []) keys.set(k.key, k);
  const rate = opts.ratePerSecond ?? 0;
  const burst = opts.burst ?? rate * 2;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const deny = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ statusCode: status, code, message });

  return async (req, reply) => {
    if (!req.url.startsWith('/v1/')) return;
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    let presented = req.headers['x-api-key'];
    if (typeof presented !== 'string') {
      const auth = req.headers.authorization;
      presented = auth !== undefined && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    }
    let who: string;
    if (keys.size > 0) {
      if (presented === undefined) return deny(reply, 401, HttpCode.Unauthorized, 'this server requires an API key: send "Authorization: Bearer KEY" or "x-api-key: KEY"');
      const k = keys.get(presented);
      if (k === undefined) return deny(reply, 401, HttpCode.Unauthorized, 'unknown API key');
      if (write && !k.scopes.includes('write')) return deny(reply, 403, HttpCode.Forbidden, `API key ${k.name ?? ''} has scopes [${k.scopes.join(', ')}]; ${req.method} needs the write scope`);
      who = k.key;
    } else {
      if (write && !opts.loopbackOnly) {
        return deny(reply, 401, HttpCode.Unauthorized, 'this server listens beyond loopback, so writes need an API key with the write scope (start it with RECKON_API_KEYS=KEY:write)');
      }
      who = req.ip;
    }
    if (rate > 0) {
      const now = Date.now();
      let b = buckets.get(who);
      if (b === undefined) {
        b = { tokens: burst, at: now };
        buckets.set(who, b);
      }
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      if (b.tokens < 1) {
        void reply.header('retry-after', String(Math.max(1, Math.ceil((1 - b.tokens) / rate))));
        return deny(reply, 429, HttpCode.RateLimited, `rate limit of ${rate} requests/s exceeded; retry later`);
      }
      b.tokens -= 1;
    }
  };
}
