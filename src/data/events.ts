import { InvalidArgumentError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import type { Frame } from './frame.js';
import { kCoreFilter, minCountFilter } from './filters.js';
import { Interactions, type Triples } from './interactions.js';

/**
 * An event log in columnar form: event k is (users[k], items[k], typeNames[types[k]], timestamps[k]). Indices are
 * dense, into `userIds` / `itemIds`. Timestamps are in any unit (seconds since the epoch by convention); the decay
 * half-life is in the same unit.
 */
export interface EventLog {
  users: Int32Array;
  items: Int32Array;
  /** Index into `typeNames` for each event. */
  types: Int32Array;
  typeNames: readonly string[];
  timestamps?: Float64Array;
  userIds: IdMap;
  itemIds: IdMap;
}

/** How an event log becomes an interaction matrix. See docs/data-prep.md for the exact order of steps. */
export interface EventOptions {
  /** Weight per event type, e.g. `{ view: 1, cart: 3, purchase: 5 }`. Types with weight 0 are dropped. */
  weights: Readonly<Record<string, number>>;
  /** What to do with an event type absent from `weights`: 'error' (default) or 'ignore' (drop those events). */
  unknownTypes?: 'error' | 'ignore';
  /** How events of the same (user, item) pair combine: 'sum' (default), 'max', or 'last' (latest by timestamp). */
  aggregate?: 'sum' | 'max' | 'last';
  /** Exponential time decay: weight * 0.5^((referenceTime - t) / halfLife). Needs timestamps. */
  halfLife?: number;
  /** Reference time for the decay; default the latest timestamp in the log. */
  referenceTime?: number;
  /** One-pass filter on the aggregated pairs: drop users with fewer than this many distinct items. */
  minUserInteractions?: number;
  /** One-pass filter on the aggregated pairs: drop items with fewer than this many distinct users. */
  minItemInteractions?: number;
  /** Iterative k-core on the aggregated pairs, after the min-count filters. */
  kCore?: number;
  /** Final value mapping: 'clip' into [min, max], or 'rescale' the observed [lo, hi] linearly onto [min, max]. */
  scale?: { min: number; max: number; mode: 'clip' | 'rescale' };
}

/**
 * Builds interactions from an event log in O(events + users + items): weight per type, optional decay, aggregation
 * per pair into CSR (timestamps kept: the latest event of each pair), then min-count filters, k-core, and the scale
 * mapping. Filters compact the id maps (see filters.ts); without filters the log's id maps are kept.
 */
export function interactionsFromEvents(log: EventLog, opts: EventOptions): Interactions {
  const n = log.users.length;
  if (log.items.length !== n || log.types.length !== n || (log.timestamps !== undefined && log.timestamps.length !== n)) {
    throw new InvalidArgumentError('interactionsFromEvents: users, items, types (and timestamps) must have the same length');
  }
  const nTypes = log.typeNames.length;
  const typeWeight = new Float64Array(nTypes);
  const unknown = opts.unknownTypes ?? 'error';
  for (const [name, w] of Object.entries(opts.weights)) {
    if (!Number.isFinite(w)) throw new InvalidArgumentError(`interactionsFromEvents: weight of event type "${name}" must be finite, got ${w}`);
  }
  for (let t = 0; t < nTypes; t++) {
    const name = log.typeNames[t]!;
    const w = Object.prototype.hasOwnProperty.call(opts.weights, name) ? opts.weights[name]! : undefined;
    typeWeight[t] = w ?? NaN;
  }
  const decay = opts.halfLife !== undefined;
  let ref = 0;
  if (decay) {
    if (!(opts.halfLife! > 0) || !Number.isFinite(opts.halfLife!)) throw new InvalidArgumentError(`interactionsFromEvents: halfLife must be a positive number, got ${opts.halfLife}`);
    if (log.timestamps === undefined) throw new InvalidArgumentError('interactionsFromEvents: halfLife needs timestamps, but the event log has none');
    if (opts.referenceTime !== undefined) ref = opts.referenceTime;
    else {
      ref = -Infinity;
      for (let k = 0; k < n; k++) if (log.timestamps[k]! > ref) ref = log.timestamps[k]!;
    }
  }
  const aggregate = opts.aggregate ?? 'sum';
  if (aggregate !== 'sum' && aggregate !== 'max' && aggregate !== 'last') {
    throw new InvalidArgumentError(`interactionsFromEvents: aggregate must be one of sum, max, last; got "${String(aggregate)}"`);
  }
  // weight each event; count the kept ones first so the output arrays are exact
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const t = log.types[k]!;
    if (t < 0 || t >= nTypes) throw new InvalidArgumentError(`interactionsFromEvents: event ${k} has type index ${t} outside [0, ${nTypes})`);
    const w = typeWeight[t]!;
    if (Number.isNaN(w)) {
      if (unknown === 'error') {
        throw new InvalidArgumentError(`interactionsFromEvents: event ${k} has type "${log.typeNames[t]}" with no weight; weights are given for: ${Object.keys(opts.weights).join(', ')} (or pass unknownTypes: 'ignore')`);
      }
      continue;
    }
    if (w !== 0) kept++;
  }
  const out: Triples = { users: new Int32Array(kept), items: new Int32Array(kept), values: new Float32Array(kept) };
  const ts = log.timestamps === undefined ? undefined : new Float64Array(kept);
  if (ts !== undefined) out.timestamps = ts;
  const inv = decay ? 1 / opts.halfLife! : 0;
  let w = 0;
  for (let k = 0; k < n; k++) {
    const wt = typeWeight[log.types[k]!]!;
    if (Number.isNaN(wt) || wt === 0) continue;
    out.users[w] = log.users[k]!;
    out.items[w] = log.items[k]!;
    out.values[w] = decay ? wt * Math.pow(0.5, (ref - log.timestamps![k]!) * inv) : wt;
    if (ts !== undefined) ts[w] = log.timestamps![k]!;
    w++;
  }
  let x = Interactions.fromTriples(out, log.userIds, log.itemIds, aggregate);
  const minU = opts.minUserInteractions ?? 0;
  const minI = opts.minItemInteractions ?? 0;
  if (minU > 0 || minI > 0) x = minCountFilter(x, minU, minI);
  if (opts.kCore !== undefined && opts.kCore > 0) x = kCoreFilter(x, opts.kCore, opts.kCore);
  if (opts.scale !== undefined) applyScale(x.values, opts.scale);
  return x;
}

/** Maps values in place: clip into [min, max], or rescale the observed range linearly onto it (all equal -> max). */
export function applyScale(values: Float32Array, scale: { min: number; max: number; mode: 'clip' | 'rescale' }): void {
  const { min, max, mode } = scale;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new InvalidArgumentError(`scale: expected finite min <= max, got [${min}, ${max}]`);
  if (mode === 'clip') {
    for (let k = 0; k < values.length; k++) {
      const v = values[k]!;
      values[k] = v < min ? min : v > max ? max : v;
    }
    return;
  }
  if (mode !== 'rescale') throw new InvalidArgumentError(`scale.mode must be 'clip' or 'rescale', got "${String(mode)}"`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let k = 0; k < values.length; k++) values[k] = span > 0 ? min + ((values[k]! - lo) / span) * (max - min) : max;
}

/** An event log from parallel raw string arrays (ids get indices in order of first appearance). */
export function eventLogFromStrings(
  users: readonly string[],
  items: readonly string[],
  types: readonly string[],
  timestamps?: ArrayLike<number>,
): EventLog {
  const n = users.length;
  if (items.length !== n || types.length !== n || (timestamps !== undefined && timestamps.length !== n)) {
    throw new InvalidArgumentError('eventLogFromStrings: users, items, types (and timestamps) must have the same length');
  }
  const userIds = new IdMap();
  const itemIds = new IdMap();
  const typeMap = new IdMap();
  const log: EventLog = { users: new Int32Array(n), items: new Int32Array(n), types: new Int32Array(n), typeNames: [], userIds, itemIds };
  for (let k = 0; k < n; k++) {
    log.users[k] = userIds.add(users[k]!);
    log.items[k] = itemIds.add(items[k]!);
    log.types[k] = typeMap.add(types[k]!);
  }
  log.typeNames = typeMap.toArray();
  if (timestamps !== undefined) log.timestamps = checkedTimestamps(timestamps, 'eventLogFromStrings');
  return log;
}

function checkedTimestamps(t: ArrayLike<number>, where: string): Float64Array {
  const out = Float64Array.from(t);
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k]!)) throw new InvalidArgumentError(`${where}: timestamp at row ${k} is ${out[k]}, expected a finite number`, { row: k });
  }
  return out;
}

/**
 * Column names for {@link eventLogFromFrame}. Defaults: the first present of user_id/userId/user/uid,
 * item_id/itemId/item/product_id/productId, event/event_type/type/action, and timestamp/time/ts (optional).
 */
export interface EventColumns {
  user?: string;
  item?: string;
  type?: string;
  timestamp?: string;
}

/**
 * An event log from a Frame with named columns. User/item/type columns may be categorical or numeric (numbers are
 * used as ids in their string form); a missing id or type is an error naming the row.
 */
export function eventLogFromFrame(frame: Frame, cols: EventColumns = {}): EventLog {
  const userCol = cols.user ?? pick(frame, USER_COLS);
  const itemCol = cols.item ?? pick(frame, ITEM_COLS);
  const typeCol = cols.type ?? pick(frame, TYPE_COLS);
  const tsCol = cols.timestamp ?? TIME_COLS.find((c) => frame.has(c));
  const users = requireStrings(frame, userCol);
  const items = requireStrings(frame, itemCol);
  const types = requireStrings(frame, typeCol);
  const timestamps = tsCol === undefined ? undefined : frame.numeric(tsCol).values;
  return eventLogFromStrings(users, items, types, timestamps);
}

const USER_COLS = ['user_id', 'userId', 'user', 'uid'];
const ITEM_COLS = ['item_id', 'itemId', 'item', 'product_id', 'productId'];
const TYPE_COLS = ['event', 'event_type', 'type', 'action'];
const TIME_COLS = ['timestamp', 'time', 'ts'];

/** The first of `names` the frame has (the first name when none, so the Frame's error lists the columns). */
function pick(frame: Frame, names: readonly string[]): string {
  return names.find((c) => frame.has(c)) ?? names[0]!;
}

/** Every cell of a column as a string; a missing cell is an error naming the column and row. */
export function requireStrings(frame: Frame, name: string): string[] {
  const s = frame.strings(name);
  for (let k = 0; k < s.length; k++) {
    if (s[k] === null) throw new InvalidArgumentError(`column "${name}" is missing a value at row ${k}`, { column: name, row: k });
  }
  return s as string[];
}
