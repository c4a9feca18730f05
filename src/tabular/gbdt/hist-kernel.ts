import { applyBinsRows, fitBinCuts } from '../tree/binning.js';
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

/** Arguments of the binning kernels: the shared training matrix and, for {@link binRows}, edges and outputs. */
export interface BinKernelArgs {
  x: Float64Array | Float32Array;
  n: number;
  d: number;
  rows: Int32Array;
  maxBins: number;
  cuts: Float64Array[];
  B: Uint8Array;
  Bc: Uint8Array;
}

/** Pool kernel: bin edges of features [start, end). */
export function binCuts(a: BinKernelArgs, start: number, end: number): Float64Array[] {
  return fitBinCuts({ data: a.x, rows: a.n, cols: a.d }, a.rows, a.maxBins, start, end);
}

/** Pool kernel: bins of rows [start, end), row- and column-major. */
export function binRows(a: BinKernelArgs, start: number, end: number): void {
  applyBinsRows({ data: a.x, rows: a.n, cols: a.d }, { cuts: a.cuts }, a.B, a.Bc, start, end);
}
