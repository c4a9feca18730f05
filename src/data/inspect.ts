import type { Frame } from './frame.js';

/** Per-column summary. */
export interface ColumnSummary {
  name: string;
  type: 'numeric' | 'categorical';
  missing: number;
  /** Distinct non-missing values. */
  unique: number;
  /** Numeric columns: min, max, mean over non-missing values (null when none). */
  min?: number | null;
  max?: number | null;
  mean?: number | null;
}

/** Summary of a user x item table. */
export interface InteractionSummary {
  userColumn: string;
  itemColumn: string;
  users: number;
  items: number;
  /** Distinct (user, item) pairs. */
  pairs: number;
  /** pairs / (users x items). */
  density: number;
}

/** What {@link inspectFrame} reports. */
export interface FrameSummary {
  rows: number;
  columns: ColumnSummary[];
  /** Rows equal (in every column) to an earlier row. */
  duplicateRows: number;
  interactions?: InteractionSummary;
}

const USER_NAMES = ['user', 'userid', 'user_id', 'uid', 'customer', 'customer_id', 'customerid'];
const ITEM_NAMES = ['item', 'itemid', 'item_id', 'iid', 'movieid', 'movie_id', 'product', 'product_id', 'productid'];

/** The user and item columns of a frame by their usual names (case-insensitive), or undefined. */
export function detectUserItem(frame: Frame): { user: string; item: string } | undefined {
  const find = (cands: readonly string[]) => frame.names.find((n) => cands.includes(n.toLowerCase()));
  const user = find(USER_NAMES);
  const item = find(ITEM_NAMES);
  return user !== undefined && item !== undefined ? { user, item } : undefined;
}

/**
 * Rows, column types, missing and distinct counts, duplicate rows and, when `userItem` is given, users / items /
 * density. O(rows x columns) with hashing; duplicates are confirmed by comparing the rows, never by hash alone.
 */
export function inspectFrame(frame: Frame, userItem?: { user: string; item: string }): FrameSummary {
  const n = frame.nRows;
  const columns: ColumnSummary[] = frame.columns.map((c) => {
    let missing = 0;
    if (c.kind === 'numeric') {
      const seen = new Set<number>();
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (let r = 0; r < n; r++) {
        const v = c.values[r]!;
        if (Number.isNaN(v)) {
          missing++;
          continue;
        }
        seen.add(v);
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      const k = n - missing;
      return { name: c.name, type: 'numeric', missing, unique: seen.size, min: k > 0 ? min : null, max: k > 0 ? max : null, mean: k > 0 ? sum / k : null };
    }
    const seen = new Uint8Array(c.dictionary.length);
    let unique = 0;
    for (let r = 0; r < n; r++) {
      const code = c.codes[r]!;
      if (code < 0) missing++;
      else if (seen[code] === 0) {
        seen[code] = 1;
        unique++;
      }
    }
    return { name: c.name, type: 'categorical', missing, unique };
  });
  const out: FrameSummary = { rows: n, columns, duplicateRows: countDuplicateRows(frame) };
  if (userItem !== undefined) out.interactions = interactionSummary(frame, userItem.user, userItem.item);
  return out;
}

function cellKey(frame: Frame, r: number): number {
  // two 32-bit mixes folded into a 53-bit number key
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (const c of frame.columns) {
    let lo: number;
    let hi: number;
    if (c.kind === 'numeric') {
      const v = c.values[r]!;
      lo = Number.isNaN(v) ? 0x7ff80000 : v | 0;
      hi = Number.isNaN(v) ? 1 : Math.floor((v - (v | 0)) * 0x7fffffff) | 0;
    } else {
      lo = c.codes[r]!;
      hi = 0x55555555;
    }
    h1 = Math.imul(h1 ^ lo, 0x01000193);
    h1 = Math.imul(h1 ^ hi, 0x01000193);
    h2 = Math.imul(h2 ^ lo, 0x85ebca6b) + 0x27d4eb2f;
    h2 = Math.imul(h2 ^ hi, 0xc2b2ae35);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function rowsEqual(frame: Frame, a: number, b: number): boolean {
  for (const c of frame.columns) {
    if (c.kind === 'numeric') {
      const x = c.values[a]!;
      const y = c.values[b]!;
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    } else if (c.codes[a] !== c.codes[b]) return false;
  }
  return true;
}

/** Rows equal in every column to an earlier row (missing equals missing). */
export function countDuplicateRows(frame: Frame): number {
  const first = new Map<number, number[]>();
  let dups = 0;
  for (let r = 0; r < frame.nRows; r++) {
    const k = cellKey(frame, r);
    const rows = first.get(k);
    if (rows === undefined) {
      first.set(k, [r]);
      continue;
    }
    let dup = false;
    for (const s of rows) {
      if (rowsEqual(frame, s, r)) {
        dup = true;
        break;
      }
    }
    if (dup) dups++;
    else rows.push(r);
  }
  return dups;
}

function valueCodes(frame: Frame, name: string): { codes: Int32Array; size: number } {
  const c = frame.column(name);
  if (c.kind === 'categorical') return { codes: c.codes, size: c.dictionary.length };
  const map = new Map<number, number>();
  const codes = new Int32Array(frame.nRows);
  for (let r = 0; r < frame.nRows; r++) {
    const v = c.values[r]!;
    if (Number.isNaN(v)) {
      codes[r] = -1;
      continue;
    }
    let k = map.get(v);
    if (k === undefined) {
      k = map.size;
      map.set(v, k);
    }
    codes[r] = k;
  }
  return { codes, size: map.size };
}

/** Users, items, distinct pairs and density of a user x item table (rows with a missing id are not counted). */
export function interactionSummary(frame: Frame, userColumn: string, itemColumn: string): InteractionSummary {
  const u = valueCodes(frame, userColumn);
  const i = valueCodes(frame, itemColumn);
  const seenU = new Uint8Array(u.size);
  const seenI = new Uint8Array(i.size);
  let users = 0;
  let items = 0;
  const pairs = new Set<number>();
  for (let r = 0; r < frame.nRows; r++) {
    const a = u.codes[r]!;
    const b = i.codes[r]!;
    if (a < 0 || b < 0) continue;
    if (seenU[a] === 0) {
      seenU[a] = 1;
      users++;
    }
    if (seenI[b] === 0) {
      seenI[b] = 1;
      items++;
    }
    pairs.add(a * i.size + b);
  }
  return { userColumn, itemColumn, users, items, pairs: pairs.size, density: users === 0 || items === 0 ? 0 : pairs.size / (users * items) };
}
