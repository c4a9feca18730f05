/**
 * core/: the foundation every other layer builds on — errors, ids, the seeded RNG, params, progress, the model
 * contract, top-k selection, safetensors and artifacts, typed-array kernels and the worker pool. Imports nothing
 * else of Reckon's.
 */
export * from './errors.js';
export * from './ids.js';
export * from './rng.js';
export * from './numpy-random.js';
export * from './params.js';
export * from './progress.js';
export * from './model.js';
export * from './topk.js';
export * from './safetensors.js';
export * from './artifact.js';
export * from './file-lock.js';
export * from './kernels/index.js';
export { WorkerPool, chunkBounds, getSharedPool, kernelModuleUrl, sharedFloat32, sharedFloat64, sharedInt32, toShared } from './pool.js';
export type { PoolTask, TypedArray } from './pool.js';
export * from './parallel.js';
export * from './sorted.js';
