import type { LicensePolicy } from '../core/license-policy.js';
import type { ModelRequirements, Objective } from '../core/model-requirements.js';
import { modalityOf, type Task } from '../core/task.js';
import type { DiscoveryQuery } from '../discovery/service/discovery-result.js';
import type { Context } from '../selection/context.js';
import type { FileContent, PercentileTargets, TaskContent } from './file-content.js';
import { parseByteSize, parseParameterCount } from './human-size.js';
import { mergeDefaults } from './merge-defaults.js';
import type { Requirements, RequirementsFormat, TaskRequirements } from './requirements.js';

/**
 * Targets as {@link ModelRequirements} holds them: plain numbers as they are, percentile targets
 * under a name per percentile (`latencyMs: { p95: 150 }` → `p95LatencyMs: 150`).
 * @internal
 */
export function flattenTargets(
  targets: Readonly<Record<string, number | PercentileTargets>>,
): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [metric, target] of Object.entries(targets)) {
    if (typeof target === 'number') {
      flat[metric] = target;
      continue;
    }
    for (const [percentile, value] of Object.entries(target)) {
      if (typeof value === 'number')
        flat[`${percentile}${metric[0]!.toUpperCase()}${metric.slice(1)}`] = value;
    }
  }
  return flat;
}

/**
 * The typed, frozen {@link Requirements} of a file that passed every check.
 * @internal
 */
export function typedRequirements(
  content: FileContent,
  file: string | undefined,
  format: RequirementsFormat,
): Requirements {
  const tasks: Record<string, TaskRequirements> = {};
  for (const [name, own] of Object.entries(content.tasks)) {
    tasks[name] = typedTask(name, own, mergeDefaults(own, content.defaults));
  }
  return deepFreeze({ version: 1, file, format, tasks });
}

function typedTask(name: string, own: TaskContent, task: TaskContent): TaskRequirements {
  const taskId = task.task as Task;
  const limits = task.limits ?? {};
  const requirements: Record<string, unknown> = { task: taskId };
  if (own.modality !== undefined) requirements.modality = own.modality;
  if (task.capabilities !== undefined) requirements.capabilities = [...task.capabilities];
  if (task.license !== undefined) requirements.license = { ...task.license } satisfies LicensePolicy;
  const sizes = { maxSizeBytes: limits.maxSizeBytes, maxMemoryBytes: limits.maxMemoryBytes };
  for (const [key, value] of Object.entries(sizes)) {
    if (value !== undefined) requirements[key] = parseByteSize(value);
  }
  const counts = { minParameters: limits.minParameters, maxParameters: limits.maxParameters };
  for (const [key, value] of Object.entries(counts)) {
    if (value !== undefined) requirements[key] = parseParameterCount(value);
  }
  for (const key of ['maxLatencyMs', 'maxCostUsd', 'minContextLength'] as const) {
    if (limits[key] !== undefined) requirements[key] = limits[key];
  }
  if (task.targets !== undefined) requirements.targets = flattenTargets(task.targets);
  if (task.objective !== undefined) requirements.objective = { ...task.objective } satisfies Objective;
  if (task.domainHints !== undefined) requirements.domainHints = [...task.domainHints];

  const candidates = task.candidates;
  const listed = Array.isArray(candidates) ? (candidates as readonly string[]) : undefined;
  const described =
    candidates !== undefined && listed === undefined
      ? (candidates as Exclude<typeof candidates, readonly string[]>)
      : undefined;
  const models = listed ?? described?.models ?? [];
  let discover: DiscoveryQuery | undefined;
  if (candidates === undefined || described?.discover !== undefined) {
    discover = {
      ...described?.discover,
      task: taskId,
      ...(own.modality === undefined ? {} : { modality: own.modality }),
    };
  }
  const fallbackModels = Array.isArray(task.fallbacks) ? [...(task.fallbacks as readonly string[])] : [];
  const fallbacks = Array.isArray(task.fallbacks)
    ? fallbackModels.length
    : (task.fallbacks as number | undefined);

  return {
    name,
    description: own.description,
    task: taskId,
    modality: own.modality ?? modalityOf(taskId),
    requirements: requirements as ModelRequirements,
    candidates: [...models],
    discover,
    fallbacks,
    fallbackModels,
    ensembleSize: task.ensembleSize,
    context: task.context === undefined ? undefined : ({ ...task.context } as Context),
  };
}

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}
