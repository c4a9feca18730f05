import type { Artifact } from '../../core/artifact.js';
import { registerAlgorithms } from '../registry.js';
import { CONTENT_SPECS, ContentRecommender, type ContentParams } from './content.js';

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
]);
