import type { Artifact } from '../../core/artifact.js';
import { type AlgorithmEntry, registerAlgorithms } from '../registry.js';
import { BASELINE_ONLY_SPECS, BaselineOnly } from './baseline-only.js';
import { KNN_SPECS, KNNBaseline, KNNBasic, KNNWithMeans, KNNWithZScore } from './knn.js';
import { CO_CLUSTERING_SPECS, CoClustering } from './co-clustering.js';
import { NMF, NMF_SPECS } from './nmf.js';
import { NORMAL_SPECS, NormalPredictor } from './normal.js';
import { SLOPE_ONE_SPECS, SlopeOne } from './slope-one.js';
import { SVD, SVD_SPECS } from './svd.js';
import { SVDPP_SPECS, SVDpp } from './svdpp.js';

/**
 * Registers the explicit-rating algorithms (task 'rating') under their CLI/HTTP names. Imported once from
 * src/recommenders/index.ts.
 */
export const EXPLICIT_ALGORITHMS: readonly AlgorithmEntry[] = [
  {
    name: 'normal',
    task: 'rating',
    description: 'Random rating from the normal distribution of the training ratings (Surprise NormalPredictor)',
    specs: NORMAL_SPECS,
    create: (p) => new NormalPredictor(p),
    fromArtifact: (a: Artifact) => NormalPredictor.fromArtifact(a),
  },
  {
    name: 'baseline',
    task: 'rating',
    description: 'BaselineOnly: mu + b_u + b_i by ALS or SGD (Surprise BaselineOnly)',
    specs: BASELINE_ONLY_SPECS,
    create: (p) => new BaselineOnly(p),
    fromArtifact: (a: Artifact) => BaselineOnly.fromArtifact(a),
  },
  {
    name: 'svd',
    task: 'rating',
    description: 'Biased (Funk) SVD or PMF by SGD (Surprise SVD)',
    specs: SVD_SPECS,
    create: (p) => new SVD(p),
    fromArtifact: (a) => SVD.fromArtifact(a),
  },
  {
    name: 'svdpp',
    task: 'rating',
    description: 'SVD++ with implicit feedback of the rated items (Surprise SVDpp)',
    specs: SVDPP_SPECS,
    create: (p) => new SVDpp(p),
    fromArtifact: (a) => SVDpp.fromArtifact(a),
  },
  {
    name: 'nmf',
    task: 'rating',
    description: 'Non-negative matrix factorization by multiplicative updates (Surprise NMF)',
    specs: NMF_SPECS,
    create: (p) => new NMF(p),
    fromArtifact: (a) => NMF.fromArtifact(a),
  },
  {
    name: 'knn-basic',
    task: 'rating',
    description: 'Neighbourhood model, weighted mean of neighbours’ ratings (Surprise KNNBasic)',
    specs: KNN_SPECS,
    create: (p) => new KNNBasic(p),
    fromArtifact: (a) => KNNBasic.fromArtifact(a),
  },
  {
    name: 'knn-means',
    task: 'rating',
    description: 'Neighbourhood model on mean-centred ratings (Surprise KNNWithMeans)',
    specs: KNN_SPECS,
    create: (p) => new KNNWithMeans(p),
    fromArtifact: (a) => KNNWithMeans.fromArtifact(a),
  },
  {
    name: 'knn-zscore',
    task: 'rating',
    description: 'Neighbourhood model on z-scored ratings (Surprise KNNWithZScore)',
    specs: KNN_SPECS,
    create: (p) => new KNNWithZScore(p),
    fromArtifact: (a) => KNNWithZScore.fromArtifact(a),
  },
  {
    name: 'knn-baseline',
    task: 'rating',
    description: 'Neighbourhood model on baseline residuals (Surprise KNNBaseline)',
    specs: KNN_SPECS,
    create: (p) => new KNNBaseline(p),
    fromArtifact: (a) => KNNBaseline.fromArtifact(a),
  },
  {
    name: 'slope-one',
    task: 'rating',
    description: 'Slope One item-deviation model (Surprise SlopeOne)',
    specs: SLOPE_ONE_SPECS,
    create: (p) => new SlopeOne(p),
    fromArtifact: (a) => SlopeOne.fromArtifact(a),
  },
  {
    name: 'co-clustering',
    task: 'rating',
    description: 'Co-clustering of users and items (Surprise CoClustering)',
    specs: CO_CLUSTERING_SPECS,
    create: (p) => new CoClustering(p),
    fromArtifact: (a) => CoClustering.fromArtifact(a),
  },
];

registerAlgorithms(EXPLICIT_ALGORITHMS);
