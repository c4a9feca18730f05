import type { ItemInput, ItemRecord } from '../types.js';

/** Shared row <-> record helpers for the SQL adapters. */

/** A JSON column read back: a string (SQLite TEXT) or an already parsed value (PostgreSQL JSONB). */
export function jsonColumn<T>(v: unknown, fallback: T): T {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  }
  return v === null || v === undefined ? fallback : (v as T);
}

/** An integer column that PostgreSQL returns as a string (BIGINT) or SQLite as a number. */
export function intColumn(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** Row shape shared by both dialects for `items`. */
export interface ItemRow {
  id: string;
  title: string;
  description: string;
  categories: unknown;
  attributes: unknown;
  hidden: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export function itemFromRow(r: ItemRow): ItemRecord {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    categories: jsonColumn<string[]>(r.categories, []),
    attributes: jsonColumn<Record<string, unknown>>(r.attributes, {}),
    hidden: r.hidden === true || r.hidden === 1,
    createdAt: intColumn(r.created_at),
    updatedAt: intColumn(r.updated_at),
  };
}

/** Defaults for the optional item fields. */
export function itemDefaults(it: ItemInput): Required<ItemInput> {
  return {
    id: it.id,
    title: it.title ?? '',
    description: it.description ?? '',
    categories: it.categories ?? [],
    attributes: it.attributes ?? {},
    hidden: it.hidden ?? false,
  };
}
