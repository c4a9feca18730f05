/** Reports: pure functions from evaluation results to one self-contained HTML page with inline SVG charts. */
export * from './charts.js';
export * from './curves.js';
export * from './html.js';
export * from './sections.js';
export * from './rating-report.js';
export * from './ranking-report.js';
export * from './tabular-report.js';
