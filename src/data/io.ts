/**
 * Public names of the data readers, writers, cleaning and merging (re-exported by src/index.ts).
 */
export * from './report.js';
export { readInteractionsCsv, type ReadInteractionsOptions } from './ratings.js';
export { buildCsr } from './csr-build.js';
export * from './movielens.js';
export { readCsv, readCsvChunks, concatFrames, type CsvOptions, type ColumnType } from './csv.js';
export { readJsonl, type JsonlOptions } from './jsonl.js';
export { duckdbQuery, readParquet, writeParquet, readCsvDuckdb, frameToDuckdb, closeDuckdb, sqlIdent, sqlString } from './duckdb.js';
export * from './read.js';
export type { ColumnRef } from './csv/columns.js';
export type { TextEncoding } from './csv/bytes.js';
export * from './inspect.js';
export * from './clean.js';
export * from './merge.js';
