/** Public names of the data-preparation area: events -> interactions, filters, splits, synthetic data. */
export * from './filters.js';
export * from './splits.js';
export * from './events.js';
export * from './ratings.js';
