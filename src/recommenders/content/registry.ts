import type { Artifact } from '../../core/artifact.js';
import { registerAlgorithms } from '../registry.js';
import { CONTENT_SPECS, ContentRecommender, type ContentParams } from './content.js';
import { HYBRID_SPECS, HybridRecommender, type HybridParams } from './hybrid.js';
import { LIGHTFM_SPECS, LightFMRecommender, type LightFMParams } from './lightfm.js';

/**
 * Registers the models that use item metadata. Each needs `setItemFeatures(catalog)` before `fit`
 * (see `isItemFeatureAware`); the CLI supplies the catalog from `--items FILE` (see docs/content.md).
 */
registerAlgorithms([
  {
    name: 'content',
    task: 'ranking',
    description: 'Content-based: TF-IDF/attribute item profiles, user profile = weighted, time-decayed sum; explanations',
    specs: CONTENT_SPECS,
    create: (params?: Record<string, unknown>) => new ContentRecommender(params as Partial<ContentParams>),
    fromArtifact: (a: Artifact) => ContentRecommender.fromArtifact(a),
  },
  {
    name: 'hybrid',
    task: 'ranking',
    description: 'Hybrid of item-item CF and content: weighted blend (weight tuned on validation) or switching',
    specs: HYBRID_SPECS,
    create: (params?: Record<string, unknown>) => new HybridRecommender(params as Partial<HybridParams>),
    fromArtifact: (a: Artifact) => HybridRecommender.fromArtifact(a),
  },
  {
    name: 'lightfm',
    task: 'ranking',
    description: 'LightFM-style factorisation with item metadata features (WARP or BPR); new items recommendable',
    specs: LIGHTFM_SPECS,
    create: (params?: Record<string, unknown>) => new LightFMRecommender(params as Partial<LightFMParams>),
    fromArtifact: (a: Artifact) => LightFMRecommender.fromArtifact(a),
  },
]);
