import type { Artifact } from '../../core/artifact.js';
import { ArtifactError } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { Interactions } from '../../data/interactions.js';
import '../implicit/registry.js';
import { getAlgorithm } from '../registry.js';
import type { CatalogState } from './catalog-model.js';

/** CF components the hybrid can blend with content: its internal item-item cosine, or a registered implicit model. */
export const CF_CHOICES = ['item-cosine', 'ease', 'als', 'item-knn', 'user-knn', 'bpr', 'sar'] as const;

/** A registered ranking model that exposes full score vectors (every implicit model does). */
export interface ScoringModel {
  scoreInto(u: number, out: Float32Array): void;
  toArtifact(): Artifact;
}

function asScoring(m: unknown, name: string): ScoringModel {
  if (typeof (m as { scoreInto?: unknown }).scoreInto !== 'function') throw new ArtifactError(`hybrid cf "${name}"`, 'the model has no scoreInto');
  return m as ScoringModel;
}

/**
 * Fits the registered model `name` (its default params; `seed` passed through where it has one) on the same
 * training data as the hybrid's content part, so its user and item indices are the data's.
 */
export async function fitRegisteredCf(name: string, data: Interactions, opts: FitOptions, seed: number): Promise<ScoringModel> {
  const entry = getAlgorithm(name, 'ranking');
  const params: Record<string, unknown> = 'seed' in entry.specs ? { seed } : {};
  if (name === 'sar') params['timeDecay'] = false;
  const m = entry.create(params);
  await m.fit(data, opts);
  return asScoring(m, name);
}

/** Loads the nested CF model saved by `nestCfArtifact`. */
export function loadRegisteredCf(name: string, a: Artifact): ScoringModel {
  const meta = a.meta.state?.['cfModel'];
  if (typeof meta !== 'object' || meta === null) throw new ArtifactError('hybrid artifact', `state lacks the "${name}" CF model`);
  const tensors: Artifact['tensors'] = {};
  for (const [k, v] of Object.entries(a.tensors)) if (k.startsWith('cfm/')) tensors[k.slice(4)] = v;
  return asScoring(getAlgorithm(name, 'ranking').fromArtifact({ meta: meta as Artifact['meta'], tensors }), name);
}

/** Stores the CF model's artifact inside the hybrid's (meta under state.cfModel, tensors prefixed "cfm/"). */
export function nestCfArtifact(into: Artifact, cf: ScoringModel): void {
  const sub = cf.toArtifact();
  into.meta.state = { ...into.meta.state, cfModel: sub.meta };
  for (const [k, v] of Object.entries(sub.tensors)) into.tensors[`cfm/${k}`] = v;
}

/**
 * Scores of training user u from the registered model, on the model's (catalog) item index, min-max scaled to
 * [0, 1] over the items the CF model knows; items it does not know (no interactions) get 0. `buf` has the training
 * data's item count.
 */
export function scoreRegisteredCf(cf: ScoringModel, s: CatalogState, u: number, buf: Float32Array): Float64Array {
  const out = new Float64Array(s.items.size);
  if (s.hist.indptr[u + 1]! === s.hist.indptr[u]!) return out;
  cf.scoreInto(u, buf);
  let lo = Infinity;
  let hi = -Infinity;
  for (let d = 0; d < buf.length; d++) {
    const x = buf[d]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const span = hi > lo ? hi - lo : 1;
  for (let j = 0; j < out.length; j++) {
    const d = s.toData[j]!;
    if (d >= 0) out[j] = (buf[d]! - lo) / span;
  }
  return out;
}
