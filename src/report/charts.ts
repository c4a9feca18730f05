import { createRequire } from 'node:module';

/** The part of the ECharts API used here (its bundled typings do not resolve under NodeNext, so it is declared). */
interface EChartsApi {
  init(dom: null, theme: null, opts: { renderer: 'svg'; ssr: true; width: number; height: number }): {
    setOption(option: ChartOption): void;
    renderToSVGString(): string;
    dispose(): void;
  };
}

/** An ECharts option object (see https://echarts.apache.org/en/option.html). */
export type ChartOption = Record<string, unknown>;

const echarts = createRequire(import.meta.url)('echarts') as EChartsApi;

/** Size of a rendered chart in CSS pixels. */
export interface ChartSize {
  width?: number;
  height?: number;
}

/** One named series of (x, y) points. */
export interface XYSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Dashed line (e.g. a reference diagonal). */
  dashed?: boolean;
}

const PALETTE = ['#3b6fb6', '#e07b39', '#4c9a5a', '#c44e52', '#8172b2', '#937860', '#da8bc3', '#8c8c8c'];

/**
 * Renders an ECharts option to an SVG string on the server (no DOM, no network): the SVG renderer in SSR mode.
 * Animation is forced off so the string is the final picture.
 */
export function renderChart(option: ChartOption, size: ChartSize = {}): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width ?? 640, height: size.height ?? 320 });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const title = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 14, fontWeight: 600 } });

/**
 * Grouped bars: one group per category, one bar per series (e.g. metrics x folds, or metrics x models).
 * `values[s][c]` is series s at category c.
 */
export function barChart(
  chartTitle: string,
  categories: readonly string[],
  series: readonly { name: string; values: readonly number[] }[],
  size: ChartSize & { yName?: string } = {},
): string {
  return renderChart(
    {
      title: title(chartTitle),
      legend: series.length > 1 ? { bottom: 0, type: 'scroll' } : undefined,
      grid: { left: 60, right: 20, top: 40, bottom: series.length > 1 ? 60 : 40 },
      xAxis: { type: 'category', data: [...categories], axisLabel: { interval: 0, rotate: categories.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', name: size.yName ?? '', scale: false },
      // Value labels on top of each bar while they fit, so close scores (RMSE 0.946 vs 0.947) stay readable.
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values.map((v) => round(v)),
        label: { show: categories.length * series.length <= 16, position: 'top', fontSize: 10, formatter: (p: { value: number }) => formatLabel(p.value) },
      })),
    },
    size,
  );
}

/** Horizontal bars sorted as given (e.g. feature importances, top first). */
export function horizontalBarChart(chartTitle: string, labels: readonly string[], values: readonly number[], size: ChartSize = {}): string {
  const n = labels.length;
  // Room for the longest label (about 7 px per character at the axis font), within 80-300 px; longer ones are cut.
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  const left = Math.min(300, Math.max(80, 7 * longest + 16));
  return renderChart(
    {
      title: title(chartTitle),
      grid: { left, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: [...labels].reverse(), axisLabel: { width: left - 12, overflow: 'truncate' } },
      series: [{ type: 'bar', data: [...values].reverse().map((v) => round(v)) }],
    },
    { width: size.width ?? 500 + left, height: size.height ?? Math.max(200, 60 + n * 22) },
  );
}

/** Line chart of (x, y) series on numeric axes (ROC, PR, calibration, learning curves). */
export function lineChart(chartTitle: string, series: readonly XYSeries[], size: ChartSize & { xName?: string; yName?: string; unitSquare?: boolean } = {}): string {
  const square = size.unitSquare === true;
  return renderChart(
    {
      title: title(chartTitle),
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 60, right: 30, top: 40, bottom: 70 },
      xAxis: { type: 'value', name: size.xName ?? '', nameLocation: 'middle', nameGap: 26, ...(square ? { min: 0, max: 1 } : { scale: true }) },
      yAxis: { type: 'value', name: size.yName ?? '', ...(square ? { min: 0, max: 1 } : { scale: true }) },
      series: series.map((s) => ({
        type: 'line',
        name: s.name,
        showSymbol: s.x.length <= 30,
        data: xyPairs(s.x, s.y),
        lineStyle: s.dashed === true ? { type: 'dashed', width: 1 } : { width: 2 },
      })),
    },
    { width: size.width ?? (square ? 420 : 640), height: size.height ?? (square ? 400 : 320) },
  );
}

/** Heat map of a matrix with its counts written in the cells (confusion matrices). Rows are true labels. */
export function heatmapChart(chartTitle: string, rowLabels: readonly string[], colLabels: readonly string[], counts: ArrayLike<number>, size: ChartSize = {}): string {
  const data: [number, number, number][] = [];
  let max = 0;
  for (let r = 0; r < rowLabels.length; r++) {
    for (let c = 0; c < colLabels.length; c++) {
      const v = counts[r * colLabels.length + c] ?? 0;
      if (v > max) max = v;
      data.push([c, rowLabels.length - 1 - r, v]);
    }
  }
  return renderChart(
    {
      title: title(chartTitle),
      grid: { left: 80, right: 30, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: [...colLabels], name: 'predicted', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'category', data: [...rowLabels].reverse(), name: 'true', nameLocation: 'middle', nameGap: 50 },
      visualMap: { min: 0, max: Math.max(1, max), show: false, inRange: { color: ['#f4f7fb', '#3b6fb6'] } },
      series: [{ type: 'heatmap', data, label: { show: true } }],
    },
    { width: size.width ?? 420, height: size.height ?? 380 },
  );
}

function xyPairs(x: ArrayLike<number>, y: ArrayLike<number>): [number, number][] {
  const n = Math.min(x.length, y.length);
  const out: [number, number][] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [round(x[i]!), round(y[i]!)];
  return out;
}

/** Bar labels: 4 significant digits. */
function formatLabel(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(4)));
}

/** Six significant digits: smaller SVGs, no visible change. */
function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}
