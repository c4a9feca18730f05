import { InvalidArgumentError } from './errors.js';

/**
 * External id (string) <-> dense index (int32). Indices are assigned in order of first appearance and never change,
 * so an IdMap can be serialized as its list of ids and rebuilt exactly.
 */
export class IdMap {
  private readonly toIndex = new Map<string, number>();
  private readonly ids: string[] = [];

  /** Builds a map from a list of distinct ids; index i is ids[i]. Duplicates are an error. */
  static fromIds(ids: Iterable<string>): IdMap {
    const m = new IdMap();
    for (const id of ids) {
      if (m.toIndex.has(id)) throw new InvalidArgumentError(`IdMap.fromIds: duplicate id "${id}"`, { id });
      m.add(id);
    }
    return m;
  }

  /** Number of ids. */
  get size(): number {
    return this.ids.length;
  }

  /** Index of `id`, adding it when new. */
  add(id: string): number {
    let i = this.toIndex.get(id);
    if (i === undefined) {
      i = this.ids.length;
      if (i >= 0x7fffffff) throw new InvalidArgumentError('IdMap: more than 2^31-1 ids');
      this.toIndex.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  /** Index of `id`, or -1 when unknown. */
  indexOf(id: string): number {
    const i = this.toIndex.get(id);
    return i === undefined ? -1 : i;
  }

  has(id: string): boolean {
    return this.toIndex.has(id);
  }

  /** Id at `index`; throws for an index out of range. */
  idAt(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new InvalidArgumentError(`IdMap.idAt: index ${index} out of range [0, ${this.ids.length})`);
    return id;
  }

  /** The ids in index order (a copy). */
  toArray(): string[] {
    return this.ids.slice();
  }

  /** Read-only view of the ids in index order (no copy). */
  get list(): readonly string[] {
    return this.ids;
  }

  toJSON(): string[] {
    return this.ids.slice();
  }

  /** Maps ids to indices; unknown ids map to -1. */
  indicesOf(ids: readonly string[]): Int32Array {
    const out = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) out[k] = this.indexOf(ids[k]!);
    return out;
  }
}
