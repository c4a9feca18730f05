import type { Artifact } from '../../core/artifact.js';
import type { ParamSpecs } from '../../core/params.js';
import { type AlgorithmEntry, type AnyRecommender, registerAlgorithms } from '../registry.js';
import { Gru4RecModel } from './gru4rec.js';
import { GmfModel, MlpModel, NcfModel } from './ncf.js';
import { SasRecModel } from './sasrec.js';
import { TwoTowerModel } from './two-tower.js';

/** The static side of a neural model class, as the registry needs it. */
interface NeuralClass {
  readonly specs: ParamSpecs;
  new (params?: Record<string, unknown>): object;
  fromArtifact(a: Artifact): object;
}

/**
 * A registry entry for a neural ranking model class. Every class here extends `NeuralModel` (a `BaseModel` and a
 * `Recommender`); the cast to `AnyRecommender` only widens its param type to the registry's untyped params, which
 * `resolveParams` validates at construction.
 */
function entry(name: string, description: string, Ctor: NeuralClass): AlgorithmEntry {
  return {
    name,
    task: 'ranking',
    description,
    specs: Ctor.specs,
    create: (params) => new Ctor(params) as AnyRecommender,
    fromArtifact: (a) => Ctor.fromArtifact(a) as AnyRecommender,
  };
}

registerAlgorithms([
  entry('gmf', 'generalized matrix factorization (He et al. 2017), BCE with sampled negatives', GmfModel),
  entry('mlp', 'NCF multi-layer perceptron tower (He et al. 2017), BCE with sampled negatives', MlpModel),
  entry('neumf', 'NeuMF: GMF + MLP towers (He et al. 2017), optional pre-training, BCE with sampled negatives', NcfModel),
  entry('gru4rec', 'GRU4Rec (Hidasi et al. 2016) trained with full softmax cross-entropy', Gru4RecModel),
  entry('sasrec', 'SASRec self-attentive sequential recommender (Kang & McAuley 2018), full softmax cross-entropy', SasRecModel),
  entry('two-tower', 'two-tower retrieval with hashed item/user features, in-batch negatives (item features via withFeatures)', TwoTowerModel),
]);
