/** A dense float vector or row-major matrix: every kernel accepts either precision. */
export type FloatArray = Float32Array | Float64Array;
