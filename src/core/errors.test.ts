import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  ArtifactError,
  EmptyInputError,
  ErrorCode,
  InvalidArgumentError,
  IoError,
  NotFittedError,
  ParseError,
  ReckonError,
  SchemaError,
  UnknownIdError,
  UnknownParamError,
  UnsupportedFormatError,
  UnavailableError,
  WorkerError,
  throwIfAborted,
} from './errors.js';

describe('errors', () => {
  const cases: Array<[ReckonError, ErrorCode, string, RegExp]> = [
    [new InvalidArgumentError('bad k', { k: -1 }), ErrorCode.InvalidArgument, 'InvalidArgumentError', /bad k/],
    [new UnknownParamError('SVD', 'factor', ['factors', 'epochs']), ErrorCode.UnknownParam, 'UnknownParamError', /SVD: unknown param "factor"; expected one of: factors, epochs/],
    [new ParseError({ file: 'r.csv', line: 3, column: 2, text: 'x' }, 'not a number'), ErrorCode.Parse, 'ParseError', /^r\.csv:3:2: not a number: "x"$/],
    [new EmptyInputError('empty file'), ErrorCode.EmptyInput, 'EmptyInputError', /empty file/],
    [new UnsupportedFormatError('xls', ['csv', 'parquet']), ErrorCode.UnsupportedFormat, 'UnsupportedFormatError', /unsupported format "xls"; expected one of: csv, parquet/],
    [new SchemaError('no column "x"'), ErrorCode.Schema, 'SchemaError', /no column/],
    [new NotFittedError('svd'), ErrorCode.NotFitted, 'NotFittedError', /svd is not fitted: call fit\(\) first/],
    [new UnknownIdError('user', 'u9'), ErrorCode.UnknownId, 'UnknownIdError', /unknown user id "u9"/],
    [new ArtifactError('/m', 'torn'), ErrorCode.Artifact, 'ArtifactError', /^\/m: torn$/],
    [new IoError('r.csv', 'cannot read (ENOENT)'), ErrorCode.Io, 'IoError', /^r\.csv: cannot read \(ENOENT\)$/],
    [new AbortedError('training'), ErrorCode.Aborted, 'AbortedError', /training was aborted/],
    [new WorkerError('died'), ErrorCode.Worker, 'WorkerError', /died/],
    [new UnavailableError('store', 'connection refused'), ErrorCode.Unavailable, 'UnavailableError', /^store is unavailable: connection refused$/],
  ];

  it('each class carries its stable code, its own name and a clear message', () => {
    for (const [e, code, name, msg] of cases) {
      expect(e).toBeInstanceOf(ReckonError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(code);
      expect(e.name).toBe(name);
      expect(e.message).toMatch(msg);
    }
    // every code is used by exactly one class
    expect(new Set(cases.map((c) => c[1])).size).toBe(Object.keys(ErrorCode).length);
  });

  it('codes are stable strings (a public contract)', () => {
    expect(ErrorCode).toEqual({
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
    });
  });

  it('keeps details frozen and the wrapped cause', () => {
    const e = new InvalidArgumentError('x', { a: 1 });
    expect(e.details).toEqual({ a: 1 });
    expect(Object.isFrozen(e.details)).toBe(true);
    const cause = new Error('disk full');
    const w = new ArtifactError('/m', 'could not write', { cause });
    expect(w.cause).toBe(cause);
    expect(w.details).toEqual({ path: '/m' });
    const io = new ReckonError(ErrorCode.Io, 'read failed', { cause });
    expect(io.code).toBe('RECKON_IO');
    expect(io.cause).toBe(cause);
    expect(new ReckonError(ErrorCode.Io, 'no cause').cause).toBeUndefined();
  });

  it('ParseError shortens long offending text and omits absent column/text', () => {
    const long = 'x'.repeat(500);
    const e = new ParseError({ file: 'f', line: 1, text: long }, 'bad');
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toContain('...');
    expect(new ParseError({ file: 'f', line: 9 }, 'bad').message).toBe('f:9: bad');
    expect(e.location.line).toBe(1);
  });

  it('throwIfAborted throws AbortedError only for an aborted signal', () => {
    expect(() => throwIfAborted(undefined, 'x')).not.toThrow();
    const c = new AbortController();
    expect(() => throwIfAborted(c.signal, 'x')).not.toThrow();
    c.abort();
    expect(() => throwIfAborted(c.signal, 'fit')).toThrow(AbortedError);
  });
});
