import { SchemaError } from '../core/errors.js';
import type { Frame } from '../data/frame.js';
import type { TabularTask } from './base.js';
import { coerceNumericColumns } from './preprocess/coerce.js';

/** A frame split into features and target, with the task and (for classification) the class labels. */
export interface TabularData {
  X: Frame;
  y: Float64Array;
  task: TabularTask;
  target: string;
  /** Class labels by class value (value = index) for classification; empty for regression. */
  labels: string[];
  /** Columns dropped as identifiers (one distinct string per row). */
  dropped: string[];
}

/**
 * Splits `frame` into features and target for a tabular task. The target must exist and have no missing values
 * (errors name the column and row). A string target is classification (labels sorted; value = label index); a
 * numeric one is classification when it has two distinct values (or `task` says so), else regression. String
 * columns holding numbers are coerced (blank = missing); id-like string columns (all values distinct) and
 * `drop` are left out.
 */
export function prepareTabular(frame: Frame, target: string, opts: { task?: TabularTask; drop?: readonly string[] } = {}): TabularData {
  if (!frame.has(target)) throw new SchemaError(`target column "${target}" does not exist; columns are: ${frame.names.join(', ')}`, { column: target });
  for (const d of opts.drop ?? []) frame.column(d);
  const t = frame.column(target);
  const n = frame.nRows;
  const y = new Float64Array(n);
  let labels: string[] = [];
  let task: TabularTask;
  if (t.kind === 'categorical') {
    labels = [...t.dictionary].sort();
    const map = new Int32Array(t.dictionary.length);
    for (let j = 0; j < t.dictionary.length; j++) map[j] = labels.indexOf(t.dictionary[j]);
    for (let i = 0; i < n; i++) {
      if (t.codes[i] < 0 || t.dictionary[t.codes[i]].trim() === '') throw new SchemaError(`target column "${target}" is missing at row ${i + 1}`, { column: target, row: i });
      y[i] = map[t.codes[i]];
    }
    task = opts.task ?? 'classification';
    if (task === 'regression') throw new SchemaError(`target column "${target}" holds strings; regression needs a numeric target`, { column: target });
    const used = new Set(y);
    if (used.size < 2) throw new SchemaError(`target column "${target}" has a single class (${JSON.stringify(labels[y[0]])}); a classifier needs at least two`, { column: target });
  } else {
    const distinct = new Set<number>();
    for (let i = 0; i < n; i++) {
      const v = t.values[i];
      if (!Number.isFinite(v)) throw new SchemaError(`target column "${target}" is missing or not a number at row ${i + 1}`, { column: target, row: i });
      y[i] = v;
      if (distinct.size <= 2) distinct.add(v);
    }
    task = opts.task ?? (distinct.size <= 2 ? 'classification' : 'regression');
    if (task === 'classification') {
      if (distinct.size < 2) throw new SchemaError(`target column "${target}" has a single class (${[...distinct][0]}); a classifier needs at least two`, { column: target });
      labels = [...new Set(y)].sort((a, b) => a - b).map(String);
      const vals = labels.map(Number);
      for (let i = 0; i < n; i++) y[i] = vals.indexOf(y[i]);
    }
  }
  let X = coerceNumericColumns(frame.drop([target, ...(opts.drop ?? [])]));
  const dropped: string[] = [...(opts.drop ?? [])];
  for (const c of X.columns) {
    if (c.kind === 'categorical' && n > 20 && c.dictionary.length === n) dropped.push(c.name);
  }
  const auto = dropped.filter((d) => !(opts.drop ?? []).includes(d));
  if (auto.length > 0) X = X.drop(auto);
  if (X.nCols === 0) throw new SchemaError(`no feature columns left besides the target "${target}"`);
  return { X, y, task, target, labels, dropped };
}
