import { describe } from 'vitest';
import './registry.js';
import { explicitConformance } from './test-support/conformance.js';

// Every explicit model joins the conformance suite with one line (small epochs keep the suite fast).
describe('explicit conformance', () => {
  explicitConformance('normal');
  explicitConformance('baseline');
  explicitConformance('baseline', { method: 'sgd' });
  explicitConformance('svd', { epochs: 5, factors: 8 });
  explicitConformance('svd', { epochs: 5, factors: 8, biased: false });
  explicitConformance('svd', { epochs: 5, factors: 8, engine: 'js' });
  explicitConformance('svdpp', { epochs: 5, factors: 8 });
  explicitConformance('nmf', { epochs: 10, factors: 5 });
  explicitConformance('nmf', { epochs: 10, factors: 5, biased: true });
  explicitConformance('knn-basic');
  explicitConformance('knn-means', { similarity: 'pearson', userBased: false });
  explicitConformance('knn-zscore', { similarity: 'cosine' });
  explicitConformance('knn-baseline', { similarity: 'pearson_baseline', userBased: false });
  explicitConformance('slope-one');
  explicitConformance('co-clustering');
});
