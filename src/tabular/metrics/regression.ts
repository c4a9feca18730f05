import { InvalidArgumentError } from '../../core/errors.js';

/** Regression metrics over typed arrays, O(n). */

function check(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new InvalidArgumentError(`${name}: yTrue has ${a.length} entries but yPred has ${b.length}`);
  if (a.length === 0) throw new InvalidArgumentError(`${name}: empty input`);
}

/** Root mean squared error. */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check('rmse', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    s += d * d;
  }
  return Math.sqrt(s / yTrue.length);
}

/** Mean absolute error. */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check('mae', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/** Mean absolute percentage error as a fraction (0.1 = 10%); |yTrue| is floored at 2.2e-16 as scikit-learn. */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check('mape', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]) / Math.max(Math.abs(yTrue[i]), 2.220446049250313e-16);
  return s / yTrue.length;
}

/** Coefficient of determination 1 - SS_res / SS_tot (1 when perfect; 0 for the mean; 0 if yTrue is constant and fit perfect gives 1). */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check('r2', yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i] - yPred[i]) ** 2;
    tot += (yTrue[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}
