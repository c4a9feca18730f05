import { join } from 'node:path';
import type { Artifact } from '../core/artifact.js';
import { loadArtifact } from '../core/artifact.js';
import { ArtifactError, InvalidArgumentError } from '../core/errors.js';
import { type Column, Frame, encodeStrings, numericColumn } from '../data/frame.js';
import { GBDTClassifier } from '../tabular/gbdt/gbdt.js';
import { LogisticRegression } from '../tabular/linear/logistic.js';
import type { TabularInput } from '../tabular/schema.js';
import type { FeatureRow, TabularPredictor, TabularProvider } from './routes/predictions.js';

/** A tabular model as the server uses it (the tabular area's `predictProba` over a Frame). */
interface FrameClassifier {
  predictProba(X: TabularInput): Float64Array;
}

/** Classifiers the predictions route can load, by artifact `algorithm`. */
const CLASSIFIERS: Record<string, (a: Artifact) => FrameClassifier> = {
  gbdt: (a) => GBDTClassifier.fromArtifact(a),
  logistic: (a) => LogisticRegression.fromArtifact(a),
};

/**
 * Rows of named features -> a Frame: a column per feature name seen in any row; a column is categorical when any row
 * holds a string there, numeric otherwise (booleans as 0/1, null or absent as missing).
 */
export function rowsToFrame(rows: readonly FeatureRow[]): Frame {
  const names: string[] = [];
  const isText = new Map<string, boolean>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!isText.has(k)) {
        names.push(k);
        isText.set(k, false);
      }
      if (typeof v === 'string') isText.set(k, true);
    }
  }
  const cols: Column[] = [];
  for (const name of names) {
    if (isText.get(name) === true) {
      cols.push(encodeStrings(name, rows.map((r) => (r[name] === null || r[name] === undefined ? null : String(r[name])))));
    } else {
      const v = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const x = rows[i]![name];
        v[i] = x === null || x === undefined ? NaN : typeof x === 'boolean' ? (x ? 1 : 0) : (x as number);
      }
      cols.push(numericColumn(name, v));
    }
  }
  return new Frame(cols);
}

/**
 * Wraps a tabular classifier for the route: rows become a Frame the model checks against its fit-time schema; the
 * answer is the positive-class probability per row (the models return rows x classes, row-major).
 */
export function predictorFor(model: FrameClassifier): TabularPredictor {
  return {
    predictProba: (rows) => {
      const p = model.predictProba(rowsToFrame(rows));
      if (p.length === rows.length) return p;
      if (p.length !== rows.length * 2) throw new InvalidArgumentError(`a ${p.length / rows.length}-class model: the predictions route serves binary classifiers`);
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = p[2 * i + 1]!;
      return out;
    },
  };
}

/**
 * Tabular models by name from `MODELS_DIR/tabular/NAME/` (an artifact folder written by `saveArtifact`, e.g. by
 * `reckon tabular train`), loaded on first use and kept. Unknown names resolve to undefined (-> 404).
 */
export function tabularFromDir(modelsDir: string): TabularProvider {
  const loaded = new Map<string, TabularPredictor>();
  return async (name) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name.startsWith('.')) return undefined;
    const hit = loaded.get(name);
    if (hit !== undefined) return hit;
    let a: Artifact;
    try {
      a = await loadArtifact(join(modelsDir, 'tabular', name));
    } catch (e) {
      if (e instanceof ArtifactError && /no model\.json/.test(e.message)) return undefined;
      throw e;
    }
    const make = CLASSIFIERS[a.meta.algorithm];
    if (make === undefined) throw new InvalidArgumentError(`tabular model "${name}" is a ${a.meta.algorithm}; predictions serve: ${Object.keys(CLASSIFIERS).join(', ')}`);
    const p = predictorFor(make(a));
    loaded.set(name, p);
    return p;
  };
}
