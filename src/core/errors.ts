/**
 * Typed errors with stable codes. Every error Reckon throws on purpose is a {@link ReckonError}; its `code` is part of
 * the public contract (the CLI prints it, the HTTP layer maps it to a status in one place). Messages name the
 * parameter, file or line, the value received and what was expected.
 */

/** Stable error codes, documented in docs/ERRORS.md. Never renumber or reuse a code. */
export const ErrorCode = {
  InvalidArgument: 'RECKON_INVALID_ARGUMENT',
  UnknownParam: 'RECKON_UNKNOWN_PARAM',
  Parse: 'RECKON_PARSE',
  EmptyInput: 'RECKON_EMPTY_INPUT',
  UnsupportedFormat: 'RECKON_UNSUPPORTED_FORMAT',
  Schema: 'RECKON_SCHEMA',
  NotFitted: 'RECKON_NOT_FITTED',
  UnknownId: 'RECKON_UNKNOWN_ID',
  Artifact: 'RECKON_ARTIFACT',
  Io: 'RECKON_IO',
  Aborted: 'RECKON_ABORTED',
  Worker: 'RECKON_WORKER',
  Unavailable: 'RECKON_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a message, a stable `code`, optional structured `details` and the wrapped `cause`. */
export class ReckonError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** A function argument or parameter value is out of its domain. */
export class InvalidArgumentError extends ReckonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.InvalidArgument, message, { details });
  }
}

/** A param name a model does not have; the message lists the names it does have. */
export class UnknownParamError extends ReckonError {
  constructor(owner: string, name: string, known: readonly string[]) {
    super(ErrorCode.UnknownParam, `${owner}: unknown param "${name}"; expected one of: ${known.join(', ')}`, {
      details: { owner, name, known },
    });
  }
}

/** Where in a file a problem was found. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  text?: string;
}

function formatLocation(loc: SourceLocation): string {
  let s = `${loc.file}:${loc.line}`;
  if (loc.column !== undefined) s += `:${loc.column}`;
  return s;
}

/** A malformed row or value in an input file: names file, line, column and the offending text. */
export class ParseError extends ReckonError {
  readonly location: SourceLocation;
  constructor(loc: SourceLocation, problem: string, options: { cause?: unknown } = {}) {
    const shown = loc.text === undefined ? '' : `: ${JSON.stringify(loc.text.length > 120 ? loc.text.slice(0, 117) + '...' : loc.text)}`;
    super(ErrorCode.Parse, `${formatLocation(loc)}: ${problem}${shown}`, { ...options, details: { ...loc } });
    this.location = loc;
  }
}

/** An input with nothing in it (an empty file, an empty training set). */
export class EmptyInputError extends ReckonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.EmptyInput, message, { details });
  }
}

/** A format name or file type Reckon does not read. */
export class UnsupportedFormatError extends ReckonError {
  constructor(format: string, known: readonly string[]) {
    super(ErrorCode.UnsupportedFormat, `unsupported format "${format}"; expected one of: ${known.join(', ')}`, {
      details: { format, known },
    });
  }
}

/** A column that is missing, duplicated or of the wrong type. */
export class SchemaError extends ReckonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.Schema, message, { details });
  }
}

/** A model used before `fit`. */
export class NotFittedError extends ReckonError {
  constructor(model: string) {
    super(ErrorCode.NotFitted, `${model} is not fitted: call fit() first`, { details: { model } });
  }
}

/** An id that is not known where a known one is required (APIs that have a fallback do not throw this). */
export class UnknownIdError extends ReckonError {
  constructor(kind: string, id: string) {
    super(ErrorCode.UnknownId, `unknown ${kind} id "${id}"`, { details: { kind, id } });
  }
}

/** A model artifact that is missing, torn, tampered with or of an unknown version. */
export class ArtifactError extends ReckonError {
  constructor(path: string, problem: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.Artifact, `${path}: ${problem}`, { ...options, details: { path } });
  }
}

/** A file or stream could not be read or written (missing file, permissions, disk full); the system error is the cause. */
export class IoError extends ReckonError {
  constructor(path: string, problem: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.Io, `${path}: ${problem}`, { ...options, details: { path } });
  }
}

/** Work stopped through an AbortSignal. */
export class AbortedError extends ReckonError {
  constructor(what: string) {
    super(ErrorCode.Aborted, `${what} was aborted`);
  }
}

/** A worker thread failed; the original error is the cause. */
export class WorkerError extends ReckonError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.Worker, message, options);
  }
}

/** A backing service (database, cache) is unreachable or timed out; retrying later may succeed. */
export class UnavailableError extends ReckonError {
  /** Seconds after which a retry is sensible. */
  readonly retryAfterSeconds: number;
  constructor(service: string, problem: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(ErrorCode.Unavailable, `${service} is unavailable: ${problem}`, { cause: options.cause, details: { service } });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}

/** Throws {@link AbortedError} when the signal is aborted. Call between units of work, never per element. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(what);
}
