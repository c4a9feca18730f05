import { InvalidArgumentError } from '../errors.js';
import { axpy, dot } from './blas1.js';
import type { FloatArray } from './types.js';

/** Stopping rule for {@link conjugateGradient}. */
export interface CgOptions {
  /** Iteration cap (default n: exact arithmetic converges in n steps). */
  maxIter?: number;
  /** Stop when ‖b - A x‖ ≤ tol · ‖b‖ (default 1e-10). */
  tol?: number;
  /** Three reusable Float64Array buffers of at least n entries (r, p, Ap), to avoid allocating per call. */
  scratch?: [Float64Array, Float64Array, Float64Array];
}

/** What a CG run did. */
export interface CgResult {
  iterations: number;
  /** ‖b - A x‖ at exit (the recurrence's residual). */
  residualNorm: number;
  converged: boolean;
}

/**
 * Conjugate gradient (Hestenes & Stiefel 1952) for SPD `A x = b`, with `A` given only as a product.
 * `matvec(x, out)` must write `A·x` into `out`; it is called ONCE PER ITERATION (plus once for the initial
 * residual), never per element, so a closure is fine here. `x0AndOut` holds the starting guess and receives the
 * solution (warm starts, as in implicit ALS with a few CG steps per user, Takács et al. 2011).
 * Each iteration costs one matvec plus 5n multiply-adds. Throws InvalidArgumentError if A is not positive definite
 * along a search direction.
 */
export function conjugateGradient(
  matvec: (x: Float64Array, out: Float64Array) => void,
  b: FloatArray,
  x0AndOut: FloatArray,
  n: number,
  opts: CgOptions = {},
): CgResult {
  const maxIter = opts.maxIter ?? n;
  const tol = opts.tol ?? 1e-10;
  const [r, p, ap] = opts.scratch ?? [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  if (r.length < n || p.length < n || ap.length < n) throw new InvalidArgumentError(`conjugateGradient: scratch buffers need ${n} entries`);
  const x = x0AndOut;
  // r = b - A x0, p = r (the x copy goes through p so matvec always receives a Float64Array)
  for (let t = 0; t < n; t++) p[t] = x[t]!;
  matvec(p, ap);
  for (let t = 0; t < n; t++) {
    r[t] = b[t]! - ap[t]!;
    p[t] = r[t]!;
  }
  const bNorm = Math.sqrt(dot(b, b, n));
  const stop = tol * (bNorm > 0 ? bNorm : 1);
  let rs = dot(r, r, n);
  let it = 0;
  while (it < maxIter && Math.sqrt(rs) > stop) {
    matvec(p, ap);
    const pAp = dot(p, ap, n);
    if (!(pAp > 0)) {
      if (pAp === 0) break;
      throw new InvalidArgumentError(`conjugateGradient: matrix is not positive definite (pᵀAp = ${pAp} at iteration ${it})`);
    }
    const alpha = rs / pAp;
    axpy(alpha, p, x, n);
    axpy(-alpha, ap, r, n);
    const rsNew = dot(r, r, n);
    const beta = rsNew / rs;
    rs = rsNew;
    for (let t = 0; t < n; t++) p[t] = r[t]! + beta * p[t]!;
    it++;
  }
  const residualNorm = Math.sqrt(rs);
  return { iterations: it, residualNorm, converged: residualNorm <= stop };
}

/** {@link conjugateGradient} with a dense n x n row-major SPD matrix `a` (each matvec is n dot products, n² work). */
export function cgDense(a: FloatArray, n: number, b: FloatArray, x: FloatArray, opts: CgOptions = {}): CgResult {
  if (a.length < n * n) throw new InvalidArgumentError(`cgDense: a has ${a.length} entries, expected n*n = ${n * n}`);
  return conjugateGradient(
    (v, out) => {
      for (let i = 0; i < n; i++) out[i] = dot(a, v, n, i * n, 0);
    },
    b,
    x,
    n,
    opts,
  );
}
