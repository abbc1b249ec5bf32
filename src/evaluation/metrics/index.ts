export { type Calibration, type CalibrationInput, calibration, topLabel } from './calibration.js';
export { type ChrfOptions, type ChrfStatistics, chrf, chrfFromStatistics, chrfStatistics } from './chrf.js';
export { type ClassificationScoreOptions, scoreClassification } from './classification.js';
export { averageRanks, pearsonCorrelation, spearmanCorrelation } from './correlation.js';
export { SCORING_DEFAULTS } from './defaults.js';
export { tagsToSpans } from './entity-spans.js';
export { scoreGeneration } from './generation.js';
export {
  type BootstrapOptions,
  bootstrapInterval,
  fisherInterval,
  type Interval,
  wilsonInterval,
} from './intervals.js';
export { scoreQuestionAnswering } from './question-answering.js';
export { scoreRetrieval } from './retrieval.js';
export { longestCommonSubsequence, rougeL, rougeTokens } from './rouge-l.js';
export {
  isScoringTask,
  type ScoringTask,
  scoreTask,
  supportedScoringTasks,
  TASK_SCORERS,
} from './score-task.js';
export { scoreSimilarity } from './similarity.js';
export { answerTokens, exactMatch, normalizeAnswer, tokenF1 } from './squad-normalization.js';
export { scoreSummarization, scoreTranslation } from './text-overlap.js';
export { entityScores, scoreTokenClassification } from './token-classification.js';
export { readToolCalls } from './tool-calls.js';
