import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, ReckonError, UnavailableError } from '../core/errors.js';

/** Body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

/** Error codes of the HTTP layer itself (the rest are the core ErrorCode values). */
export const HttpCode = {
  Validation: 'RECKON_VALIDATION',
  NotFound: 'RECKON_NOT_FOUND',
  Unauthorized: 'RECKON_UNAUTHORIZED',
  Forbidden: 'RECKON_FORBIDDEN',
  RateLimited: 'RECKON_RATE_LIMITED',
  PayloadTooLarge: 'RECKON_PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'RECKON_UNSUPPORTED_MEDIA_TYPE',
  BadRequest: 'RECKON_BAD_REQUEST',
  Internal: 'RECKON_INTERNAL',
} as const;

/** The one place where error codes become HTTP statuses. */
const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.UnknownParam]: 400,
  [ErrorCode.Parse]: 400,
  [ErrorCode.Schema]: 400,
  [ErrorCode.EmptyInput]: 400,
  [ErrorCode.UnsupportedFormat]: 400,
  [ErrorCode.UnknownId]: 404,
  [ErrorCode.NotFitted]: 409,
  [ErrorCode.Artifact]: 422,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Aborted]: 503,
};

/** Maps any thrown value to a status and body; 5xx only for unavailable back ends and real bugs. */
export function toHttpError(err: unknown): ErrorBody & { retryAfter?: number } {
  if (err instanceof ReckonError) {
    const statusCode = STATUS_BY_CODE[err.code] ?? 500;
    const body: ErrorBody & { retryAfter?: number } = { statusCode, code: err.code, message: err.message };
    if (err instanceof UnavailableError) body.retryAfter = err.retryAfterSeconds;
    return body;
  }
  const fe = err as Partial<FastifyError> & { validation?: unknown };
  if (fe.validation !== undefined) return { statusCode: 400, code: HttpCode.Validation, message: fe.message ?? 'invalid request' };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { statusCode: 413, code: HttpCode.PayloadTooLarge, message: `request body is larger than the limit (${fe.message ?? ''})` };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { statusCode: 415, code: HttpCode.UnsupportedMediaType, message: `${fe.message ?? 'unsupported media type'}; send application/json` };
  const sc = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (sc >= 400 && sc < 500) return { statusCode: sc, code: HttpCode.BadRequest, message: fe.message ?? 'bad request' };
  return { statusCode: 500, code: HttpCode.Internal, message: 'internal error (logged on the server)' };
}

/** Fastify error handler: logs 5xx with the stack, answers JSON. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const body = toHttpError(err);
  if (body.statusCode >= 500) req.log.error({ err }, 'request failed');
  if (body.retryAfter !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(body.retryAfter))));
  void reply.code(body.statusCode).send({ statusCode: body.statusCode, code: body.code, message: body.message });
}

/** JSON schema of an error response (for every route's `response`). */
export const errorSchema = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
  required: ['statusCode', 'code', 'message'],
} as const;
