/**
 * Worker-pool kernel: rows [start, end) of a similarity matrix (see similarity.ts). Every array in `args` lives on a
 * SharedArrayBuffer, so the rows written here land in the caller's matrix without copying.
 */
import { type Compressed, type RatingSimilarityOptions, similarityRows } from './similarity.js';

/** Arguments shared by every chunk. */
export interface SimilarityArgs {
  n: number;
  byX: Compressed;
  byY: Compressed;
  o: RatingSimilarityOptions;
  devX: Float64Array | undefined;
  devY: Float64Array | undefined;
  out: Float32Array;
}

/** Computes similarity rows [start, end) into `args.out`. */
export function similarityKernel(args: SimilarityArgs, start: number, end: number): number {
  similarityRows(args.n, args.byX, args.byY, args.o, args.devX, args.devY, start, end, args.out);
  return end - start;
}
