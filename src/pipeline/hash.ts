import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values hash equally whatever the key order. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

/** sha256 (hex) of the stable JSON of `parts`. */
export function hashOf(...parts: unknown[]): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex');
}
