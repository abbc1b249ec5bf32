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

/**
 * What the schema cannot say: sizes too large to count, `minParameters` above `maxParameters`, a
 * modality that is not the task's, license policies that admit nothing or name a group with a
 * typo, an objective whose weights are all 0, an ensemble larger than the listed candidates, and
 * two targets of the same name. Only `taskNames` are checked (those the schema found valid, with
 * valid defaults).
 * @internal
 */
export function semanticProblems(
  content: FileContent,
  taskNames: readonly string[],
  locator: SourceLocator,
): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const report = (
    kind: ConfigurationProblemKind,
    segments: readonly string[],
    message: string,
    suggestion?: string,
  ): void => {
    problems.push({
      kind,
      message: suggestion === undefined ? message : `${message}; did you mean '${suggestion}'?`,
      path: toPointer(segments),
      ...locator.valueAt(segments),
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  };
  const reported = new Set<string>();
  /** Problems of a default are found once, not once per task that inherits it. */
  const reportOnce = (
    kind: ConfigurationProblemKind,
    segments: readonly string[],
    message: string,
    suggestion?: string,
  ): void => {
    const key = `${toPointer(segments)}\u0000${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    report(kind, segments, message, suggestion);
  };

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
        reportOnce(
          'out-of-range',
          where('limits', key),
          `${shown(value)} is more bytes than can be counted exactly (at most ${Number.MAX_SAFE_INTEGER})`,
        );
      }
    }
    for (const key of ['minParameters', 'maxParameters'] as const) {
      const value = limits[key];
      if (value !== undefined && parseParameterCount(value) === undefined) {
        reportOnce(
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
      report(
        'contradiction',
        where('limits', 'minParameters'),
        `minParameters ${shown(limits.minParameters)} is greater than maxParameters ${shown(limits.maxParameters)}`,
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

    checkLicense(task, name, own, reportOnce, report);

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
      report(
        'contradiction',
        where('ensembleSize'),
        `ensembleSize ${task.ensembleSize} is larger than the ${listed} candidate model(s) listed`,
      );
    }

    const names = new Map<string, string>();
    for (const [metric, target] of Object.entries(task.targets ?? {})) {
      for (const flattened of Object.keys(flattenTargets({ [metric]: target }))) {
        const earlier = names.get(flattened);
        if (earlier !== undefined) {
          report('duplicate', where('targets', metric), `target '${flattened}' is also set by '${earlier}'`);
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

function checkLicense(
  task: TaskContent,
  name: string,
  own: TaskContent,
  reportOnce: Report,
  report: Report,
): void {
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
        reportOnce('unknown-value', [...at, String(index)], `unknown license group '${entry}'`, suggestion);
      }
    }
  }
  if (licensePolicyAdmitsNothing(license)) {
    report(
      'contradiction',
      sourceOf(name, own, 'license', 'allow'),
      'every allowed license is also denied, and unknown licenses are not allowed: no model can pass',
    );
    return;
  }
  const denied = new Set((license.deny ?? []).map((entry) => normalizeLicense(entry)));
  for (const [index, entry] of (license.allow ?? []).entries()) {
    if (denied.has(normalizeLicense(entry))) {
      report(
        'contradiction',
        [...sourceOf(name, own, 'license', 'allow'), String(index)],
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
