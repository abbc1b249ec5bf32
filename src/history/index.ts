export type { PrunedRecords } from '../lifecycle/upkeep/history-retention.js';
export type {
  BestModelRow,
  BestModelsQuery,
  BestModelsRanking,
} from './best-models.js';
export type {
  History,
  HistoryPruneOptions,
  HistoryPruneResult,
  LatencyTrendOptions,
  ModelRecordQuery,
} from './history.js';
export { HISTORY_DEFAULTS, type HistoryOptions, type ResolvedHistoryOptions } from './history-options.js';
export type { ModelRecord } from './model-records.js';
export type { OutcomeLogEntry, OutcomeQuery } from './outcome-log.js';
export type { LatencyTrendRow, PerformanceSummary } from './performance-history.js';
export type { DurationText, DurationUnit, SinceInput, TimeInput, TimeWindow } from './time-window.js';
