/** Public names of the data-preparation area: events -> interactions, filters, splits, synthetic data. */
export * from './filters.js';
export * from './splits.js';
export * from './events.js';
export * from './rating-scale.js';
export * from './synthetic.js';
export * from './synthetic-activity.js';
export * from './synthetic-io.js';
export { GENRE_NAMES, COMMON_WORDS, genreName, genreVocabulary } from './synthetic-vocab.js';
