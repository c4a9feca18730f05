/**
 * Reckon's public entry point: everything a library user needs, re-exported by name.
 */
export * from './core/index.js';
export * from './data/frame.js';
export * from './data/interactions.js';
export * from './recommenders/index.js';
export * from './data/io.js';
export * from './data/prep.js';
export * from './eval/index.js';
export * from './recommenders/implicit/index.js';
export * from './text/index.js';
export * from './serve/index.js';
export * from './report/index.js';
export * from './tabular/index.js';
export * from './pipeline/index.js';
export * from './recommenders/neural/index.js';
