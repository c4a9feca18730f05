import type { ItemRecord } from '../types.js';

/**
 * What the recommendation path needs to know about items, in memory: hidden flags and categories, kept in step with
 * the store by the item routes. Items unknown to the catalog are visible and in no category.
 */
export class Catalog {
  private readonly hidden = new Set<string>();
  private readonly categories = new Map<string, ReadonlySet<string>>();

  /** Records (or replaces) one item's flags. */
  put(item: Pick<ItemRecord, 'id' | 'hidden' | 'categories'>): void {
    if (item.hidden) this.hidden.add(item.id);
    else this.hidden.delete(item.id);
    if (item.categories.length === 0) this.categories.delete(item.id);
    else this.categories.set(item.id, new Set(item.categories));
  }

  remove(id: string): void {
    this.hidden.delete(id);
    this.categories.delete(id);
  }

  isHidden(id: string): boolean {
    return this.hidden.has(id);
  }

  /** True when the item is visible and (when given) in `category`. */
  accepts(id: string, category: string | undefined): boolean {
    if (this.hidden.has(id)) return false;
    return category === undefined || this.categories.get(id)?.has(category) === true;
  }
}
