import type { Frame } from '../../data/frame.js';

/** JSON state of a fitted transformer: its `type` plus whatever it learned (small: means, dictionaries...). */
export interface TransformerState {
  type: string;
  [key: string]: unknown;
}

/**
 * A Frame -> Frame preprocessing step (scikit-learn's transformer contract): `fit` learns from the training frame
 * (and target, for target encoding), `transform` applies what was learned; both leave the input untouched.
 * `columns` restricts the step to some columns (default: every column it applies to).
 */
export interface Transformer {
  readonly type: string;
  fit(frame: Frame, y?: Float64Array): this;
  transform(frame: Frame): Frame;
  /** fit then transform; target encoding overrides it to encode training rows out of fold. */
  fitTransform(frame: Frame, y?: Float64Array): Frame;
  toJSON(): TransformerState;
}
