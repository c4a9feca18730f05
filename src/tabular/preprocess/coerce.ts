import { SchemaError } from '../../core/errors.js';
import { type Column, Frame, numericColumn } from '../../data/frame.js';

/**
 * Turns string columns that hold numbers into numeric columns: blank (whitespace-only) and missing cells become
 * NaN (Telco's TotalCharges " "). A column where at least `threshold` (default 0.9) of the non-blank rows are
 * numbers but some are not is taken as a numeric column with bad values: a SchemaError naming the column, the
 * first offending value and its row. Other string columns stay categorical. `except` names columns left alone
 * (the target, ids).
 */
export function coerceNumericColumns(frame: Frame, opts: { threshold?: number; except?: readonly string[] } = {}): Frame {
  const threshold = opts.threshold ?? 0.9;
  const except = new Set(opts.except ?? []);
  const cols: Column[] = [];
  for (const c of frame.columns) {
    if (c.kind !== 'categorical' || except.has(c.name)) {
      cols.push(c);
      continue;
    }
    const parsed = new Float64Array(c.dictionary.length);
    const blank = new Uint8Array(c.dictionary.length);
    for (let j = 0; j < c.dictionary.length; j++) {
      const t = c.dictionary[j].trim();
      if (t === '') {
        blank[j] = 1;
        parsed[j] = NaN;
      } else parsed[j] = Number(t);
    }
    let numeric = 0;
    let nonBlank = 0;
    let firstBad = -1;
    for (let i = 0; i < c.codes.length; i++) {
      const code = c.codes[i];
      if (code < 0 || blank[code]) continue;
      nonBlank++;
      if (Number.isFinite(parsed[code])) numeric++;
      else if (firstBad < 0) firstBad = i;
    }
    if (nonBlank === 0 || numeric === 0) {
      cols.push(c);
      continue;
    }
    if (numeric < nonBlank) {
      if (numeric / nonBlank >= threshold) {
        const v = c.dictionary[c.codes[firstBad]];
        throw new SchemaError(`column "${c.name}" is numeric but holds the string ${JSON.stringify(v)} at row ${firstBad + 1} (${nonBlank - numeric} non-numeric value(s)); clean or drop it`, { column: c.name, value: v, row: firstBad });
      }
      cols.push(c);
      continue;
    }
    const v = new Float64Array(c.codes.length);
    for (let i = 0; i < v.length; i++) v[i] = c.codes[i] < 0 ? NaN : parsed[c.codes[i]];
    cols.push(numericColumn(c.name, v));
  }
  return new Frame(cols);
}
