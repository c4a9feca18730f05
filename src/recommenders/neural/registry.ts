import type { Artifact } from '../../core/artifact.js';
import type { ParamSpecs } from '../../core/params.js';
import { type AlgorithmEntry, type AnyRecommender, registerAlgorithms } from '../registry.js';
import { Gru4RecModel } from './gru4rec.js';
import { GmfModel, MlpModel, NcfModel } from './ncf.js';
import { SasRecModel } from './sasrec.js';
import { TwoTowerModel } from './two-tower.js';

/** A registry entry for a neural ranking model class. */
function entry(
  name: string,
  description: string,
  Ctor: { new (p?: Record<string, unknown>): AnyRecommender; specs: ParamSpecs; fromArtifact(a: Artifact): AnyRecommender },
): AlgorithmEntry {
  return { name, task: 'ranking', description, specs: Ctor.specs, create: (params) => new Ctor(params), fromArtifact: (a) => Ctor.fromArtifact(a) };
}

registerAlgorithms([
  entry('gmf', 'generalized matrix factorization (He et al. 2017), BCE with sampled negatives', GmfModel as never),
  entry('mlp', 'NCF multi-layer perceptron tower (He et al. 2017), BCE with sampled negatives', MlpModel as never),
  entry('neumf', 'NeuMF: GMF + MLP towers (He et al. 2017), optional pre-training, BCE with sampled negatives', NcfModel as never),
  entry('gru4rec', 'GRU4Rec (Hidasi et al. 2016) trained with full softmax cross-entropy', Gru4RecModel as never),
  entry('two-tower', 'two-tower retrieval with hashed item/user features, in-batch negatives (item features via withFeatures)', TwoTowerModel as never),
  entry('sasrec', 'SASRec self-attentive sequential recommender (Kang & McAuley 2018), full softmax cross-entropy', SasRecModel as never),
]);
