/**
 * Defaults of the task scorers: the options of `TaskScoreOptions` and the constants of the
 * metrics. One place, so that the scorers and their documentation cannot disagree.
 */
export const SCORING_DEFAULTS = Object.freeze({
  /** Coverage of every interval. @default 0.95 */
  confidenceLevel: 0.95,
  /** Resamples of the percentile bootstrap. @default 1000 */
  bootstrapResamples: 1000,
  /** `k` of the headline recall@k of `feature-extraction`. @default 1 */
  recallAt: 1,
  /** The `k` also reported as `recall@k` beside the headline one. @default [1, 5, 10] */
  reportedRecallAt: Object.freeze([1, 5, 10] as const),
  /** Equal-width confidence bins of the expected calibration error (`ece`). @default 10 */
  calibrationBins: 10,
  /** Longest character n-gram of chrF (sacreBLEU's `char_order`). @default 6 */
  chrfCharacterOrder: 6,
  /** β of chrF: recall weighs β times as much as precision (sacreBLEU's `beta`). @default 2 */
  chrfBeta: 2,
} as const);
