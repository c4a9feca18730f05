import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, UnsupportedFormatError } from '../../core/errors.js';
import type { ParamSpecs } from '../../core/params.js';
import type { ProgressFn } from '../../core/progress.js';
import { parseParamAssignments } from '../../core/params.js';
import type { Interactions } from '../../data/interactions.js';
import { type MovieLensFormat, loadMovieLens, readRatings } from '../../data/movielens.js';
import { readInteractionsCsv } from '../../data/ratings.js';

/** Rating-data formats the explicit commands read. */
export const RATING_FORMATS = ['ml-100k', 'ml-latest', 'ml-1m', 'csv'] as const;
export type RatingFormat = (typeof RATING_FORMATS)[number];

/** Ratings and the rating scale to declare to models (MovieLens: the known scale; csv: min/max or --scale). */
export interface RatingData {
  data: Interactions;
  scale: [number, number] | undefined;
}


/**
 * Reads ratings for `reckon evaluate|tune|train`. MovieLens formats accept the folder or the ratings file itself;
 * csv reads user,item,rating[,timestamp] with a header (column names detected by data/ratings.ts). `onProgress`
 * gets `read` events (bytes of the ratings file) from every format.
 */
export async function readRatingData(path: string, format: string, scaleText?: string, onProgress?: ProgressFn): Promise<RatingData> {
  if (!(RATING_FORMATS as readonly string[]).includes(format)) throw new UnsupportedFormatError(format, RATING_FORMATS);
  if (!existsSync(path)) throw new InvalidArgumentError(`--data: no such file or folder "${path}"`, { path });
  let data: Interactions;
  let scale: [number, number] | undefined;
  const progress = onProgress === undefined ? {} : { onProgress };
  if (format === 'csv') {
    data = await readInteractionsCsv(path, progress);
  } else {
    const fmt = format as MovieLensFormat;
    if (statSync(path).isDirectory()) {
      if (fmt === 'ml-100k' && existsSync(join(path, 'u.data')) && !existsSync(join(path, 'u.item'))) {
        data = await readRatings(join(path, 'u.data'), { format: fmt, ...progress });
        scale = [1, 5];
      } else {
        const ml = await loadMovieLens(path, fmt, progress);
        data = ml.ratings;
        scale = ml.ratingScale;
      }
    } else {
      data = await readRatings(path, { format: fmt, ...progress });
      scale = fmt === 'ml-latest' ? [0.5, 5] : [1, 5];
    }
  }
  if (scaleText !== undefined) scale = parseScale(scaleText);
  return { data, scale };
}

/** Parses "--scale 1,5". */
export function parseScale(text: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! < parts[1]!)) {
    throw new InvalidArgumentError(`--scale: expected "min,max" with min < max, got "${text}"`, { scale: text });
  }
  return [parts[0]!, parts[1]!];
}

/** Params from `--set key=value` pairs, plus the declared rating scale when the algorithm takes one and it was not set. */
export function paramsFromFlags(algo: string, specs: ParamSpecs, sets: readonly string[], scale: [number, number] | undefined): Record<string, unknown> {
  const p = parseParamAssignments(algo, specs, sets);
  if (scale !== undefined && 'ratingMin' in specs && p['ratingMin'] === undefined && p['ratingMax'] === undefined) {
    p['ratingMin'] = scale[0];
    p['ratingMax'] = scale[1];
  }
  return p;
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses an integer flag in [lo, hi]. */
export function intFlag(name: string, text: string, lo: number, hi: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`--${name}: expected an integer in [${lo}, ${hi}], got "${text}"`, { [name]: text });
  return v;
}
