import { buildHistogramFeatures, buildPackedHistogram, clearPacked } from './histogram.js';

/** Arguments of {@link histFeatures}: shared binned rows, gradients, row order, jobs and histogram pages. */
export interface HistKernelArgs {
  B: Uint8Array;
  d: number;
  gh: Float64Array;
  rowIdx: Int32Array;
  /** [start, end, slot] per job. */
  jobs: Int32Array;
  nJobs: number;
  feats: Int32Array;
  pages: Float64Array[];
  perPage: number;
  size: number;
}

/**
 * Pool kernel: builds every job's histogram for the feature positions [start, end) (a chunk of `feats`). Chunks
 * write disjoint bins, so any number of threads gives the same histograms.
 */
export function histFeatures(a: HistKernelArgs, start: number, end: number): void {
  for (let j = 0; j < a.nJobs; j++) {
    const slot = a.jobs[3 * j + 2];
    const page = a.pages[(slot / a.perPage) | 0];
    const off = (slot % a.perPage) * a.size;
    buildHistogramFeatures(a.B, a.d, a.rowIdx, a.jobs[3 * j], a.jobs[3 * j + 1], a.gh, a.feats, start, end, page, off);
  }
}

/** Slots of the control block shared by {@link serveHistograms} and its caller (Int32Array indices). */
export const CTL = { gen: 0, next: 1, done: 2, exit: 3, nJobs: 4, nf: 5, identity: 6, parts: 7, size: 8 } as const;

/** Arguments of {@link serveHistograms}: everything shared for the whole fit (sent once). */
export interface ServeArgs {
  ctl: Int32Array;
  /** [start, end, slot] per job of the current batch. */
  jobs: Int32Array;
  feats: Int32Array;
  /** scratch[t - 1] holds part t's histogram of job j at j * size. */
  scratch: Float64Array[];
  B: Uint8Array;
  q: Float64Array;
  rowIdx: Int32Array;
  d: number;
  size: number;
}

/** Row range of part `t` of [s, e) split into `parts` (sizes differ by at most one). */
export function partBounds(s: number, e: number, t: number, parts: number): [number, number] {
  const len = e - s;
  return [s + Math.floor((t * len) / parts), s + Math.floor(((t + 1) * len) / parts)];
}

/**
 * Builds part t (>= 1) of every job of the current batch into scratch[t - 1]: the job's rows split into `parts`
 * contiguous ranges, part t's range histogrammed. Used by both the workers and the calling thread.
 */
export function buildPart(a: ServeArgs, t: number): void {
  const ctl = a.ctl;
  const nJobs = ctl[CTL.nJobs];
  const nf = ctl[CTL.nf];
  const parts = ctl[CTL.parts];
  const rows = ctl[CTL.identity] === 1 ? undefined : a.rowIdx;
  const buf = a.scratch[t - 1];
  for (let j = 0; j < nJobs; j++) {
    const [s, e] = partBounds(a.jobs[3 * j], a.jobs[3 * j + 1], t, parts);
    const off = j * a.size;
    clearPacked(buf, off, a.feats, nf, a.d);
    buildPackedHistogram(a.B, a.d, rows, s, e, a.q, a.feats, nf, buf, off);
  }
}

/**
 * Pool kernel that stays resident for a whole fit: sleeps on the control block's generation counter, and for every
 * new batch claims parts (an atomic counter, so the calling thread takes whatever no worker got to) until none are
 * left, then sleeps again; returns when `exit` is set. No message per batch: one futex wake instead.
 */
export function serveHistograms(a: ServeArgs): void {
  const ctl = a.ctl;
  for (;;) {
    if (Atomics.load(ctl, CTL.exit) === 1) return;
    const gen = Atomics.load(ctl, CTL.gen);
    for (;;) {
      const t = Atomics.add(ctl, CTL.next, 1);
      if (t >= Atomics.load(ctl, CTL.parts)) break;
      buildPart(a, t);
      Atomics.add(ctl, CTL.done, 1);
      Atomics.notify(ctl, CTL.done);
    }
    Atomics.wait(ctl, CTL.gen, gen);
  }
}
