import { closeSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { topK } from '../../core/topk.js';
import { alsRows } from '../../recommenders/implicit/als-solve.js';

/**
 * Shared-disk layout of a distributed ALS fit (one folder every worker can read and write):
 * `u.indptr|u.indices|u.values` (CSR of users), `i.*` (CSR of items), `x.f32` / `y.f32` (current user / item
 * factors, row-major), `gram-<side>-<epoch>.f64` (the fixed side's Gram + reg, computed once by the coordinator),
 * `out-<side>-<epoch>-<shard>.f32` (the rows one shard job solved). Outputs are written to a temporary name and
 * renamed, so a job killed mid-write leaves nothing and a retried job rewrites the same bytes.
 */
export interface ShardJob {
  dir: string;
  /** "u" solves user rows against fixed item factors, "i" the reverse. */
  side: 'u' | 'i';
  epoch: number;
  shard: number;
  start: number;
  end: number;
  f: number;
  alpha: number;
  cgSteps: number;
  /** Use the f32x4 WebAssembly half-step, decided once per fit by the coordinator exactly as `AlsModel.fit` does. */
  simd: boolean;
}

/** Writes a typed array as raw little-endian bytes, atomically. */
export function writeArray(path: string, a: Float32Array | Float64Array | Int32Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  renameSync(tmp, path);
}

/** Reads `count` elements of `bytes` bytes each from element `from` of a raw file into a fresh buffer. */
function readRange(path: string, from: number, count: number, bytes: number): ArrayBuffer {
  const buf = new ArrayBuffer(count * bytes);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    const view = new Uint8Array(buf);
    while (done < view.length) {
      const n = readSync(fd, view, done, view.length - done, from * bytes + done);
      if (n === 0) throw new Error(`${path}: file ends before element ${from + count}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** Reads float32 elements [from, from + count) of a raw file (all of it by default). */
export function readF32(path: string, from = 0, count?: number): Float32Array {
  return new Float32Array(readRange(path, from, count ?? statSync(path).size / 4, 4));
}

/** Path of a shard's output. */
export function shardOutPath(dir: string, side: string, epoch: number, shard: number): string {
  return join(dir, `out-${side}-${epoch}-${shard}.f32`);
}

/**
 * Solves one shard: reads the fixed factors and Gram, its rows of the CSR and its rows' current factors (warm start),
 * runs the same half-step kernel as the single-process fit on rows [start, end), writes the rows. Deterministic: the
 * same inputs give the same bytes, whichever worker runs it and however often.
 */
export function solveShard(j: ShardJob): void {
  const other = j.side === 'u' ? 'y' : 'x';
  const self = j.side === 'u' ? 'x' : 'y';
  const fixed = readF32(join(j.dir, `${other}.f32`));
  const gram = new Float64Array(readRange(join(j.dir, `gram-${j.side}-${j.epoch}.f64`), 0, j.f * j.f, 8));
  const ptrAll = new Int32Array(readRange(join(j.dir, `${j.side}.indptr`), j.start, j.end - j.start + 1, 4));
  const base = ptrAll[0]!;
  const nnz = ptrAll[ptrAll.length - 1]! - base;
  const indptr = new Int32Array(ptrAll.length);
  for (let r = 0; r < ptrAll.length; r++) indptr[r] = ptrAll[r]! - base;
  const indices = new Int32Array(readRange(join(j.dir, `${j.side}.indices`), base, nnz, 4));
  const values = new Float32Array(readRange(join(j.dir, `${j.side}.values`), base, nnz, 4));
  const rows = j.end - j.start;
  const x = readF32(join(j.dir, `${self}.f32`), j.start * j.f, rows * j.f);
  alsRows({ x, y: fixed, yty: gram, indptr, indices, values, f: j.f, alpha: j.alpha, cgSteps: j.cgSteps, simd: j.simd }, 0, rows);
  writeArray(shardOutPath(j.dir, j.side, j.epoch, j.shard), x);
}

/** A batch-scoring shard: top-k items (excluding the user's seen items) for users [start, end) from `x.f32`/`y.f32`. */
export interface ScoreJob {
  dir: string;
  start: number;
  end: number;
  f: number;
  k: number;
  nItems: number;
}

/** Path prefix of a scoring shard's output (`.i32` indices and `.f32` scores, rows x k, padded with -1 / -inf). */
export function scoreOutPath(dir: string, start: number): string {
  return join(dir, `top-${start}`);
}

/** Solves one scoring shard: dot products against every item, bounded-heap top-k, seen items excluded. */
export function scoreShard(j: ScoreJob): void {
  const y = readF32(join(j.dir, 'y.f32'));
  const rows = j.end - j.start;
  const x = readF32(join(j.dir, 'x.f32'), j.start * j.f, rows * j.f);
  const ptrAll = new Int32Array(readRange(join(j.dir, 'u.indptr'), j.start, rows + 1, 4));
  const base = ptrAll[0]!;
  const seen = new Int32Array(readRange(join(j.dir, 'u.indices'), base, ptrAll[rows]! - base, 4));
  const outI = new Int32Array(rows * j.k).fill(-1);
  const outS = new Float32Array(rows * j.k).fill(-Infinity);
  const scores = new Float32Array(j.nItems);
  for (let r = 0; r < rows; r++) {
    const xo = r * j.f;
    for (let i = 0; i < j.nItems; i++) {
      const yo = i * j.f;
      let s = 0;
      for (let c = 0; c < j.f; c++) s += x[xo + c]! * y[yo + c]!;
      scores[i] = s;
    }
    const top = topK(scores, j.k, seen.subarray(ptrAll[r]! - base, ptrAll[r + 1]! - base));
    outI.set(top.indices, r * j.k);
    for (let c = 0; c < top.scores.length; c++) outS[r * j.k + c] = top.scores[c]!;
  }
  writeArray(`${scoreOutPath(j.dir, j.start)}.i32`, outI);
  writeArray(`${scoreOutPath(j.dir, j.start)}.f32`, outS);
}

/** A KNN similarity block: the k most cosine-similar items of items [start, end) from the CSR files `u.*` / `i.*`. */
export interface KnnJob {
  dir: string;
  start: number;
  end: number;
  k: number;
  nItems: number;
}

/** Path prefix of a KNN block's output (`.i32` neighbours and `.f32` cosines, rows x k, padded with -1 / -inf). */
export function knnOutPath(dir: string, start: number): string {
  return join(dir, `knn-${start}`);
}

/**
 * Solves one KNN block: for each item i of the block, dot products with every item through the users of column i
 * (sparse accumulation), divided by both column norms; top-k neighbours other than i. O(sum over users of
 * |block items of u| x |items of u|) time, O(nItems) scratch.
 */
export function knnBlock(j: KnnJob): void {
  const uPtr = new Int32Array(readRange(join(j.dir, 'u.indptr'), 0, statSync(join(j.dir, 'u.indptr')).size / 4, 4));
  const uIdx = new Int32Array(readRange(join(j.dir, 'u.indices'), 0, statSync(join(j.dir, 'u.indices')).size / 4, 4));
  const uVal = readF32(join(j.dir, 'u.values'));
  const iPtr = new Int32Array(readRange(join(j.dir, 'i.indptr'), 0, j.nItems + 1, 4));
  const iIdx = new Int32Array(readRange(join(j.dir, 'i.indices'), 0, iPtr[j.nItems]!, 4));
  const iVal = readF32(join(j.dir, 'i.values'));
  const norm = new Float64Array(j.nItems);
  for (let i = 0; i < j.nItems; i++) {
    let s = 0;
    for (let p = iPtr[i]!; p < iPtr[i + 1]!; p++) s += iVal[p]! * iVal[p]!;
    norm[i] = Math.sqrt(s);
  }
  const rows = j.end - j.start;
  const outI = new Int32Array(rows * j.k).fill(-1);
  const outS = new Float32Array(rows * j.k).fill(-Infinity);
  const dot = new Float64Array(j.nItems);
  const self = new Int32Array(1);
  for (let r = 0; r < rows; r++) {
    const i = j.start + r;
    dot.fill(0);
    for (let p = iPtr[i]!; p < iPtr[i + 1]!; p++) {
      const u = iIdx[p]!;
      const w = iVal[p]!;
      for (let q = uPtr[u]!; q < uPtr[u + 1]!; q++) dot[uIdx[q]!] += w * uVal[q]!;
    }
    for (let c = 0; c < j.nItems; c++) dot[c] = norm[i]! > 0 && norm[c]! > 0 && dot[c]! > 0 ? dot[c]! / (norm[i]! * norm[c]!) : -Infinity;
    self[0] = i;
    const top = topK(dot, j.k, self);
    outI.set(top.indices, r * j.k);
    for (let c = 0; c < top.scores.length; c++) outS[r * j.k + c] = top.scores[c]!;
  }
  writeArray(`${knnOutPath(j.dir, j.start)}.i32`, outI);
  writeArray(`${knnOutPath(j.dir, j.start)}.f32`, outS);
}
