import { SchemaError } from '../core/errors.js';
import type { Column, Frame } from './frame.js';

/**
 * Dense key ids for rows over one or more key columns, shared between frames (so joins can compare keys of two
 * frames with different dictionaries). Values compare by content: numeric by value, categorical by string. A row
 * with a missing key value gets id -1. O(rows) with hashing.
 */
export class KeyIndexer {
  private readonly perColumn: Map<number | string, number>[];
  private readonly combos = new Map<number | string, number>();
  size = 0;

  constructor(nColumns: number) {
    this.perColumn = Array.from({ length: nColumns }, () => new Map());
  }

  /** Key id of every row of `frame` over `columns` (ids of equal keys are equal across calls). */
  ids(frame: Frame, columns: readonly string[], kinds?: readonly ('numeric' | 'categorical')[]): Int32Array {
    const cols = columns.map((c) => frame.column(c));
    if (kinds !== undefined) {
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j]!;
        if (c.kind !== kinds[j]) throw new SchemaError(`key column "${c.name}" is ${c.kind} here but ${kinds[j]} in the other frame`, { column: c.name });
      }
    }
    const n = frame.nRows;
    const out = new Int32Array(n);
    if (cols.length === 1) {
      const vid = this.valueIds(cols[0]!, 0, n);
      for (let r = 0; r < n; r++) out[r] = vid[r]!;
      this.size = this.perColumn[0]!.size;
      return out;
    }
    const vids = cols.map((c, j) => this.valueIds(c, j, n));
    for (let r = 0; r < n; r++) {
      let key = '';
      let missing = false;
      for (let j = 0; j < vids.length; j++) {
        const v = vids[j]![r]!;
        if (v < 0) {
          missing = true;
          break;
        }
        key += j === 0 ? String(v) : ',' + v;
      }
      if (missing) {
        out[r] = -1;
        continue;
      }
      let id = this.combos.get(key);
      if (id === undefined) {
        id = this.combos.size;
        this.combos.set(key, id);
      }
      out[r] = id;
    }
    this.size = this.combos.size;
    return out;
  }

  private valueIds(c: Column, j: number, n: number): Int32Array {
    const map = this.perColumn[j]!;
    const out = new Int32Array(n);
    if (c.kind === 'categorical') {
      // dictionary entries -> ids once, then rows by code
      const codeIds = new Int32Array(c.dictionary.length).fill(-2);
      for (let r = 0; r < n; r++) {
        const code = c.codes[r]!;
        if (code < 0) {
          out[r] = -1;
          continue;
        }
        let id = codeIds[code]!;
        if (id === -2) {
          const s = c.dictionary[code]!;
          let m = map.get(s);
          if (m === undefined) {
            m = map.size;
            map.set(s, m);
          }
          id = m;
          codeIds[code] = id;
        }
        out[r] = id;
      }
      return out;
    }
    for (let r = 0; r < n; r++) {
      const v = c.values[r]!;
      if (Number.isNaN(v)) {
        out[r] = -1;
        continue;
      }
      let m = map.get(v);
      if (m === undefined) {
        m = map.size;
        map.set(v, m);
      }
      out[r] = m;
    }
    return out;
  }
}

/** Rows grouped by key id: `order` lists rows group by group (input order inside a group), group g at `start[g]..start[g+1]`. */
export function groupRows(ids: Int32Array, nGroups: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(nGroups + 1);
  for (let r = 0; r < ids.length; r++) if (ids[r]! >= 0) start[ids[r]! + 1]++;
  for (let g = 0; g < nGroups; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const next = start.slice(0, nGroups);
  const order = new Int32Array(start[nGroups]!);
  for (let r = 0; r < ids.length; r++) if (ids[r]! >= 0) order[next[ids[r]!]!++] = r;
  return { start, order };
}
