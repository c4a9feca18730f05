import { InvalidArgumentError } from '../core/errors.js';
import { requireStrings } from './events.js';
import type { Frame } from './frame.js';
import { type Combine, Interactions } from './interactions.js';

/** A declared rating scale, inclusive: e.g. `{ min: 1, max: 5 }`. */
export interface RatingScale {
  min: number;
  max: number;
}

/** Options for {@link interactionsFromRatings}. */
export interface RatingOptions {
  scale: RatingScale;
  timestamps?: ArrayLike<number>;
  /** How repeated (user, item) ratings combine; default 'last' (latest by timestamp, else the later row). */
  combine?: Combine;
}

/**
 * Checks every rating against the declared scale: a value outside [min, max], NaN or infinite is an
 * InvalidArgumentError naming the value, the (0-based) row and the scale. O(n).
 */
export function checkRatings(ratings: ArrayLike<number>, scale: RatingScale): void {
  const { min, max } = scale;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new InvalidArgumentError(`rating scale: expected finite min <= max, got [${min}, ${max}]`);
  for (let k = 0; k < ratings.length; k++) {
    const v = ratings[k]!;
    if (!(v >= min && v <= max)) {
      throw new InvalidArgumentError(`rating ${v} at row ${k} is outside the declared scale [${min}, ${max}]`, { value: v, row: k, scale: { min, max } });
    }
  }
}

/**
 * Checks the stored values of an Interactions matrix against a declared scale (for matrices built by a reader): a
 * value outside [min, max] is an InvalidArgumentError naming the value, the user and item ids, and the scale. O(nnz).
 */
export function checkInteractionsScale(x: Interactions, scale: RatingScale): void {
  const { min, max } = scale;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new InvalidArgumentError(`rating scale: expected finite min <= max, got [${min}, ${max}]`);
  for (let u = 0; u < x.nUsers; u++) {
    for (let k = x.indptr[u]!; k < x.indptr[u + 1]!; k++) {
      const v = x.values[k]!;
      if (!(v >= min && v <= max)) {
        const user = x.users.idAt(u);
        const item = x.items.idAt(x.indices[k]!);
        throw new InvalidArgumentError(`rating ${v} of (user "${user}", item "${item}") is outside the declared scale [${min}, ${max}]`, { value: v, user, item, scale: { min, max } });
      }
    }
  }
}

/** Interactions from raw rating triples with a declared scale (checked first, see {@link checkRatings}). O(n). */
export function interactionsFromRatings(
  users: readonly string[],
  items: readonly string[],
  ratings: ArrayLike<number>,
  opts: RatingOptions,
): Interactions {
  checkRatings(ratings, opts.scale);
  const raw: { timestamps?: ArrayLike<number>; combine?: Combine } = { combine: opts.combine ?? 'last' };
  if (opts.timestamps !== undefined) raw.timestamps = opts.timestamps;
  return Interactions.fromRaw(users, items, ratings, raw);
}

/** Column names for {@link ratingsFromFrame}; defaults user, item, rating, and timestamp when present. */
export interface RatingColumns {
  user?: string;
  item?: string;
  rating?: string;
  timestamp?: string;
}

/** Interactions from a Frame of ratings with a declared scale. */
export function ratingsFromFrame(frame: Frame, cols: RatingColumns, opts: Omit<RatingOptions, 'timestamps'>): Interactions {
  const tsCol = cols.timestamp ?? (frame.has('timestamp') ? 'timestamp' : undefined);
  const o: RatingOptions = { ...opts };
  if (tsCol !== undefined) o.timestamps = frame.numeric(tsCol).values;
  return interactionsFromRatings(requireStrings(frame, cols.user ?? 'user'), requireStrings(frame, cols.item ?? 'item'), frame.numeric(cols.rating ?? 'rating').values, o);
}
