export { COMMON_SPECS, NeuralModel, type EmbeddingMatrix } from './base.js';
export { Gru4RecModel } from './gru4rec.js';
export { SasRecModel } from './sasrec.js';
export type { EpochRecord } from './train-loop.js';
export { GmfModel, MlpModel, NcfModel } from './ncf.js';
export { TwoTowerModel } from './two-tower.js';
export { type SideFeatures, hashFeatures } from './features.js';
