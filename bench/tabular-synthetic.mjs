/**
 * The cached synthetic set of the tabular benchmark (bench/out/synthetic-N.csv, written by `npm run bench -- tabular`)
 * as a row-major matrix, split as the benchmark splits it: the first 80% of rows to fit, the rest to score. Shared by
 * the fit and predict drivers (tabular-fit.mjs, tabular-predict.mjs). `lib`: '../dist' or '../src'.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function loadSynthetic(lib, rows) {
  const { readTable } = await import(`${lib}/data/read.js`);
  const { fromColumns } = await import(`${lib}/tabular/matrix.js`);
  const csv = join(dirname(fileURLToPath(import.meta.url)), 'out', `synthetic-${rows}.csv`);
  if (!existsSync(csv)) throw new Error(`${csv} missing: run \`npm run bench -- tabular --rows ${rows}\` once to write it`);
  const frame = await readTable(csv);
  const n = frame.nRows;
  const d = frame.nCols - 1;
  const X = fromColumns(Array.from({ length: d }, (_, j) => frame.numeric(`f${j}`).values)).data;
  const y = Float64Array.from(frame.numeric('target').values);
  const ntr = Math.floor(n * 0.8);
  return { d, y, ntr, tr: { data: X.subarray(0, ntr * d), rows: ntr, cols: d }, te: { data: X.subarray(ntr * d), rows: n - ntr, cols: d } };
}
