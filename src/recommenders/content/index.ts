import './registry.js';

export * from './catalog-model.js';
export * from './content.js';
export * from './explain.js';
