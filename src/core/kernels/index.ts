/** Typed-array kernels: level-1 vector ops, dense Cholesky, conjugate gradient and a blocked matrix product. */
export * from './types.js';
export * from './blas1.js';
export * from './cholesky.js';
export * from './cg.js';
export * from './gemm.js';
export * from './gemv.js';
export { simdAvailable } from './gemm-simd.js';
export * from './reference.js';
export * from './gemm-rows.js';
