import type { Command } from 'commander';
import { registerBoughtTogether } from './bought-together.js';
import { registerDemo } from './demo.js';
import { registerData } from './data.js';
import { registerEvaluate } from './evaluate.js';
import { registerRankingEvaluation } from './evaluate-ranking.js';
import { registerRecommend } from './recommend.js';
import { registerTrain } from './train.js';
import { registerTune } from './tune.js';
import { registerSimilar } from './similar.js';
import { registerServe } from './serve.js';
import { registerReport } from './report.js';
import { registerCompletion } from './completion.js';
import { addExamples } from '../help.js';
import { registerTabular } from './tabular.js';
import { registerPipeline } from './pipeline.js';
import { registerWorker } from './worker.js';

/**
 * Every command module registers itself here: one line each, so parallel work touches one line per command.
 * Keep the order: it is the order of `reckon --help`.
 */
export function registerCommands(program: Command): void {
  registerDemo(program);
  registerData(program);
  registerEvaluate(program);
  registerRankingEvaluation();
  registerTune(program);
  registerTrain(program);
  registerRecommend(program);
  registerBoughtTogether(program);
  registerSimilar(program);
  registerServe(program);
  registerReport(program);
  registerCompletion(program);
  registerTabular(program);
  registerPipeline(program);
  registerWorker(program);
  addExamples(program);
}
