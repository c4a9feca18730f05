import { InvalidArgumentError, UnknownParamError } from './errors.js';

/**
 * Declarative param specs. Every model declares its params once; the same spec validates constructor input, parses
 * `--set key=value` on the CLI and query strings in HTTP, enumerates grids for search, and documents defaults.
 */
export type ParamSpec =
  | { type: 'number'; default: number; min?: number; max?: number; exclusiveMin?: boolean; doc: string }
  | { type: 'integer'; default: number; min?: number; max?: number; doc: string }
  | { type: 'boolean'; default: boolean; doc: string }
  | { type: 'string'; default: string; choices: readonly string[]; doc: string }
  | { type: 'optional-number'; default: number | null; min?: number; max?: number; doc: string }
  | { type: 'optional-integer'; default: number | null; min?: number; max?: number; doc: string };

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The value type a spec describes. */
export type ParamValue<S extends ParamSpec> = S extends { type: 'number' | 'integer' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'string'; choices: readonly (infer C)[] }
      ? C
      : S extends { type: 'optional-number' | 'optional-integer' }
        ? number | null
        : never;

/** The params object a spec set describes. */
export type ParamsOf<S extends ParamSpecs> = { -readonly [K in keyof S]: ParamValue<S[K]> };

/** Validates one value against its spec; throws naming the owner, the param, the value and what was expected. */
export function checkParam(owner: string, name: string, spec: ParamSpec, value: unknown): unknown {
  const fail = (expected: string): never => {
    throw new InvalidArgumentError(`${owner}: param "${name}" must be ${expected}, got ${JSON.stringify(value)}`, {
      owner,
      name,
      value,
    });
  };
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return value;
    case 'string':
      if (typeof value !== 'string' || !spec.choices.includes(value)) fail(`one of ${spec.choices.map((c) => JSON.stringify(c)).join(', ')}`);
      return value;
    case 'number':
    case 'integer':
    case 'optional-number':
    case 'optional-integer': {
      const optional = spec.type === 'optional-number' || spec.type === 'optional-integer';
      if (value === null && optional) return null;
      const integer = spec.type === 'integer' || spec.type === 'optional-integer';
      const bounds = describeBounds(spec);
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`a finite ${integer ? 'integer' : 'number'}${bounds}${optional ? ' or null' : ''}`);
      const v = value as number;
      if (integer && !Number.isInteger(v)) fail(`an integer${bounds}`);
      const exclusive = spec.type === 'number' && spec.exclusiveMin === true;
      if (spec.min !== undefined && (exclusive ? v <= spec.min : v < spec.min)) fail(`${integer ? 'an integer' : 'a number'}${bounds}`);
      if (spec.max !== undefined && v > spec.max) fail(`${integer ? 'an integer' : 'a number'}${bounds}`);
      return v;
    }
  }
}

function describeBounds(spec: { min?: number; max?: number; exclusiveMin?: boolean }): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.exclusiveMin ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** Fills defaults, rejects unknown names and invalid values, and returns a frozen params object. */
export function resolveParams<S extends ParamSpecs>(owner: string, specs: S, given: Partial<ParamsOf<S>> | undefined): Readonly<ParamsOf<S>> {
  const out: Record<string, unknown> = {};
  const names = Object.keys(specs);
  if (given !== undefined) {
    for (const key of Object.keys(given)) {
      if (!Object.hasOwn(specs, key)) throw new UnknownParamError(owner, key, names);
    }
  }
  for (const name of names) {
    const spec = specs[name]!;
    const v = given !== undefined && (given as Record<string, unknown>)[name] !== undefined ? (given as Record<string, unknown>)[name] : spec.default;
    out[name] = checkParam(owner, name, spec, v);
  }
  return Object.freeze(out) as Readonly<ParamsOf<S>>;
}

/**
 * Parses a textual value (CLI `--set k=v`, a query string) into the type its spec wants. Numbers accept JSON number
 * syntax; booleans true/false; optional numbers also "null"/"none".
 */
export function parseParamText(owner: string, name: string, specs: ParamSpecs, text: string): unknown {
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
  if (spec === undefined) throw new UnknownParamError(owner, name, Object.keys(specs));
  const t = text.trim();
  switch (spec.type) {
    case 'boolean':
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw new InvalidArgumentError(`${owner}: param "${name}" must be true or false, got "${text}"`);
    case 'string':
      return checkParam(owner, name, spec, t);
    default: {
      if ((spec.type === 'optional-number' || spec.type === 'optional-integer') && (t === 'null' || t === 'none')) return null;
      const n = t === '' ? NaN : Number(t);
      return checkParam(owner, name, spec, n);
    }
  }
}

/** Parses a list of `key=value` strings into a params patch, checking every name and value. */
export function parseParamAssignments(owner: string, specs: ParamSpecs, assignments: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${owner}: expected key=value, got "${a}"`);
    const key = a.slice(0, eq).trim();
    out[key] = parseParamText(owner, key, specs, a.slice(eq + 1));
  }
  return out;
}

/** Markdown table of a spec set (name, type, default, doc), for docs and `--help`. */
export function describeParams(specs: ParamSpecs): string {
  const rows = Object.entries(specs).map(([n, s]) => {
    const type = s.type === 'string' ? s.choices.map((c) => `\`${c}\``).join(' \\| ') : s.type;
    return `| \`${n}\` | ${type} | \`${JSON.stringify(s.default)}\` | ${s.doc} |`;
  });
  return ['| param | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
