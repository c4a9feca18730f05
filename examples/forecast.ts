/**
 * Demand forecasting on AirPassengers: GBDT on lag and rolling features of the seasonal log ratio vs the
 * seasonal-naive forecast, under an expanding-window TimeSeriesSplit (4 folds of 12 months).
 * Run: npx tsx examples/forecast.ts
 */
import { join } from 'node:path';
import { readTable } from '../src/data/read.js';
import { forecastReport } from '../src/tabular/usecases/forecast.js';
import { dataDir } from './tabular-common.js';

const frame = await readTable(join(dataDir(), 'forecast', 'AirPassengers.csv'));
const y = Float64Array.from(frame.numeric('value').values);
const r = await forecastReport(y, { folds: 4, testSize: 12 });
console.log(`${y.length} months, ${r.folds} folds of 12 months`);
console.log(`GBDT           MAPE ${(100 * r.gbdt.mape).toFixed(2)}%  RMSE ${r.gbdt.rmse.toFixed(2)}`);
console.log(`seasonal naive MAPE ${(100 * r.seasonalNaive.mape).toFixed(2)}%  RMSE ${r.seasonalNaive.rmse.toFixed(2)}`);
