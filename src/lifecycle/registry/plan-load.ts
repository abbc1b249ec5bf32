import type { Task } from '../../core/task.js';
import { ModelRegistryError } from '../../errors/registry-error.js';
import type { DtypeChoice } from './dtype-choices.js';
import type { RegistryEntry } from './registry-entry.js';
import type { ModelUnloadReason } from './registry-events.js';

/** The registry's limits. @internal */
export interface RegistryLimits {
  readonly maxModels: number;
  readonly maxMemoryBytes: number;
}

/** Models and bytes: held by the registry, or coming in with a load. @internal */
export interface RegistryUsage {
  readonly count: number;
  readonly bytes: number;
}

/** An idle model to unload, and the limit that needs it gone. @internal */
export type Eviction = readonly [entry: RegistryEntry, reason: ModelUnloadReason];

/** What a load plan decided: the dtype to load and the idle models to unload first. @internal */
export interface LoadPlan extends DtypeChoice {
  readonly evictions: readonly Eviction[];
}

function formatBytes(bytes: number): string {
  if (bytes === Number.POSITIVE_INFINITY) return 'unlimited';
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes)} B`;
}

/**
 * The idle models to unload, in the order given (least recently used first), until `usage` plus
 * `incoming` is within `limits`. Stops short when the idle models run out.
 * @internal
 */
export function evictionsFor(
  idle: readonly RegistryEntry[],
  usage: RegistryUsage,
  incoming: RegistryUsage,
  limits: RegistryLimits,
): Eviction[] {
  const evictions: Eviction[] = [];
  let { count, bytes } = usage;
  for (const entry of idle) {
    const reason: ModelUnloadReason | undefined =
      count + incoming.count > limits.maxModels
        ? 'count'
        : bytes + incoming.bytes > limits.maxMemoryBytes
          ? 'memory'
          : undefined;
    if (reason === undefined) break;
    evictions.push([entry, reason]);
    count--;
    bytes -= entry.memoryBytes;
  }
  return evictions;
}

/**
 * Chooses the first of `choices` whose estimate fits beside what idle models cannot free (models
 * in use, loads in flight), and the idle models to unload for it. A choice of unknown size fits.
 *
 * @throws {ModelRegistryError} `'no-room'` when no slot or not enough memory can be freed,
 *   `'too-large'` when even the smallest choice exceeds `maxMemoryBytes` on its own.
 * @internal
 */
export function planLoad(
  modelId: string,
  task: Task,
  choices: readonly DtypeChoice[],
  idle: readonly RegistryEntry[],
  usage: RegistryUsage,
  limits: RegistryLimits,
): LoadPlan {
  let idleBytes = 0;
  for (const entry of idle) idleBytes += entry.memoryBytes;
  if (usage.count - idle.length + 1 > limits.maxModels) {
    throw new ModelRegistryError({
      modelId,
      reason: 'no-room',
      message: `all ${limits.maxModels} model slots are held by models in use or loads in flight`,
    });
  }
  const pinnedBytes = usage.bytes - idleBytes;
  const choice = choices.find(
    (each) => each.estimate === undefined || pinnedBytes + each.estimate <= limits.maxMemoryBytes,
  );
  if (choice === undefined) {
    const needs = choices.map((each) => `${each.dtype} ~${formatBytes(each.estimate ?? 0)}`).join(', ');
    const smallest = Math.min(...choices.map((each) => each.estimate ?? 0));
    if (smallest > limits.maxMemoryBytes) {
      throw new ModelRegistryError({
        modelId,
        reason: 'too-large',
        message: `no dtype fits maxMemoryBytes (${formatBytes(limits.maxMemoryBytes)}) for ${task}: ${needs}`,
      });
    }
    throw new ModelRegistryError({
      modelId,
      reason: 'no-room',
      message: `models in use and loads in flight hold ${formatBytes(pinnedBytes)} of ${formatBytes(limits.maxMemoryBytes)}; it needs ${needs}`,
    });
  }
  const evictions = evictionsFor(idle, usage, { count: 1, bytes: choice.estimate ?? 0 }, limits);
  return { ...choice, evictions };
}
