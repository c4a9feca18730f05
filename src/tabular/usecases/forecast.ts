import { GBDTRegressor } from '../gbdt/gbdt.js';
import { fromColumns } from '../matrix.js';
import { mape, rmse } from '../metrics/index.js';
import { timeSeriesSplit } from '../selection/splits.js';

/**
 * Supervised rows from a monthly series for one-step-ahead forecasting of the seasonal log ratio
 * r_t = log y_t - log y_{t-12}: features are lags 1, 2, 3, 12 of r, the 3- and 12-month rolling means of r up to
 * t-1, and the month of year. GBDT cannot extrapolate a trend, so it models r and the forecast is y_{t-12} e^r.
 * Rows start at t = 25 (every lag defined).
 */
export function lagFeatures(y: Float64Array, period = 12): { X: ReturnType<typeof fromColumns>; target: Float64Array; t: Int32Array; names: string[] } {
  const n = y.length;
  const r = new Float64Array(n).fill(NaN);
  for (let t = period; t < n; t++) r[t] = Math.log(y[t]) - Math.log(y[t - period]);
  const start = 2 * period + 1;
  const rows = Math.max(0, n - start);
  const cols = Array.from({ length: 7 }, () => new Float64Array(rows));
  const target = new Float64Array(rows);
  const ts = new Int32Array(rows);
  for (let k = 0; k < rows; k++) {
    const t = start + k;
    cols[0][k] = r[t - 1];
    cols[1][k] = r[t - 2];
    cols[2][k] = r[t - 3];
    cols[3][k] = r[t - period];
    let s3 = 0;
    for (let q = 1; q <= 3; q++) s3 += r[t - q];
    let s12 = 0;
    for (let q = 1; q <= period; q++) s12 += r[t - q];
    cols[4][k] = s3 / 3;
    cols[5][k] = s12 / period;
    cols[6][k] = t % period;
    target[k] = r[t];
    ts[k] = t;
  }
  return { X: fromColumns(cols), target, t: ts, names: ['lag1', 'lag2', 'lag3', 'lag12', 'roll3', 'roll12', 'month'] };
}

/** Mean errors over TimeSeriesSplit folds for GBDT and for the seasonal-naive forecast y_{t-12}. */
export interface ForecastReport {
  folds: number;
  gbdt: { mape: number; rmse: number };
  seasonalNaive: { mape: number; rmse: number };
}

/** Compares GBDT on lag/rolling features with the seasonal-naive baseline under expanding-window TimeSeriesSplit. */
export async function forecastReport(y: Float64Array, opts: { folds?: number; testSize?: number; period?: number; seed?: number } = {}): Promise<ForecastReport> {
  const period = opts.period ?? 12;
  const { X, target, t } = lagFeatures(y, period);
  const splits = timeSeriesSplit(X.rows, opts.folds ?? 4, { testSize: opts.testSize ?? 12 });
  const g = { mape: 0, rmse: 0 };
  const s = { mape: 0, rmse: 0 };
  for (const sp of splits) {
    const take = (idx: Int32Array) => ({ data: Float64Array.from({ length: idx.length * X.cols }, (_, q) => X.data[idx[Math.floor(q / X.cols)] * X.cols + (q % X.cols)]), rows: idx.length, cols: X.cols });
    const model = new GBDTRegressor({ nEstimators: 200, learningRate: 0.05, maxDepth: 3, minChildWeight: 2, threads: 1, seed: opts.seed ?? 0 });
    await model.fit(take(sp.train), Float64Array.from(sp.train, (i) => target[i]));
    const pr = model.predict(take(sp.test));
    const actual = Float64Array.from(sp.test, (i) => y[t[i]]);
    const fc = Float64Array.from(sp.test, (i, k) => y[t[i] - period] * Math.exp(pr[k]));
    const naive = Float64Array.from(sp.test, (i) => y[t[i] - period]);
    g.mape += mape(actual, fc) / splits.length;
    g.rmse += rmse(actual, fc) / splits.length;
    s.mape += mape(actual, naive) / splits.length;
    s.rmse += rmse(actual, naive) / splits.length;
  }
  return { folds: splits.length, gbdt: g, seasonalNaive: s };
}
