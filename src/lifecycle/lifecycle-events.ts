import type { CacheEvents } from './cache/cache-events.js';
import type { DownloaderEvents } from './download/downloader-events.js';
import type { CircuitBreakerEvents } from './health/circuit-breaker-events.js';
import type { ModelRegistryEvents } from './registry/registry-events.js';
import type { SchedulerEvents } from './scheduler/scheduler-events.js';
import type { AvailabilityRecord } from './upkeep/availability-history.js';

/** What one availability check found for one model (also kept in the store's history). */
export type AvailabilityCheckedEvent = AvailabilityRecord;

/** What the history retention job removed. */
export interface HistoryPrunedEvent {
  /** Records older than this time (clock milliseconds) were removed. */
  readonly olderThan: number;
  readonly evaluations: number;
  readonly availability: number;
}

/** Events of the lifecycle's own upkeep. */
export interface UpkeepEvents {
  availability_checked: [event: AvailabilityCheckedEvent];
  history_pruned: [event: HistoryPrunedEvent];
}

/**
 * Every event of a lifecycle: its downloader, cache, registry, circuit breakers and scheduler,
 * and its upkeep (`availability_checked`, `history_pruned`).
 */
export interface LifecycleEvents
  extends DownloaderEvents,
    CacheEvents,
    ModelRegistryEvents,
    CircuitBreakerEvents,
    SchedulerEvents,
    UpkeepEvents {}
