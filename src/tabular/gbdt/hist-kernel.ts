import { buildHistogramFeatures } from './histogram.js';

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
