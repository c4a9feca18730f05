/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal & Wright, Numerical Optimization, alg. 7.4-7.5) with a backtracking
 * line search on the Armijo condition, and FISTA (Beck & Teboulle 2009) with backtracking and adaptive restart
 * for objectives with an L1 term. Both minimise a smooth f given by `fg(x, grad) -> f(x)` that writes the gradient.
 */

/** Smooth objective: returns f(x) and writes the gradient into `grad`. */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
}

/** Called after each accepted iteration with the objective there (a learning curve; no work when absent). */
export type IterationFn = (f: number) => void;

/** Minimises `fg` from `x0` with L-BFGS (memory `m`) until the gradient's max-norm falls under `tol`. */
export function lbfgs(fg: ObjectiveFn, x0: Float64Array, opts: { maxIter: number; tol: number; m?: number; onIteration?: IterationFn }): MinimizeResult {
  const n = x0.length;
  const m = opts.m ?? 10;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let stored = 0;
  let head = 0;
  let it = 0;
  let converged = maxAbs(g) <= opts.tol;
  while (!converged && it < opts.maxIter) {
    it++;
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      let a = 0;
      for (let i = 0; i < n; i++) a += S[j * n + i] * d[i];
      a *= rho[j];
      alpha[j] = a;
      for (let i = 0; i < n; i++) d[i] -= a * Y[j * n + i];
    }
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      let yy = 0;
      let sy = 0;
      for (let i = 0; i < n; i++) {
        yy += Y[j * n + i] * Y[j * n + i];
        sy += S[j * n + i] * Y[j * n + i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      const sc = gn > 1 ? 1 / gn : 1;
      for (let i = 0; i < n; i++) d[i] *= sc;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[j * n + i] * d[i];
      b *= rho[j];
      const c = alpha[j] - b;
      for (let i = 0; i < n; i++) d[i] += c * S[j * n + i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = 0;
    let ok = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) break;
    const j = head;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const s = xNew[i] - x[i];
      const yv = gNew[i] - g[i];
      S[j * n + i] = s;
      Y[j * n + i] = yv;
      sy += s * yv;
    }
    if (sy > 1e-12) {
      rho[j] = 1 / sy;
      head = (head + 1) % m;
      if (stored < m) stored++;
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    opts.onIteration?.(f);
    if (maxAbs(g) <= opts.tol) converged = true;
    else if (Math.abs(fOld - f) <= 1e-15 * Math.max(1, Math.abs(f))) converged = true;
  }
  return { x, f, iterations: it, converged };
}

/**
 * Minimises f(x) + sum_i l1[i] * |x_i| with FISTA: a gradient step on f with step 1/L (L found by backtracking),
 * then soft-thresholding; momentum restarts when the objective rises. Stops when the step's max-norm < tol.
 */
export function fista(fg: ObjectiveFn, x0: Float64Array, l1: Float64Array, opts: { maxIter: number; tol: number; onIteration?: IterationFn }): MinimizeResult {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let xPrev = Float64Array.from(x0);
  const yv = Float64Array.from(x0);
  const g = new Float64Array(n);
  const gTmp = new Float64Array(n);
  const xNew = new Float64Array(n);
  let L = 1;
  let t = 1;
  let it = 0;
  let converged = false;
  let fObj = fg(x, gTmp) + l1Norm(x, l1);
  while (it < opts.maxIter) {
    it++;
    const fy = fg(yv, g);
    let fNew = 0;
    for (let ls = 0; ls < 60; ls++) {
      const step = 1 / L;
      for (let i = 0; i < n; i++) {
        const z = yv[i] - step * g[i];
        const th = step * l1[i];
        xNew[i] = z > th ? z - th : z < -th ? z + th : 0;
      }
      fNew = fg(xNew, gTmp);
      // Sufficient decrease of the quadratic upper bound.
      let q = fy;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const dd = xNew[i] - yv[i];
        q += g[i] * dd;
        sq += dd * dd;
      }
      q += (L / 2) * sq;
      if (fNew <= q + 1e-12 * Math.abs(q)) break;
      L *= 2;
    }
    const objNew = fNew + l1Norm(xNew, l1);
    let delta = 0;
    for (let i = 0; i < n; i++) delta = Math.max(delta, Math.abs(xNew[i] - x[i]));
    const tNext = objNew > fObj ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const mom = objNew > fObj ? 0 : (t - 1) / tNext;
    xPrev = x;
    x = Float64Array.from(xNew);
    for (let i = 0; i < n; i++) yv[i] = x[i] + mom * (x[i] - xPrev[i]);
    t = tNext;
    fObj = objNew;
    opts.onIteration?.(fObj);
    L *= 0.9;
    if (delta <= opts.tol) {
      converged = true;
      break;
    }
  }
  return { x, f: fObj, iterations: it, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}

function l1Norm(x: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i] * Math.abs(x[i]);
  return s;
}
