import { describe, expect, it } from 'vitest';
import { EmptyInputError } from '../core/errors.js';
import { fcp, mae, mse, parseRatingMetrics, rmse } from './rating.js';

describe('rating metrics', () => {
  const actual = [4, 2, 5, 3];
  const est = [3.5, 2.5, 4, 3];
  it('RMSE, MSE, MAE by hand', () => {
    expect(mse(actual, est)).toBeCloseTo((0.25 + 0.25 + 1 + 0) / 4, 12);
    expect(rmse(actual, est)).toBeCloseTo(Math.sqrt(1.5 / 4), 12);
    expect(mae(actual, est)).toBeCloseTo(2 / 4, 12);
  });

  it('FCP averages concordant and discordant counts over users (Surprise definition)', () => {
    // user 0: truths 4,2,5 estimates 3.5,2.5,4 -> all 3 ordered pairs concordant, 0 discordant
    // user 1: truths 1,3 estimates 3,2 -> 1 discordant (est 3 >= 2 with truth 1 < 3)
    const users = Int32Array.from([0, 0, 0, 1, 1]);
    const a = [4, 2, 5, 1, 3];
    const e = [3.5, 2.5, 4, 3, 2];
    const nc = (3 + 0) / 2;
    const nd = (0 + 1) / 2;
    expect(fcp(users, a, e)).toBeCloseTo(nc / (nc + nd), 12);
  });

  it('errors on empty input, mismatched lengths and unknown metric names', () => {
    expect(() => rmse([], [])).toThrow(EmptyInputError);
    expect(() => mae([1], [1, 2])).toThrow(/1 true ratings but 2 estimates/);
    expect(() => parseRatingMetrics(['rmse', 'ndcg'])).toThrow(/unknown rating metric "ndcg"; expected one of: rmse, mae, mse, fcp/);
    expect(parseRatingMetrics(['RMSE', 'fcp'])).toEqual(['rmse', 'fcp']);
  });
});
