import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { SchemaError } from '../../core/errors.js';
import { MOVIELENS_FORMATS, type MovieLensFormat, loadMovieLens } from '../../data/movielens.js';
import { isItemFeatureAware } from '../../recommenders/content/catalog-model.js';
import { readCatalog } from '../../text/catalog-file.js';
import type { ItemCatalog } from '../../text/profiles.js';

/** Flags that give the item metadata to models that need it (content, hybrid, lightfm). */
export interface ItemFeatureFlags {
  items?: string;
  itemIdColumn?: string;
  itemTitleColumn?: string;
  itemTextColumn?: string[];
  itemCategoryColumn?: string[];
  itemNumericColumn?: string[];
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Adds the item-metadata flags to a command (`reckon evaluate`, `reckon train`). */
export function addItemFeatureOptions(cmd: Command): Command {
  return cmd
    .option('--items <file>', 'item metadata CSV for content/hybrid/lightfm (default for MovieLens folders: titles, genres, year)')
    .option('--item-id-column <c>', 'item id column of --items', 'id')
    .option('--item-title-column <c>', 'title column of --items (explanations)')
    .option('--item-text-column <c>', 'text column of --items (repeatable)', collect, [])
    .option('--item-category-column <c>', 'categorical column of --items, values split on | or , (repeatable)', collect, [])
    .option('--item-numeric-column <c>', 'numeric column of --items (repeatable)', collect, []);
}

/** ml-100k / ml-latest / ml-1m metadata as a catalog: the title's words, the genres, the year. */
export async function movieLensCatalog(dir: string, format: MovieLensFormat): Promise<ItemCatalog> {
  const ml = await loadMovieLens(dir, format);
  return {
    ids: ml.items.map((m) => m.id),
    titles: ml.items.map((m) => m.title),
    text: { title: ml.items.map((m) => m.title.replace(/\(\d{4}\)\s*$/, '')) },
    categorical: { genres: ml.items.map((m) => m.genres.filter((g) => g !== 'unknown' && g !== '(no genres listed)')) },
    numeric: { year: Float64Array.from(ml.items, (m) => m.year ?? NaN) },
  };
}

/**
 * Gives `model` its item catalog when it needs one: from `--items FILE` with the named columns, or, for a MovieLens
 * folder, from its movie metadata. Models that do not need metadata are left alone. A model that needs it with no
 * source is a clear error naming the flags.
 */
export async function supplyItemFeatures(model: unknown, flags: { data: string; format: string } & ItemFeatureFlags): Promise<void> {
  if (!isItemFeatureAware(model)) return;
  if (flags.items !== undefined) {
    const catalog = await readCatalog(flags.items, {
      idColumn: flags.itemIdColumn ?? 'id',
      ...(flags.itemTitleColumn !== undefined ? { titleColumn: flags.itemTitleColumn } : {}),
      textColumns: flags.itemTextColumn ?? [],
      categoricalColumns: flags.itemCategoryColumn ?? [],
      numericColumns: flags.itemNumericColumn ?? [],
    });
    model.setItemFeatures(catalog);
    return;
  }
  if ((MOVIELENS_FORMATS as readonly string[]).includes(flags.format) && statSync(flags.data, { throwIfNoEntry: false })?.isDirectory()) {
    model.setItemFeatures(await movieLensCatalog(flags.data, flags.format as MovieLensFormat));
    return;
  }
  throw new SchemaError('this algorithm needs item metadata: pass --items FILE --item-id-column C --item-text-column C [--item-category-column C] (or a MovieLens folder as --data)');
}
