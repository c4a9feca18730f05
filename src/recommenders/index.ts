// Importing an area's registry module registers its algorithms. One line per area.
export * from './registry.js';
export * from './explicit/index.js';
import './implicit/registry.js';
export * from './content/index.js';
import './neural/registry.js';
