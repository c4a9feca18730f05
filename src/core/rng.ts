import { InvalidArgumentError } from './errors.js';

/** Anything indexable and writable: arrays and every typed array. */
export interface MutableArrayLike<T> {
  length: number;
  [index: number]: T;
}

/** splitmix32: turns any 32-bit value into a well-mixed one; used for seeding and deriving streams. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Derives an independent seed for stream `stream` (a worker, a fold, a tree) from a parent seed, so parallel work is
 * reproducible whatever the number of threads.
 */
export function deriveSeed(seed: number, stream: number): number {
  return splitmix32(splitmix32(seed >>> 0) ^ Math.imul((stream + 1) | 0, 0x632be5ab)) >>> 0;
}

/**
 * Seeded pseudo-random generator: xoshiro128** (Blackman & Vigna 2018), 128-bit state seeded by splitmix32.
 * Period 2^128 - 1; passes BigCrush. Not cryptographic. The same seed gives the same sequence on every platform.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  /** `seed` is any finite number; its integer part modulo 2^53 is used (both 32-bit halves are mixed in). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new InvalidArgumentError(`Rng: seed must be a finite number, got ${seed}`);
    const s = Math.trunc(Math.abs(seed));
    const lo = s >>> 0;
    const hi = Math.floor(s / 4294967296) >>> 0;
    let x = splitmix32(lo ^ splitmix32(hi));
    this.s0 = x;
    x = splitmix32(x);
    this.s1 = x;
    x = splitmix32(x);
    this.s2 = x;
    x = splitmix32(x);
    this.s3 = x;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in [0, 1) with 32 random bits: cheaper, enough for initialisation and sampling. */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform double in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); n in [1, 2^32]. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296) || !Number.isInteger(n)) {
      throw new InvalidArgumentError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Normal deviate with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean = 0, std = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + std * this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.uniform() * 2 - 1;
      v = this.uniform() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return mean + std * u * m;
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T, A extends MutableArrayLike<T>>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle<number, Int32Array>(p);
  }

  /**
   * `k` distinct integers from [0, n), in random order. O(k) expected time and memory when k is small against n
   * (Floyd's algorithm), O(n) otherwise (partial Fisher-Yates).
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`sampleWithoutReplacement: n must be a non-negative integer, got ${n}`);
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new InvalidArgumentError(`sampleWithoutReplacement: k must be an integer in [0, ${n}], got ${k}`);
    }
    const out = new Int32Array(k);
    if (k * 4 >= n) {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.int(n - i);
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
        out[i] = p[i]!;
      }
      return out;
    }
    const chosen = new Set<number>();
    let w = 0;
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      out[w++] = pick;
    }
    return this.shuffle<number, Int32Array>(out);
  }

  /** A new generator for stream `stream`, derived from this one's current state without advancing it. */
  fork(stream: number): Rng {
    return new Rng(deriveSeed((this.s0 ^ rotl(this.s1, 13) ^ rotl(this.s2, 7) ^ this.s3) >>> 0, stream));
  }

  /** The 128-bit state (for checkpointing). */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new InvalidArgumentError('Rng.setState: expected 4 words');
    this.s0 = state[0]! | 0;
    this.s1 = state[1]! | 0;
    this.s2 = state[2]! | 0;
    this.s3 = state[3]! | 0;
    this.hasSpare = false;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
