import type { Artifact } from './artifact.js';
import { NotFittedError } from './errors.js';
import { type ParamSpecs, type ParamsOf, resolveParams } from './params.js';
import type { RunOptions } from './progress.js';

/**
 * The one model contract (after scikit-learn's estimator): the constructor only stores validated, frozen params;
 * `fit` returns the model; learned state exists only after `fit`; params are introspectable so search, the CLI, the
 * HTTP API and artifacts share them.
 */

/** Options for `fit`: seed, cancellation and progress. */
export type FitOptions = RunOptions;

/** A ranked result with its raw id, score and an optional human explanation. */
export interface Scored {
  id: string;
  score: number;
  reason?: string;
}

/** Why a prediction fell back to a simpler estimate. */
export type FallbackReason = 'unknown-user' | 'unknown-item' | 'unknown-user-and-item' | 'not-enough-neighbours' | 'impossible';

/** A rating prediction: clipped estimate, whether the model knew both ids, and the fallback taken if any. */
export interface RatingPrediction {
  user: string;
  item: string;
  estimate: number;
  known: boolean;
  fallback?: FallbackReason;
}

export interface RecommendOptions {
  /** Leave out items the user interacted with in training (default true). */
  excludeSeen?: boolean;
  /** Rank only these item ids. */
  candidates?: readonly string[];
}

export interface RatingPredictor {
  predict(user: string, item: string): RatingPrediction;
}

export interface Recommender {
  recommend(user: string, k: number, opts?: RecommendOptions): Scored[];
  similarItems?(item: string, k: number): Scored[];
}

/** Common base: params storage, `getParams`/`withParams`, fitted-state guard, artifact hook. */
export abstract class BaseModel<S extends ParamSpecs> {
  /** Registered algorithm name (e.g. "svd"); also the artifact's `algorithm`. */
  abstract readonly algorithm: string;
  readonly params: Readonly<ParamsOf<S>>;
  protected fitted = false;

  protected constructor(
    protected readonly specs: S,
    owner: string,
    params: Partial<ParamsOf<S>> | undefined,
  ) {
    this.params = resolveParams(owner, specs, params);
  }

  /** A copy of the params. */
  getParams(): ParamsOf<S> {
    return { ...this.params };
  }

  /** A new, unfitted model of the same class with `patch` applied to these params. */
  withParams(patch: Partial<ParamsOf<S>>): this {
    const Ctor = this.constructor as new (p: Partial<ParamsOf<S>>) => this;
    return new Ctor({ ...this.params, ...patch });
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  /** Throws NotFittedError unless `fit` (or `fromArtifact`) has run. */
  protected requireFitted(): void {
    if (!this.fitted) throw new NotFittedError(this.algorithm);
  }

  abstract fit(data: unknown, opts?: FitOptions): Promise<this>;
  abstract toArtifact(): Artifact;
}
