/**
 * Reckon's public entry point: everything a library user needs, re-exported by name.
 */
export * from './core/errors.js';
export { IdMap } from './core/ids.js';
export { Rng, deriveSeed, splitmix32 } from './core/rng.js';
export * from './core/params.js';
export * from './core/progress.js';
export * from './core/model.js';
export * from './core/topk.js';
export * from './core/safetensors.js';
export * from './core/artifact.js';
export * from './data/frame.js';
export * from './data/interactions.js';
export * from './recommenders/index.js';
export * from './serve/index.js';
