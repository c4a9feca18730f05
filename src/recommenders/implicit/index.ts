// Public names of the implicit-feedback area (and its ranking evaluation in eval/).
export * from './base.js';
export * from './validate.js';
export * from './similarity.js';
export * from './factor-model.js';
export { gramPlusReg, alsHalfStep } from './als-solve.js';
export * from './als.js';
export * from './ease.js';
export * from './item-knn.js';
export * from './popularity.js';
export * from './bpr.js';
export type { BprStratumArgs } from './bpr-kernel.js';
export * from './sar.js';
export * from './user-knn.js';
export * from './bought-together.js';
export * from './baskets.js';
export { recommendBlock, type RecommendBlockArgs } from './recommend-all-kernel.js';
export * from './ann.js';
