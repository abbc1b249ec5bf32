import type { Modality } from '../core/task.js';
import type { CandidateSortKey, CandidateSortOrder } from '../discovery/search/candidate-query.js';
import type { ContextValue } from '../selection/context.js';

/** Latency-style targets by percentile, e.g. `{ p95: 150 }`. @internal */
export interface PercentileTargets {
  readonly p50?: number;
  readonly p90?: number;
  readonly p95?: number;
  readonly p99?: number;
}

/** The `limits` section as written: sizes and counts may be strings such as `'500MB'` or `'1.5B'`. @internal */
export interface LimitsContent {
  readonly maxSizeBytes?: number | string;
  readonly maxMemoryBytes?: number | string;
  readonly minParameters?: number | string;
  readonly maxParameters?: number | string;
  readonly maxLatencyMs?: number;
  readonly maxCostUsd?: number;
  readonly minContextLength?: number;
}

/** The `license` section as written. @internal */
export interface LicenseContent {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  readonly allowUnknown?: boolean;
  readonly allowGated?: boolean;
}

/** The `objective` section as written. @internal */
export interface ObjectiveContent {
  readonly quality?: number;
  readonly latencyMs?: number;
  readonly costUsd?: number;
}

/** `candidates.discover` as written. @internal */
export interface DiscoverContent {
  readonly text?: string;
  readonly library?: string;
  readonly provider?: string;
  readonly sort?: CandidateSortKey;
  readonly order?: CandidateSortOrder;
  readonly limit?: number;
}

/** The fields a task and the `defaults` section share, as written. @internal */
export interface SharedContent {
  readonly targets?: Readonly<Record<string, number | PercentileTargets>>;
  readonly limits?: LimitsContent;
  readonly license?: LicenseContent;
  readonly domainHints?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly objective?: ObjectiveContent;
  readonly fallbacks?: number | readonly string[];
  readonly ensembleSize?: number;
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/** One entry under `tasks`, as written (after schema validation). @internal */
export interface TaskContent extends SharedContent {
  readonly description?: string;
  readonly task: string;
  readonly modality?: Modality;
  readonly candidates?:
    | readonly string[]
    | { readonly models?: readonly string[]; readonly discover?: DiscoverContent };
}

/** A whole requirements file, as written (after schema validation). @internal */
export interface FileContent {
  readonly $schema?: string;
  readonly version: 1;
  readonly defaults?: SharedContent;
  readonly tasks: Readonly<Record<string, TaskContent>>;
}
