import { InvalidArgumentError } from './errors.js';

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/**
 * A generator that reproduces numpy's legacy `np.random.RandomState(seed)` / `np.random.seed(seed)` streams, for
 * protocols that must hold out exactly the rows a published Python benchmark held out (the Microsoft Recommenders
 * splitters). MT19937 (Matsumoto & Nishimura 1998) seeded with the reference `init_genrand(seed)`; `rand()` is the
 * 53-bit double `genrand_res53`; `randomInterval`, `shuffle` and `permutation` follow numpy's legacy algorithms
 * (masked rejection sampling, Fisher-Yates from the last position down). Checked against numpy 1.24 outputs in
 * numpy-random.test.ts. Use {@link Rng} for everything else: this one exists only to match numpy bit for bit.
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  /** `seed`: an integer in [0, 2^32), as `np.random.seed` accepts. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new InvalidArgumentError(`NumpyRandomState: seed must be an integer in [0, 2^32 - 1], got ${seed}`, { seed });
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(prev, 1812433253) + i) >>> 0; // (1812433253 * prev + i) mod 2^32
    }
    this.mti = N;
  }

  /** Next 32 random bits in [0, 2^32) (numpy's `genrand_int32`, after tempering). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & UPPER) | (mt[kk + 1]! & LOWER);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & UPPER) | (mt[kk + 1]! & LOWER);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1]! & UPPER) | (mt[0]! & LOWER);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as `np.random.rand()` / `random_sample()`. */
  rand(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `n` doubles as `np.random.rand(n)`. */
  randArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = this.rand();
    return out;
  }

  /** A uniform integer in [0, max] by numpy's masked rejection (`random_interval`); max < 2^32. */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) throw new InvalidArgumentError(`NumpyRandomState.randomInterval: max must be an integer in [0, 2^32 - 1], got ${max}`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** Shuffles in place as numpy's legacy `RandomState.shuffle` of a 1-d array: i from n-1 down to 1 swaps with j in [0, i]. */
  shuffle<A extends { length: number; [index: number]: number }>(a: A): A {
    for (let i = a.length - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** `np.random.RandomState(seed).permutation(n)`: a shuffled 0..n-1. */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new InvalidArgumentError(`NumpyRandomState.permutation: n must be a non-negative integer, got ${n}`);
    const p = new Int32Array(n);
    for (let k = 0; k < n; k++) p[k] = k;
    return this.shuffle(p);
  }
}

/** Python's `round(x)` for a float: nearest integer, halves to the even neighbour (so 16.5 -> 16, 17.5 -> 18). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
