import type { Artifact } from '../../core/artifact.js';
import type { ParamsOf, ParamSpecs } from '../../core/params.js';
import { type AlgorithmEntry, registerAlgorithms } from '../registry.js';
import { AlsModel } from './als.js';
import { BprModel } from './bpr.js';
import { EaseModel } from './ease.js';
import { ItemKnnModel } from './item-knn.js';
import { PopularityModel, TrendingModel } from './popularity.js';
import { SarModel } from './sar.js';
import { UserKnnModel } from './user-knn.js';

/** A registry entry for a ranking model class with static `specs` and `fromArtifact`. */
function entry<S extends ParamSpecs>(
  name: string,
  description: string,
  Ctor: { new (p?: Partial<ParamsOf<S>>): AlgorithmEntry['create'] extends (...a: never[]) => infer R ? R : never; specs: S; fromArtifact(a: Artifact): unknown },
): AlgorithmEntry {
  return {
    name,
    task: 'ranking',
    description,
    specs: Ctor.specs,
    create: (params) => new Ctor(params as Partial<ParamsOf<S>>),
    fromArtifact: (a) => Ctor.fromArtifact(a) as ReturnType<AlgorithmEntry['fromArtifact']>,
  };
}

registerAlgorithms([
  entry('als', 'implicit-feedback ALS (Hu, Koren & Volinsky 2008) with a conjugate-gradient solver', AlsModel),
  entry('bpr', 'Bayesian personalised ranking (Rendle et al. 2009), SGD with uniform negatives, DSGD-parallel', BprModel),
  entry('ease', 'EASE closed-form item-item autoencoder (Steck 2019)', EaseModel),
  entry('item-knn', 'item-based nearest neighbours (cosine, Jaccard, asymmetric cosine, BM25/TF-IDF)', ItemKnnModel),
  entry('user-knn', 'user-based nearest neighbours (cosine or Jaccard)', UserKnnModel),
  entry('sar', 'SAR: co-occurrence similarity (Jaccard/lift) with time-decayed user affinity', SarModel),
  entry('popular', 'most popular items (non-personalised baseline)', PopularityModel),
  entry('trending', 'time-decayed popularity', TrendingModel),
]);
