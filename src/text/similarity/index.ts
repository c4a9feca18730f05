export * from './similarity.js';
export * from './parallel.js';
export type { TopKKernelArgs } from './topk-kernel.js';
