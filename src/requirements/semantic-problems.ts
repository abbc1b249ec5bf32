import {
  LICENSE_GROUPS,
  licenseGroup,
  licensePolicyAdmitsNothing,
  normalizeLicense,
} from '../core/license.js';
import { modalityOf } from '../core/task.js';
import type { ConfigurationProblem, ConfigurationProblemKind } from '../errors/configuration-error.js';
import { closestMatch } from './closest-match.js';
import type { FileContent, TaskContent } from './file-content.js';
import { parseByteSize, parseParameterCount } from './human-size.js';
import { mergeDefaults, type SharedSection, sourceOf } from './merge-defaults.js';
import { toPointer } from './schema-problems.js';
import type { SourceLocator } from './source-locator.js';
import { flattenTargets } from './typed-requirements.js';

/** Where a merged value was written: in the task itself, or in `defaults`. */
function inDefaults(segments: readonly string[]): boolean {
  return segments[0] === 'defaults';
}

/** `' (from defaults)'` when `segments` point into the defaults, else nothing. */
function fromDefaults(segments: readonly string[]): string {
  return inDefaults(segments) ? ' (from defaults)' : '';
}

/**
 * What the schema cannot say: sizes too large to count, `minParameters` above `maxParameters`, a
 * modality that is not the task's, license policies that admit nothing or name a group with a
 * typo, an objective whose weights are all 0, an ensemble larger than the listed candidates, two
 * targets of the same name, and a context key that is a number in one task and a string or
 * boolean in another (one scout serving both would refuse the second request). Only `taskNames` are checked (those the schema found valid, with
 * valid defaults).
 *
 * A problem is placed where it can be fixed: a contradiction between a default and a task's own
 * value at the task's value (once per task); a problem of the defaults alone at the defaults,
 * once, however many tasks inherit it.
 * @internal
 */
export function semanticProblems(
  content: FileContent,
  taskNames: readonly string[],
  locator: SourceLocator,
): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const reported = new Set<string>();
  /** Records a problem, once per place and message (tasks inheriting a default find it again). */
  const report: Report = (kind, segments, message, suggestion) => {
    const key = `${toPointer(segments)}\u0000${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({
      kind,
      message: suggestion === undefined ? message : `${message}; did you mean '${suggestion}'?`,
      path: toPointer(segments),
      ...locator.valueAt(segments),
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  };

  /** The kind of each context key, and where it was first seen: selection keeps one kind per key. */
  const contextKinds = new Map<string, { numeric: boolean; at: readonly string[]; task: string }>();

  for (const name of taskNames) {
    const own = content.tasks[name]!;
    const task = mergeDefaults(own, content.defaults);
    const where = (section: SharedSection, key?: string): readonly string[] =>
      sourceOf(name, own, section, key);

    // Sizes and counts beyond what a number holds exactly.
    const limits = task.limits ?? {};
    for (const key of ['maxSizeBytes', 'maxMemoryBytes'] as const) {
      const value = limits[key];
      if (value !== undefined && parseByteSize(value) === undefined) {
        report(
          'out-of-range',
          where('limits', key),
          `${shown(value)} is more bytes than can be counted exactly (at most ${Number.MAX_SAFE_INTEGER})`,
        );
      }
    }
    for (const key of ['minParameters', 'maxParameters'] as const) {
      const value = limits[key];
      if (value !== undefined && parseParameterCount(value) === undefined) {
        report(
          'out-of-range',
          where('limits', key),
          `${shown(value)} is more parameters than can be counted exactly (at most ${Number.MAX_SAFE_INTEGER})`,
        );
      }
    }
    const minimum =
      limits.minParameters === undefined ? undefined : parseParameterCount(limits.minParameters);
    const maximum =
      limits.maxParameters === undefined ? undefined : parseParameterCount(limits.maxParameters);
    if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
      const minimumAt = where('limits', 'minParameters');
      const maximumAt = where('limits', 'maxParameters');
      report(
        'contradiction',
        inDefaults(minimumAt) && !inDefaults(maximumAt) ? maximumAt : minimumAt,
        `minParameters ${shown(limits.minParameters)}${inDefaults(maximumAt) ? '' : fromDefaults(minimumAt)} ` +
          `is greater than maxParameters ${shown(limits.maxParameters)}${inDefaults(minimumAt) ? '' : fromDefaults(maximumAt)}`,
      );
    }

    if (own.modality !== undefined && own.modality !== modalityOf(own.task)) {
      report(
        'contradiction',
        ['tasks', name, 'modality'],
        `task '${own.task}' is ${modalityOf(own.task)}, not ${own.modality}`,
        modalityOf(own.task),
      );
    }

    checkLicense(task, name, own, report);

    const objective = task.objective;
    if (objective !== undefined && objective.quality === 0 && !objective.latencyMs && !objective.costUsd) {
      report(
        'out-of-range',
        where('objective', 'quality'),
        'every objective weight is 0, so every model would be equally good; give quality (or latencyMs, costUsd) a weight above 0',
      );
    }

    const listed = listedModels(task);
    if (listed !== undefined && task.ensembleSize !== undefined && task.ensembleSize > listed) {
      const ensembleAt = where('ensembleSize');
      report(
        'contradiction',
        inDefaults(ensembleAt) ? ['tasks', name, 'candidates'] : ensembleAt,
        `ensembleSize ${task.ensembleSize}${fromDefaults(ensembleAt)} is larger than the ${listed} candidate model(s) listed`,
      );
    }

    for (const [key, value] of Object.entries(task.context ?? {})) {
      const numeric = typeof value === 'number';
      const at = where('context', key);
      const first = contextKinds.get(key);
      if (first === undefined) {
        contextKinds.set(key, { numeric, at, task: name });
      } else if (first.numeric !== numeric) {
        const kind = (isNumber: boolean) => (isNumber ? 'a number' : 'a string');
        const there = inDefaults(first.at) ? 'the defaults' : `task '${first.task}'`;
        report(
          'contradiction',
          at,
          `context key '${key}' is ${kind(numeric)} here but ${kind(first.numeric)} in ${there}; a key must keep one kind (numbers are features, strings and booleans partition the statistics)`,
        );
      }
    }

    const names = new Map<string, string>();
    for (const [metric, target] of Object.entries(task.targets ?? {})) {
      for (const flattened of Object.keys(flattenTargets({ [metric]: target }))) {
        const earlier = names.get(flattened);
        if (earlier !== undefined) {
          const metricAt = where('targets', metric);
          const earlierAt = where('targets', earlier);
          const [at, other, otherAt] =
            inDefaults(metricAt) && !inDefaults(earlierAt)
              ? [earlierAt, metric, metricAt]
              : [metricAt, earlier, earlierAt];
          report('duplicate', at, `target '${flattened}' is also set by '${other}'${fromDefaults(otherAt)}`);
        }
        names.set(flattened, metric);
      }
    }
  }
  return problems;
}

type Report = (
  kind: ConfigurationProblemKind,
  segments: readonly string[],
  message: string,
  suggestion?: string,
) => void;

function checkLicense(task: TaskContent, name: string, own: TaskContent, report: Report): void {
  const license = task.license;
  if (license === undefined) return;
  const groups = LICENSE_GROUPS as readonly string[];
  for (const list of ['allow', 'deny'] as const) {
    const entries = license[list] ?? [];
    const at = sourceOf(name, own, 'license', list);
    for (const [index, entry] of entries.entries()) {
      const id = normalizeLicense(entry) ?? '';
      if (groups.includes(id) || licenseGroup(id) !== 'unknown') continue;
      const suggestion = closestMatch(id, groups);
      if (suggestion !== undefined) {
        report('unknown-value', [...at, String(index)], `unknown license group '${entry}'`, suggestion);
      }
    }
  }
  const allowAt = sourceOf(name, own, 'license', 'allow');
  const denyAt = sourceOf(name, own, 'license', 'deny');
  // A deny list of the task's own against an allow list of the defaults: the task's list is at fault.
  const denyIsAtFault = inDefaults(allowAt) && !inDefaults(denyAt);
  if (licensePolicyAdmitsNothing(license)) {
    report(
      'contradiction',
      denyIsAtFault ? denyAt : allowAt,
      'every allowed license is also denied, and unknown licenses are not allowed: no model can pass',
    );
    return;
  }
  const deny = (license.deny ?? []).map((entry) => normalizeLicense(entry));
  for (const [index, entry] of (license.allow ?? []).entries()) {
    const denied = deny.indexOf(normalizeLicense(entry));
    if (denied >= 0) {
      report(
        'contradiction',
        denyIsAtFault ? [...denyAt, String(denied)] : [...allowAt, String(index)],
        `'${entry}' is both allowed and denied (deny wins)`,
      );
    }
  }
}

/** How many distinct models the task lists when it names its candidates only; `undefined` when it discovers. */
function listedModels(task: TaskContent): number | undefined {
  const candidates = task.candidates;
  const fallbacks = Array.isArray(task.fallbacks) ? (task.fallbacks as readonly string[]) : [];
  if (candidates === undefined) return undefined;
  if (Array.isArray(candidates)) return new Set([...(candidates as readonly string[]), ...fallbacks]).size;
  const { models, discover } = candidates as { models?: readonly string[]; discover?: unknown };
  if (discover !== undefined) return undefined;
  return new Set([...(models ?? []), ...fallbacks]).size;
}

/** A value as the file wrote it: strings quoted, numbers bare. */
function shown(value: string | number | undefined): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
