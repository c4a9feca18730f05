export type { Dag, TaskContext, TaskSpec } from './dag.js';
export { topoOrder, backoffDelay } from './dag.js';
export { type RunOptions as PipelineRunOptions, type RunResult as PipelineRunResult, runPipeline, taskInputHash } from './runner.js';
export { type Cron, parseCron, nextCronTime, schedule } from './cron.js';
export { backfill, daysBetween, parseDay } from './backfill.js';
export { hashOf, stableJson } from './hash.js';
export { type Candidate, type GateDecision, type RetrainEnv, type RetrainParams, retrainDag } from './retrain.js';
