import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownParamError } from './errors.js';
import { checkParam, describeParams, parseParamAssignments, parseParamText, resolveParams, type ParamSpecs } from './params.js';

const specs = {
  factors: { type: 'integer', default: 64, min: 1, max: 1024, doc: 'latent dimensions' },
  learningRate: { type: 'number', default: 0.01, min: 0, exclusiveMin: true, doc: 'SGD step' },
  regularization: { type: 'number', default: 0.02, min: 0, doc: 'L2' },
  biased: { type: 'boolean', default: true, doc: 'use biases' },
  similarity: { type: 'string', default: 'cosine', choices: ['cosine', 'pearson'] as const, doc: 'similarity' },
  minSupport: { type: 'optional-integer', default: null, min: 1, doc: 'minimum common users' },
  clip: { type: 'optional-number', default: 5, max: 10, doc: 'clip' },
} as const satisfies ParamSpecs;

describe('resolveParams', () => {
  it('fills defaults and returns a frozen object', () => {
    const p = resolveParams('SVD', specs, undefined);
    expect(p).toEqual({ factors: 64, learningRate: 0.01, regularization: 0.02, biased: true, similarity: 'cosine', minSupport: null, clip: 5 });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('keeps given values and treats undefined as "use the default"', () => {
    const p = resolveParams('SVD', specs, { factors: 8, similarity: 'pearson', minSupport: 3, clip: null, learningRate: undefined } as never);
    expect(p.factors).toBe(8);
    expect(p.similarity).toBe('pearson');
    expect(p.minSupport).toBe(3);
    expect(p.clip).toBeNull();
    expect(p.learningRate).toBe(0.01);
  });

  it('rejects an unknown name, listing the choices', () => {
    const bad = { factor: 3 } as unknown as Partial<{ factors: number }>;
    expect(() => resolveParams('SVD', specs, bad)).toThrow(UnknownParamError);
    expect(() => resolveParams('SVD', specs, bad)).toThrow(/SVD: unknown param "factor"; expected one of: factors, learningRate, regularization, biased, similarity, minSupport, clip/);
  });

  it('rejects names inherited from Object.prototype as unknown', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const given = JSON.parse(`{${JSON.stringify(name)}: 1}`) as never;
      expect(() => resolveParams('SVD', specs, given)).toThrow(UnknownParamError);
      expect(() => parseParamText('SVD', name, specs, '1')).toThrow(UnknownParamError);
    }
  });

  it('rejects bad values, naming owner, param, value and expectation', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ factors: 0 }, /SVD: param "factors" must be an integer >= 1 and <= 1024, got 0/],
      [{ factors: 2.5 }, /"factors" must be an integer >= 1 and <= 1024, got 2.5/],
      [{ factors: 2000 }, /"factors" must be an integer/],
      [{ factors: '8' }, /"factors" must be a finite integer >= 1 and <= 1024, got "8"/],
      [{ factors: NaN }, /"factors" must be a finite integer/],
      [{ learningRate: 0 }, /"learningRate" must be a number > 0, got 0/],
      [{ regularization: -1 }, /"regularization" must be a number >= 0, got -1/],
      [{ regularization: Infinity }, /"regularization" must be a finite number/],
      [{ biased: 'yes' }, /"biased" must be a boolean, got "yes"/],
      [{ similarity: 'jaccard' }, /"similarity" must be one of "cosine", "pearson", got "jaccard"/],
      [{ minSupport: 0.5 }, /"minSupport" must be an integer >= 1/],
      [{ clip: 11 }, /"clip" must be a number <= 10/],
      [{ factors: null }, /"factors" must be a finite integer/],
    ];
    for (const [given, msg] of bad) {
      expect(() => resolveParams('SVD', specs, given as never)).toThrow(InvalidArgumentError);
      expect(() => resolveParams('SVD', specs, given as never)).toThrow(msg);
    }
    expect(resolveParams('SVD', specs, { regularization: 0 }).regularization).toBe(0);
  });

  it('checkParam accepts boundary values', () => {
    expect(checkParam('X', 'factors', specs.factors, 1)).toBe(1);
    expect(checkParam('X', 'factors', specs.factors, 1024)).toBe(1024);
    expect(checkParam('X', 'clip', specs.clip, null)).toBeNull();
  });
});

describe('parseParamText and parseParamAssignments', () => {
  it('parses each type from text', () => {
    expect(parseParamText('SVD', 'factors', specs, ' 32 ')).toBe(32);
    expect(parseParamText('SVD', 'learningRate', specs, '1e-3')).toBe(0.001);
    expect(parseParamText('SVD', 'biased', specs, 'false')).toBe(false);
    expect(parseParamText('SVD', 'biased', specs, '1')).toBe(true);
    expect(parseParamText('SVD', 'similarity', specs, 'pearson')).toBe('pearson');
    expect(parseParamText('SVD', 'minSupport', specs, 'none')).toBeNull();
    expect(parseParamText('SVD', 'clip', specs, 'null')).toBeNull();
  });

  it('rejects bad text with a clear error', () => {
    expect(() => parseParamText('SVD', 'factors', specs, 'abc')).toThrow(/"factors" must be a finite integer/);
    expect(() => parseParamText('SVD', 'factors', specs, '')).toThrow(InvalidArgumentError);
    expect(() => parseParamText('SVD', 'factors', specs, 'null')).toThrow(InvalidArgumentError);
    expect(() => parseParamText('SVD', 'biased', specs, 'maybe')).toThrow(/"biased" must be true or false, got "maybe"/);
    expect(() => parseParamText('SVD', 'similarity', specs, 'x')).toThrow(/one of "cosine", "pearson"/);
    expect(() => parseParamText('SVD', 'nope', specs, '1')).toThrow(UnknownParamError);
  });

  it('parses key=value lists', () => {
    expect(parseParamAssignments('SVD', specs, ['factors=16', 'similarity = pearson', 'clip=2.5'])).toEqual({ factors: 16, similarity: 'pearson', clip: 2.5 });
    expect(() => parseParamAssignments('SVD', specs, ['factors'])).toThrow(/expected key=value, got "factors"/);
    expect(() => parseParamAssignments('SVD', specs, ['=3'])).toThrow(/expected key=value/);
    expect(() => parseParamAssignments('SVD', specs, ['epochs=3'])).toThrow(UnknownParamError);
  });
});

describe('describeParams', () => {
  it('renders a markdown table row per param', () => {
    const md = describeParams(specs);
    const lines = md.split('\n');
    expect(lines[0]).toBe('| param | type | default | meaning |');
    expect(lines.length).toBe(2 + Object.keys(specs).length);
    expect(md).toContain('| `factors` | integer | `64` | latent dimensions |');
    expect(md).toContain('`cosine` \\| `pearson`');
    expect(md).toContain('| `minSupport` | optional-integer | `null` |');
  });
});
