/**
 * Progress reporting contract. Long work (training epochs, file reading, folds) calls `onProgress` between units of
 * work, never per element. The CLI turns these events into progress bars; the server into logs.
 */
export interface ProgressEvent {
  /** What is being done, e.g. "epoch", "read", "fold". */
  step: string;
  /** Units done so far (monotone within a step). */
  done: number;
  /** Units in all; 0 when unknown. */
  total: number;
  /** Optional figures at this point (loss, rmse, rows/s...). */
  metrics?: Record<string, number>;
}

export type ProgressFn = (event: ProgressEvent) => void;

/** Options every long-running call accepts. */
export interface RunOptions {
  /** Seed for every random choice; the same seed gives the same result. */
  seed?: number;
  /** Cancels the work between units; the call rejects with AbortedError. */
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** Wraps a progress callback so it fires at most every `minMs` milliseconds (and always on the last unit). */
export function throttleProgress(fn: ProgressFn | undefined, minMs = 100): ProgressFn | undefined {
  if (fn === undefined) return undefined;
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (now - last >= minMs || (e.total > 0 && e.done >= e.total)) {
      last = now;
      fn(e);
    }
  };
}
