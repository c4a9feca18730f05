/**
 * Public names of the data readers, cleaning and merging (re-exported by src/index.ts).
 */
export * from './report.js';
export { readInteractionsCsv, type ReadInteractionsOptions } from './ratings.js';
export * from './movielens.js';
export type { ColumnRef } from './csv/columns.js';
export type { TextEncoding } from './csv/bytes.js';
