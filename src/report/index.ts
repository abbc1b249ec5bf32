export {
  type LearningCurveRecorder,
  type OutcomeEventSource,
  recordLearningCurve,
} from './learning-curve-recorder.js';
export {
  type CurvePoint,
  computeLearningCurves,
  LEARNING_CURVE_DEFAULTS,
  type LearningCurveOptions,
  type LearningCurves,
  type LearningObservation,
  type LearningSeries,
} from './learning-curves.js';
export { dominates, type ParetoPoint, paretoFront } from './pareto-front.js';
export { PLOT_COLORS, SERIES_COLORS } from './plot-colors.js';
export { renderReport } from './render-report.js';
export {
  type LatencyAxis,
  type LatencyPercentile,
  REPORT_DEFAULTS,
  type ReportInput,
  type ReportScore,
} from './report-input.js';
export { writeReport } from './write-report.js';
