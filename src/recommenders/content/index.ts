import './registry.js';

export * from './catalog-model.js';
export * from './content.js';
export * from './explain.js';
export * from './hybrid.js';
export * from './lightfm.js';
export * from './item-cf.js';
export * from './mmr.js';
