import { IdMap } from '../../core/ids.js';
import { canonicalIntBytes, decodeField, type TextEncoding } from './bytes.js';

/** A keyer's ids in dense order: `ints[d]` is the integer id, or -1 when id d is the string in `strs`. */
export interface KeyList {
  ints: Int32Array;
  strs: [number, string][];
}

/**
 * Raw ids -> dense indices while reading bytes. Canonical integer ids (the common case: "1", "4242") go through an
 * open-addressing hash on an Int32Array (linear probing, Fibonacci hashing, load <= 1/2) and become strings only
 * once per distinct id, at the end; any other id is decoded and keyed through a Map. Both share one dense index space
 * in order of first appearance, so the result matches `IdMap.add` over the decoded strings.
 */
export class IdKeyer {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private nInt = 0;
  /** For dense index d: its integer id, or -1 when the id is a string. */
  private denseInt: Int32Array;
  private readonly strings = new Map<string, number>();
  private readonly denseStr: (string | undefined)[] = [];
  size = 0;

  constructor(capacityHint = 1024) {
    let cap = 1024;
    while (cap < capacityHint * 2) cap *= 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.denseInt = new Int32Array(1024);
  }

  /** Dense index of the id in `buf[s..e)` (added when new). */
  keyBytes(buf: Buffer, s: number, e: number, encoding: TextEncoding, escaped: boolean): number {
    if (!escaped) {
      const v = canonicalIntBytes(buf, s, e);
      if (v >= 0) return this.keyInt(v);
    }
    return this.keyString(decodeField(buf, s, e, encoding, escaped));
  }

  /** Dense index of a non-negative integer id. */
  keyInt(v: number): number {
    const keys = this.keys;
    let h = Math.imul(v, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h]!;
      if (k === v) return this.vals[h]!;
      if (k === -1) break;
      h = (h + 1) & this.mask;
    }
    const d = this.newDense(v, undefined);
    keys[h] = v;
    this.vals[h] = d;
    if (++this.nInt * 2 > keys.length) this.grow();
    return d;
  }

  /** Dense index of a string id (a canonical integer string is routed to the integer table). */
  keyString(id: string): number {
    let d = this.strings.get(id);
    if (d === undefined) {
      const asInt = /^(?:0|[1-9]\d{0,8})$/.test(id) ? Number(id) : -1;
      if (asInt >= 0) return this.keyInt(asInt);
      d = this.newDense(-1, id);
      this.strings.set(id, d);
    }
    return d;
  }

  /** The ids in dense order, cloneable (to send from a worker): integer ids, and the string ids by dense index. */
  exportKeys(): KeyList {
    const strs: [number, string][] = [];
    for (let d = 0; d < this.size; d++) if (this.denseInt[d]! < 0) strs.push([d, this.denseStr[d]!]);
    return { ints: this.denseInt.slice(0, this.size), strs };
  }

  /** Keys another keyer's ids into this one (in their dense order); returns other dense index -> this dense index. */
  absorb(keys: KeyList): Int32Array {
    const map = new Int32Array(keys.ints.length);
    if (keys.strs.length === 0) {
      for (let d = 0; d < keys.ints.length; d++) map[d] = this.keyInt(keys.ints[d]!);
    } else {
      // string ids keep their place in first-seen order: interleave by dense index
      let s = 0;
      for (let d = 0; d < keys.ints.length; d++) {
        const v = keys.ints[d]!;
        if (v >= 0) map[d] = this.keyInt(v);
        else map[d] = this.keyString(keys.strs[s++]![1]);
      }
    }
    return map;
  }

  /** The ids as an IdMap (index d = dense index d). */
  toIdMap(): IdMap {
    const m = new IdMap();
    for (let d = 0; d < this.size; d++) {
      const v = this.denseInt[d]!;
      m.add(v >= 0 ? String(v) : this.denseStr[d]!);
    }
    return m;
  }

  private newDense(intId: number, str: string | undefined): number {
    const d = this.size++;
    if (d === this.denseInt.length) {
      const bigger = new Int32Array(d * 2);
      bigger.set(this.denseInt);
      this.denseInt = bigger;
    }
    this.denseInt[d] = intId;
    if (str !== undefined) this.denseStr[d] = str;
    return d;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    const cap = oldK.length * 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift--;
    for (let h = 0; h < oldK.length; h++) {
      const k = oldK[h]!;
      if (k === -1) continue;
      let p = Math.imul(k, 0x9e3779b1) >>> this.shift;
      while (this.keys[p] !== -1) p = (p + 1) & this.mask;
      this.keys[p] = k;
      this.vals[p] = oldV[h]!;
    }
  }
}
