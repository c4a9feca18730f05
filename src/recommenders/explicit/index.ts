// Explicit-rating recommenders (Surprise's algorithms). Importing this module registers them (task 'rating').
export * from './base.js';
export * from './baselines.js';
export * from './baseline-only.js';
export * from './co-clustering.js';
export * from './knn.js';
export * from './nmf.js';
export * from './normal.js';
export * from './similarity.js';
export * from './slope-one.js';
export * from './svd.js';
export * from './svdpp.js';
export * from './registry.js';
