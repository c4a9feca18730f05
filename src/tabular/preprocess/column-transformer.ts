import { NotFittedError, SchemaError } from '../../core/errors.js';
import { type Column, Frame } from '../../data/frame.js';
import { MinMaxScaler, OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler } from './basic.js';
import { TargetEncoder } from './target-encoder.js';
import type { Transformer, TransformerState } from './transformer.js';

/** Rebuilds a fitted transformer from its JSON state. */
export function transformerFromJSON(s: TransformerState): Transformer {
  switch (s.type) {
    case 'SimpleImputer': return SimpleImputer.fromJSON(s);
    case 'StandardScaler': return StandardScaler.fromJSON(s);
    case 'MinMaxScaler': return MinMaxScaler.fromJSON(s);
    case 'OneHotEncoder': return OneHotEncoder.fromJSON(s);
    case 'OrdinalEncoder': return OrdinalEncoder.fromJSON(s);
    case 'TargetEncoder': return TargetEncoder.fromJSON(s);
    case 'ColumnTransformer': return ColumnTransformer.fromJSON(s);
    default: throw new SchemaError(`unknown transformer type "${s.type}" in a saved pipeline`);
  }
}

/** One branch of a ColumnTransformer: a chain of transformers applied to some columns. */
export interface ColumnBranch {
  columns: string[];
  steps: Transformer[];
}

/**
 * Applies each branch's transformers to its columns and concatenates the outputs in branch order; other columns
 * are passed through after them (`remainder: "passthrough"`) or dropped (`"drop"`, the default), like
 * scikit-learn's ColumnTransformer.
 */
export class ColumnTransformer implements Transformer {
  readonly type = 'ColumnTransformer';
  private fitted = false;
  private inputColumns: string[] = [];
  constructor(readonly branches: ColumnBranch[], readonly remainder: 'drop' | 'passthrough' = 'drop') {}

  fit(frame: Frame, y?: Float64Array): this {
    this.fitTransform(frame, y);
    return this;
  }

  fitTransform(frame: Frame, y?: Float64Array): Frame {
    this.inputColumns = frame.names;
    const parts: Column[] = [];
    for (const b of this.branches) {
      let f = frame.select(b.columns);
      for (const s of b.steps) f = s.fitTransform(f, y);
      parts.push(...f.columns);
    }
    this.fitted = true;
    return this.concat(frame, parts);
  }

  transform(frame: Frame): Frame {
    if (!this.fitted) throw new NotFittedError(this.type);
    const parts: Column[] = [];
    for (const b of this.branches) {
      let f = frame.select(b.columns);
      for (const s of b.steps) f = s.transform(f);
      parts.push(...f.columns);
    }
    return this.concat(frame, parts);
  }

  private concat(frame: Frame, parts: Column[]): Frame {
    if (this.remainder === 'passthrough') {
      const used = new Set(this.branches.flatMap((b) => b.columns));
      for (const c of frame.columns) if (!used.has(c.name)) parts.push(c);
    }
    return new Frame(parts);
  }

  toJSON(): TransformerState {
    return { type: this.type, remainder: this.remainder, inputColumns: this.inputColumns, branches: this.branches.map((b) => ({ columns: b.columns, steps: b.steps.map((s) => s.toJSON()) })) };
  }

  static fromJSON(s: TransformerState): ColumnTransformer {
    const branches = (s['branches'] as { columns: string[]; steps: TransformerState[] }[]).map((b) => ({ columns: b.columns, steps: b.steps.map(transformerFromJSON) }));
    const t = new ColumnTransformer(branches, s['remainder'] as 'drop' | 'passthrough');
    t.inputColumns = s['inputColumns'] as string[];
    t.fitted = true;
    return t;
  }
}
