// Evaluation: rating metrics, cross-validation and hyperparameter search.
export * from './rating.js';
export * from './cv.js';
export * from './search.js';
export * from './blend.js';
export * from './ranking.js';
export * from './protocols.js';
export * from './ranking-eval.js';
export * from './sampled-ranking.js';
