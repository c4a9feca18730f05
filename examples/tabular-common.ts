import { resolve } from 'node:path';

/** Where the shared data sets live: $RECKON_DATA, default ../shared/data next to the repository. */
export function dataDir(): string {
  return resolve(process.env['RECKON_DATA'] ?? '../shared/data');
}
