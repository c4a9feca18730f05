import { readFile } from 'node:fs/promises';
import { EmptyInputError, ReckonError, ErrorCode } from '../../core/errors.js';
import { type ProgressFn, throttleProgress } from '../../core/progress.js';

/**
 * Parses a basket file: one basket per line, item names separated by `separator` (ragged rows, as in the
 * groceries.csv market-basket set). Names are trimmed; empty names and blank lines are skipped; duplicates inside a
 * basket are kept here (BoughtTogether counts them once). No quoting: a separator inside a name is not supported.
 * A text with no item at all is an {@link EmptyInputError} naming the source. `onProgress` gets `read` events in
 * lines parsed (at most every 100 ms, and at the end).
 */
export function parseBaskets(text: string, source: string, separator = ',', onProgress?: ProgressFn): string[][] {
  const out: string[][] = [];
  const lines = text.split(/\r?\n/);
  const progress = throttleProgress(onProgress);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    if (progress !== undefined && (l & 4095) === 4095) progress({ step: 'read', done: l + 1, total: lines.length });
    const basket: string[] = [];
    for (const raw of line.split(separator)) {
      const name = raw.trim();
      if (name !== '') basket.push(name);
    }
    if (basket.length > 0) out.push(basket);
  }
  progress?.({ step: 'read', done: lines.length, total: lines.length });
  if (out.length === 0) throw new EmptyInputError(`${source}: no baskets (the file is empty or holds only blank lines)`, { path: source });
  return out;
}

/** Reads and parses a basket file (see {@link parseBaskets}). */
export async function readBasketFile(path: string, separator = ',', onProgress?: ProgressFn): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ReckonError(ErrorCode.Io, `${path}: cannot read the basket file (${(e as Error).message})`, { cause: e, details: { path } });
  }
  return parseBaskets(text, path, separator, onProgress);
}
