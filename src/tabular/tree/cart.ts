import { Rng } from '../../core/rng.js';
import { MISSING_BIN } from './binning.js';
import { type Tree, TreeBuilder } from './tree.js';

/** Binned data plus targets for CART growth. `k` > 0: classes (yIndex used); k = 0: regression (y used). */
export interface CartData {
  /** Column-major bins: B[f * n + i] (see `applyBinsColumns`). */
  B: Uint8Array;
  n: number;
  d: number;
  nBins: Int32Array;
  cuts: Float64Array[];
  k: number;
  yIndex: Int32Array;
  y: Float64Array;
}

/** How a CART tree grows (scikit-learn's names in camelCase). */
export interface CartParams {
  criterion: 'gini' | 'entropy' | 'mse';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per node. */
  maxFeatures: number;
  minImpurityDecrease: number;
}

const SORT_BELOW = 64;

/**
 * CART (Breiman et al. 1984) on histogram bins: depth-first growth; per node, `maxFeatures` features drawn without
 * replacement; each one's best threshold found from a class-weight (or sum) histogram over its bins when the node
 * is large, or by sorting the node's bins when it is small (< 64 rows), so deep trees stay cheap. Missing values
 * have their own bin, ordered after every value, so they go right unless the split separates missing from present.
 * `w[i]` is row i's weight (bootstrap multiplicity in a forest; 0 = not in the sample).
 */
export function growCart(data: CartData, w: Float64Array, p: CartParams, seed: number): Tree {
  const { B, n, d, nBins, cuts, k } = data;
  const nOut = k > 0 ? k : 1;
  const rng = new Rng(seed);
  let m = 0;
  for (let i = 0; i < data.n; i++) if (w[i] > 0) m++;
  const rowIdx = new Int32Array(m);
  // Weights and targets travel with the rows when nodes are partitioned, so every scan reads them in order.
  const rw = new Float64Array(m);
  // Targets: class index (Int32, so it indexes histograms directly) or the regression value.
  const rc = new Int32Array(k > 0 ? m : 0);
  const ry = new Float64Array(k > 0 ? 0 : m);
  m = 0;
  let integral = true;
  let wSum = 0;
  for (let i = 0; i < data.n; i++) {
    if (w[i] > 0) {
      rowIdx[m] = i;
      rw[m] = w[i];
      if (k > 0) rc[m] = data.yIndex[i];
      else ry[m] = data.y[i];
      if (w[i] !== Math.floor(w[i])) integral = false;
      wSum += w[i];
      m++;
    }
  }
  // Two classes and whole-number weights (bootstrap counts) summing below 2^26: a row's class-1 weight and total
  // weight pack into one double, w * (1 + c * 2^26), whose sums stay exact integers; a histogram bin is then one
  // add per row instead of two, and only this one value travels with the rows (see unpack()).
  // (Not with minSamplesLeaf > 1: the histogram scan then needs row counts per bin, which the packing leaves out.)
  const packed = k === 2 && integral && wSum < PACK && p.minSamplesLeaf <= 1;
  const tb = new TreeBuilder(nOut, 256);
  const stats = new Float64Array(nOut + 1);
  // Class weights + total per bin (stride nOut + 1); on the packed path, one packed value per bin (the first 256).
  const hist = new Float64Array(256 * (nOut + 1));
  const left = new Float64Array(nOut + 1);
  const keys = new Int32Array(SORT_BELOW);
  const featBuf = new Int32Array(d);
  for (let f = 0; f < d; f++) featBuf[f] = f;
  const scratch = new Int32Array(m);
  const scratchW = new Float64Array(m);
  const scratchY = new Float64Array(k > 0 ? 0 : m);
  const scratchC = new Int32Array(k > 0 ? m : 0);
  // With minSamplesLeaf <= 1 and every kept row of positive weight, a bin is empty exactly when its weight is 0, so
  // the per-bin row counts (one more read-modify-write per row) are not needed in the histogram scans.
  const needCount = p.minSamplesLeaf > 1 || k === 0;
  const cnt = new Int32Array(256);
  // Binary gini and squared error get an inlined split score; other criteria use the generic one.
  const fast = (k === 2 && p.criterion === 'gini') || k === 0;
  const sw = nOut + 1;
  // Node statistics (class weights + total, or [sum w y, sum w]) by node: the root's summed here, children's
  // taken from the winning split's scan (left) and parent minus left (right), saving a pass over the rows.
  let nodeStats = new Float64Array(256 * sw);
  const bestLeft = new Float64Array(sw);
  for (let q = 0; q < m; q++) {
    const wi = rw[q];
    if (k > 0) nodeStats[rc[q]] += wi;
    else nodeStats[0] += wi * ry[q];
    nodeStats[nOut] += wi;
  }
  if (packed) for (let q = 0; q < m; q++) rw[q] *= 1 + rc[q] * PACK;
  // Class indices travel with the rows unless they are packed into rw.
  const moveC = k > 0 && !packed;
  // Stack of [node, start, end, depth].
  const stack: number[] = [tb.addLeaf(0), 0, m, 0];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const node = stack.pop() as number;
    for (let c = 0; c < sw; c++) stats[c] = nodeStats[node * sw + c];
    const W = stats[nOut];
    tb.cover[node] = W;
    for (let c = 0; c < nOut; c++) tb.value[node * nOut + c] = k > 0 ? stats[c] / W : stats[0] / W;
    const count = end - start;
    if ((p.maxDepth > 0 && depth >= p.maxDepth) || count < p.minSamplesSplit || count < 2 * p.minSamplesLeaf || isPure(stats, k)) continue;
    const parentScore = score(stats, nOut, k, p.criterion);
    // Two-class node sums for the packed scans; their best candidate is kept packed (bestAcc) and unpacked once.
    const S0 = stats[0];
    const S1 = stats[1];
    let bestAcc = 0;
    let bestGain = 0;
    let bestF = -1;
    let bestBin = 0;
    // Draw features (partial Fisher-Yates over featBuf).
    const mtry = Math.min(p.maxFeatures, d);
    for (let t = 0; t < mtry; t++) {
      const j = t + rng.int(d - t);
      const tmp = featBuf[t];
      featBuf[t] = featBuf[j];
      featBuf[j] = tmp;
      const f = featBuf[t];
      const col = f * n;
      if (nBins[f] < 2 && !hasMissing(B, col, rowIdx, start, end)) continue;
      const stride = nOut + 1;
      left.fill(0);
      let leftCount = 0;
      if (count >= SORT_BELOW) {
        // hist and cnt are all zero here; only the touched bin range [lo, hi] is scanned and cleared after.
        let lo = 255;
        let hi = 0;
        if (packed) {
          for (let q = start; q < end; q++) {
            const b = B[col + rowIdx[q]];
            hist[b] += rw[q];
            if (b < lo) lo = b;
            if (b > hi) hi = b;
          }
        } else if (!needCount) {
          for (let q = start; q < end; q++) {
            const b = B[col + rowIdx[q]];
            const wi = rw[q];
            const o = b * stride;
            hist[o + rc[q]] += wi;
            hist[o + nOut] += wi;
            if (b < lo) lo = b;
            if (b > hi) hi = b;
          }
        } else if (k > 0) {
          for (let q = start; q < end; q++) {
            const b = B[col + rowIdx[q]];
            const wi = rw[q];
            const o = b * stride;
            hist[o + rc[q]] += wi;
            hist[o + nOut] += wi;
            cnt[b]++;
            if (b < lo) lo = b;
            if (b > hi) hi = b;
          }
        } else {
          for (let q = start; q < end; q++) {
            const b = B[col + rowIdx[q]];
            const wi = rw[q];
            const o = b * stride;
            hist[o] += wi * ry[q];
            hist[o + nOut] += wi;
            cnt[b]++;
            if (b < lo) lo = b;
            if (b > hi) hi = b;
          }
        }
        if (packed) {
          let acc = 0;
          for (let b = lo; b < hi; b++) {
            const v = hist[b];
            if (v === 0) continue;
            acc += v;
            const g = (fast ? packedGini(acc, S0, S1, W) : packedScore(acc, left, stats, k, p.criterion)) - parentScore;
            if (g > bestGain) {
              bestGain = g;
              bestF = f;
              bestBin = b;
              bestAcc = acc;
            }
          }
          hist.fill(0, lo, hi + 1);
          continue;
        }
        for (let b = lo; b <= hi; b++) {
          if (needCount) {
            if (cnt[b] === 0) continue;
            leftCount += cnt[b];
            if (count - leftCount < p.minSamplesLeaf) break;
            if (leftCount < p.minSamplesLeaf) {
              // too few rows on the left to split here, but they are on the left of every later threshold
              for (let c = 0; c <= nOut; c++) left[c] += hist[b * stride + c];
              continue;
            }
          } else {
            // Empty bin, or the last non-empty one (nothing would go right).
            if (hist[b * stride + nOut] === 0) continue;
            if (b === hi) break;
          }
          for (let c = 0; c <= nOut; c++) left[c] += hist[b * stride + c];
          const g = (fast ? fastScore(left, stats, k, leftW(left, nOut), stats[nOut]) : splitScore(left, stats, nOut, k, p.criterion)) - parentScore;
          if (g > bestGain) {
            bestGain = g;
            bestF = f;
            bestBin = b;
            for (let c = 0; c <= nOut; c++) bestLeft[c] = left[c];
          }
        }
        hist.fill(0, lo * stride, (hi + 1) * stride);
        if (needCount) cnt.fill(0, lo, hi + 1);
      } else {
        for (let q = start; q < end; q++) keys[q - start] = (B[col + rowIdx[q]] << 9) | (q - start);
        const ks = keys;
        if (count <= 48) {
          // Insertion sort: small nodes are the vast majority in deep trees; a native sort call costs more.
          for (let a = 1; a < count; a++) {
            const v = ks[a];
            let b = a - 1;
            while (b >= 0 && ks[b] > v) {
              ks[b + 1] = ks[b];
              b--;
            }
            ks[b + 1] = v;
          }
        } else keys.subarray(0, count).sort();
        let acc = 0;
        for (let a = 0; a < count; a++) {
          const q = start + (ks[a] & 511);
          const wi = rw[q];
          if (packed) acc += wi;
          else if (k > 0) left[rc[q]] += wi;
          else left[0] += wi * ry[q];
          if (!packed) left[nOut] += wi;
          leftCount++;
          const b = ks[a] >> 9;
          if (a + 1 < count && ks[a + 1] >> 9 === b) continue;
          if (count - leftCount < p.minSamplesLeaf) break;
          if (leftCount < p.minSamplesLeaf) continue;
          const g = packed
            ? (fast ? packedGini(acc, S0, S1, W) : packedScore(acc, left, stats, k, p.criterion)) - parentScore
            : (fast ? fastScore(left, stats, k, leftW(left, nOut), stats[nOut]) : splitScore(left, stats, nOut, k, p.criterion)) - parentScore;
          if (g > bestGain) {
            bestGain = g;
            bestF = f;
            bestBin = b;
            if (packed) bestAcc = acc;
            else for (let c = 0; c <= nOut; c++) bestLeft[c] = left[c];
          }
        }
      }
    }
    if (bestF < 0 || bestGain <= p.minImpurityDecrease + 1e-12 * W) continue;
    if (packed) unpack(bestAcc, bestLeft);
    // Partition: bins <= bestBin left (missing, bin 255, sorts last so goes right unless bestBin is 255).
    let wpos = start;
    let nr = 0;
    const bcol = bestF * n;
    for (let q = start; q < end; q++) {
      const r = rowIdx[q];
      if (B[bcol + r] <= bestBin) {
        rw[wpos] = rw[q];
        if (moveC) rc[wpos] = rc[q];
        else if (k === 0) ry[wpos] = ry[q];
        rowIdx[wpos++] = r;
      } else {
        scratchW[nr] = rw[q];
        if (moveC) scratchC[nr] = rc[q];
        else if (k === 0) scratchY[nr] = ry[q];
        scratch[nr++] = r;
      }
    }
    for (let q = 0; q < nr; q++) {
      rowIdx[wpos + q] = scratch[q];
      rw[wpos + q] = scratchW[q];
      if (moveC) rc[wpos + q] = scratchC[q];
      else if (k === 0) ry[wpos + q] = scratchY[q];
    }
    const thr = bestBin === MISSING_BIN ? Infinity : cuts[bestF][Math.min(bestBin, cuts[bestF].length - 1)];
    // Bin 255 never reaches here as a "<=" threshold except to split missing apart; with thr = last edge missing goes right.
    const l = tb.split(node, bestF, thr, false, bestGain, 0, 0);
    if ((l + 2) * sw > nodeStats.length) {
      const grown = new Float64Array(nodeStats.length * 2);
      grown.set(nodeStats);
      nodeStats = grown;
    }
    for (let c = 0; c < sw; c++) {
      nodeStats[l * sw + c] = bestLeft[c];
      nodeStats[(l + 1) * sw + c] = stats[c] - bestLeft[c];
    }
    stack.push(l + 1, wpos, end, depth + 1);
    stack.push(l, start, wpos, depth + 1);
  }
  return tb.finish();
}

/** Packing scale: 2^26 (exact in a double; weights of a tree sum below it for the packing to be used). */
const PACK = 67108864;
const UNPACK = 1 / PACK;

/** Unpacks a sum of packed rows into [class-0 weight, class-1 weight, total]. */
function unpack(v: number, out: Float64Array): void {
  const c1 = Math.floor(v * UNPACK);
  const tot = v - c1 * PACK;
  out[0] = tot - c1;
  out[1] = c1;
  out[2] = tot;
}

/** fastScore's binary gini of a packed left sum `acc` (the same operations on the unpacked values). */
function packedGini(acc: number, S0: number, S1: number, W: number): number {
  const c1 = Math.floor(acc * UNPACK);
  const WL = acc - c1 * PACK;
  const a = WL - c1;
  const c = S0 - a;
  const e = S1 - c1;
  return (a * a + c1 * c1) / WL + (c * c + e * e) / (W - WL);
}

/** splitScore of a packed left sum (other two-class criteria). */
function packedScore(acc: number, left: Float64Array, stats: Float64Array, k: number, criterion: string): number {
  unpack(acc, left);
  return splitScore(left, stats, 2, k, criterion);
}

function hasMissing(B: Uint8Array, col: number, rowIdx: Int32Array, start: number, end: number): boolean {
  for (let q = start; q < end; q++) if (B[col + rowIdx[q]] === MISSING_BIN) return true;
  return false;
}

function isPure(stats: Float64Array, k: number): boolean {
  if (k === 0) return false;
  let nz = 0;
  for (let c = 0; c < k; c++) if (stats[c] > 0) nz++;
  return nz <= 1;
}

/** Node "score" whose increase over children equals the weighted impurity decrease. */
function score(s: Float64Array, nOut: number, k: number, criterion: string): number {
  const W = s[nOut];
  if (W <= 0) return 0;
  if (k === 0) return (s[0] * s[0]) / W;
  if (criterion === 'entropy') {
    // -W * H = sum c log(c / W)
    let t = 0;
    for (let c = 0; c < k; c++) if (s[c] > 0) t += s[c] * Math.log(s[c] / W);
    return t;
  }
  let t = 0;
  for (let c = 0; c < k; c++) t += s[c] * s[c];
  return t / W;
}

function leftW(left: Float64Array, nOut: number): number {
  return left[nOut];
}

/** Split score for binary gini (sum of squared class weights over weight, both sides) or squared error. */
function fastScore(left: Float64Array, total: Float64Array, k: number, WL: number, W: number): number {
  const WR = W - WL;
  if (k === 0) {
    const sl = left[0];
    const sr = total[0] - sl;
    return (sl * sl) / WL + (sr * sr) / WR;
  }
  const a = left[0];
  const b = left[1];
  const c = total[0] - a;
  const e = total[1] - b;
  return (a * a + b * b) / WL + (c * c + e * e) / WR;
}

const rightBuf = new Float64Array(256);

function splitScore(left: Float64Array, total: Float64Array, nOut: number, k: number, criterion: string): number {
  const r = rightBuf;
  for (let c = 0; c <= nOut; c++) r[c] = total[c] - left[c];
  return score(left, nOut, k, criterion) + score(r, nOut, k, criterion);
}
