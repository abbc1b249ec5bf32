import type { LicensePolicy } from './license-policy.js';
import type { Modality, Task } from './task.js';

/** Hard limits: a candidate outside them is never selected. */
export interface Constraints {
  /** The task the model must perform. */
  readonly task?: Task;
  /** The modality the model must handle. */
  readonly modality?: Modality;
  /** Capability tags the model must all have. */
  readonly capabilities?: readonly string[];
  /** Which licenses are acceptable. */
  readonly license?: LicensePolicy;
  /** Largest acceptable size of the weights, in bytes. */
  readonly maxSizeBytes?: number;
  /** Largest acceptable memory need, in bytes. */
  readonly maxMemoryBytes?: number;
  /** Smallest acceptable parameter count. */
  readonly minParameters?: number;
  /** Largest acceptable parameter count. */
  readonly maxParameters?: number;
  /**
   * Largest acceptable latency in milliseconds. With two or more outcomes, a candidate fails when
   * the lower end of its learned latency interval exceeds it (it is confidently too slow); before
   * that, when its declared `metrics.latencyMs` does.
   */
  readonly maxLatencyMs?: number;
  /** Largest acceptable cost per request in US dollars: learned first, else declared (`pricing.perRequestUsd`, `metrics.costUsd`), as for latency. */
  readonly maxCostUsd?: number;
  /** Smallest context window in tokens. */
  readonly minContextLength?: number;
}

/**
 * How to trade quality against latency and cost, in utility units: utility =
 * `quality · q − latencyMs · l − costUsd · c`. One learned state serves callers with different
 * weights, because the three are learned separately.
 */
export interface Objective {
  /** Weight of quality (a reward in [0, 1]). @default 1 */
  readonly quality?: number;
  /** Utility lost per millisecond of latency. @default 0 */
  readonly latencyMs?: number;
  /** Utility lost per US dollar of cost. @default 0 */
  readonly costUsd?: number;
}

/** What a caller needs from a model, for discovery and selection alike. */
export interface ModelRequirements extends Constraints {
  /** Performance targets (soft): what good enough means, e.g. `{ accuracy: 0.9, latencyMs: 50 }`. */
  readonly targets?: Readonly<Record<string, number>>;
  /** How to weigh quality, latency and cost. */
  readonly objective?: Objective;
  /** Free-text hints about the domain, e.g. `['finance', 'english']`. */
  readonly domainHints?: readonly string[];
}
