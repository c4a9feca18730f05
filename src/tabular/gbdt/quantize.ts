import { splitmix32 } from '../../core/rng.js';

/**
 * Quantised gradients (after LightGBM's quantized training, Shi et al. 2022): per tree, each row's gradient and
 * hessian are scaled to small integers by unbiased stochastic rounding and packed into ONE float64,
 *
 *   q = gInt * 2^shift + hInt,   |gInt| <= gLevels,   0 <= hInt <= hLevels.
 *
 * Sums of packed values over any set of rows stay exact integers below 2^53 (the limits below guarantee it), and a
 * sum V decodes uniquely: G = floor(V / 2^shift), H = V - G * 2^shift. So a histogram is one float64 per bin and one
 * add per (row, feature), and adding or subtracting histograms in any order gives the same bits. Only split choice
 * sees the rounding; leaf values are computed from the exact gradients.
 */
export interface QuantLimits {
  /** Bits per value: gradients in [-(2^(bits-1) - 1), 2^(bits-1) - 1], hessians in [0, 2^bits - 1]. */
  bits: number;
  gLevels: number;
  hLevels: number;
  /** Width of the hessian field: n * hLevels < 2^shift. */
  shift: number;
}

/** Largest bit count tried; more levels would not change split choices measurably. */
export const MAX_QUANT_BITS = 16;
/** Fewest bits worth using; below this (about 9 million rows) the exact float path is taken. */
export const MIN_QUANT_BITS = 4;
const TWO53 = 2 ** 53;

/**
 * The most levels (bits in [MIN_QUANT_BITS, MAX_QUANT_BITS]) for which packed sums over `n` rows stay exact:
 * (n * gLevels + 1) * 2^shift <= 2^53 with 2^shift > n * hLevels. Undefined when even MIN_QUANT_BITS does not fit.
 */
export function quantLimits(n: number): QuantLimits | undefined {
  for (let bits = MAX_QUANT_BITS; bits >= MIN_QUANT_BITS; bits--) {
    const gLevels = 2 ** (bits - 1) - 1;
    const hLevels = 2 ** bits - 1;
    const shift = Math.ceil(Math.log2(n * hLevels + 1));
    if (2 ** shift <= n * hLevels) continue; // guard against log2 rounding
    if ((n * gLevels + 1) * 2 ** shift <= TWO53) return { bits, gLevels, hLevels, shift };
  }
  return undefined;
}

/** Scales of one tree's quantisation: g ~ gInt * gScale, h ~ hInt * hScale. */
export interface QuantScales {
  gScale: number;
  hScale: number;
  shift: number;
}

/**
 * Quantises the interleaved exact gradients `gh` (gh[2i], gh[2i + 1]) of rows 0..n-1 into packed `q`, scaling by
 * the largest |g| and h. Rounding is stochastic with a per-row counter-based stream seeded by `seed` (the same
 * numbers whatever the thread count or row subset), so E[gInt * gScale] = g.
 */
export function quantizeGradients(gh: Float64Array, n: number, lim: QuantLimits, seed: number, q: Float64Array): QuantScales {
  const sc = quantScales(gh, n, lim);
  packRounded(gh, 0, n, 1 / sc.gScale, 1 / sc.hScale, lim.gLevels, lim.hLevels, 2 ** lim.shift, seed | 0, q);
  return sc;
}

/** The tree's scales: largest |g| over gLevels, largest h over hLevels (1 when all are 0). */
export function quantScales(gh: Float64Array, n: number, lim: QuantLimits): QuantScales {
  const m = maxAbsPairs(gh, n, new Float64Array(2));
  const gMax = m[0];
  const hMax = m[1];
  return { gScale: gMax > 0 ? gMax / lim.gLevels : 1, hScale: hMax > 0 ? hMax / lim.hLevels : 1, shift: lim.shift };
}

/** out = [max |a[2i]|, max |a[2i + 1]|] over i < n in one pass (NaN ignored, as a comparison skips it). */
function maxAbsPairs(a: Float64Array, n: number, out: Float64Array): Float64Array {
  let mg = 0;
  let mh = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.abs(a[2 * i]);
    const h = Math.abs(a[2 * i + 1]);
    if (g > mg) mg = g;
    if (h > mh) mh = h;
  }
  out[0] = mg;
  out[1] = mh;
  return out;
}

/**
 * Stochastic rounding and packing of rows [start, end) (row i's uniforms depend only on i and the seed). Rounding
 * is floor(x + u) for u uniform in (0, 1), which is x's floor or ceiling with E = x (unbiased), computed without a
 * data-dependent branch. One 32-bit counter hash per row gives both uniforms (its two 16-bit halves, at the
 * midpoints of 2^16 steps, so the rounding probability is within 2^-17 of the exact fraction).
 */
export function packRounded(gh: Float64Array, start: number, end: number, gInv: number, hInv: number, gL: number, hL: number, P: number, s: number, q: Float64Array): void {
  const U = 1 / 65536;
  const HALF = 0.5 / 65536;
  const gLo = -gL;
  for (let i = start; i < end; i++) {
    // A mixed counter (murmur3's 32-bit finaliser).
    let z = (s + Math.imul(i, 0x9e3779b9)) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    const gi = Math.floor(gh[2 * i] * gInv + ((z & 0xffff) * U + HALF));
    const hi = Math.floor(gh[2 * i + 1] * hInv + ((z >>> 16) * U + HALF));
    q[i] = Math.max(gLo, Math.min(gL, gi)) * P + Math.max(0, Math.min(hL, hi));
  }
}

/** Seed of tree `tree`'s rounding stream. */
export function quantSeed(seed: number, tree: number): number {
  return splitmix32(splitmix32(seed >>> 0) ^ Math.imul(tree + 1, 0x27d4eb2f));
}

/** Integer gradient part of a packed sum. */
export function unpackG(v: number, shift: number): number {
  return Math.floor(v * 2 ** -shift);
}

/** Integer hessian part of a packed sum. */
export function unpackH(v: number, shift: number): number {
  return v - Math.floor(v * 2 ** -shift) * 2 ** shift;
}
