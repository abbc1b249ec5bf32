import type { ModelCandidate } from '../../core/model-candidate.js';
import { ConfigurationError } from '../../errors/configuration-error.js';
import { ContradictoryConstraintsError } from '../../errors/contradictory-constraints-error.js';
import { closestMatch } from '../../requirements/closest-match.js';
import { loadRequirements } from '../../requirements/load-requirements.js';
import type { Requirements, TaskRequirements } from '../../requirements/requirements.js';
import { toSelectionRequest } from '../../requirements/selection-request.js';
import type { Scout } from '../../scout.js';
import type { CandidateEstimate, SelectedModels } from '../../selection/selected-models.js';
import type { Command } from '../command.js';
import { candidateDocument, warnProviderErrors } from '../discovery-output.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatFraction, formatMilliseconds, formatNumber, UNKNOWN } from '../format-values.js';
import { NothingFoundError } from '../nothing-found-error.js';
import { openScout } from '../open-scout.js';
import { expectPositionals, integerOption, requiredOption } from '../option-values.js';
import type { Output } from '../output.js';
import { selectProviders } from '../providers.js';
import { renderFields, renderTable } from '../text-table.js';
import { UsageError } from '../usage-error.js';

const NAME = 'select';
/** The most candidates taken from discovery for one task. */
const DISCOVERED_CANDIDATES = 100;

function chooseTask(requirements: Requirements, name: string | undefined): TaskRequirements {
  const names = Object.keys(requirements.tasks);
  if (name === undefined) {
    if (names.length === 1) return requirements.tasks[names[0]!]!;
    throw new UsageError({
      command: NAME,
      message: `missing option '--task <name>': the file has ${names.length} tasks (${names.join(', ')})`,
    });
  }
  const task = requirements.tasks[name];
  if (task !== undefined) return task;
  const suggestion = closestMatch(name, names);
  throw new UsageError({
    command: NAME,
    message: `the requirements file has no task '${name}'${suggestion === undefined ? ` (it has ${names.join(', ')})` : `; did you mean '${suggestion}'?`}`,
  });
}

/** The candidates to choose among: the ids given (or listed by the task), described by the providers, and what discovery finds. */
async function candidatePool(
  task: TaskRequirements,
  ids: readonly string[],
  scout: Scout,
  output: Output,
  signal: AbortSignal,
): Promise<(ModelCandidate | string)[]> {
  const pool = new Map<string, ModelCandidate | string>();
  const described = await Promise.all(
    ids.map(async (id) => {
      const lookup = await scout.discovery.getModel(id, { signal });
      if (lookup.candidates.length === 0) {
        // A provider that failed might have described it: its constraints cannot be checked, and
        // letting it pass would choose a model that may break them. That is a failure (as in info).
        if (lookup.errors.length > 0) throw lookup.errors[0]!;
        output.warn(`no provider knows '${id}': constraints on what it does not declare let it pass`);
        return id;
      }
      warnProviderErrors(output, lookup.errors);
      return lookup.candidates[0]!;
    }),
  );
  for (const candidate of described)
    pool.set(typeof candidate === 'string' ? candidate : candidate.id, candidate);
  if (ids.length === 0 && task.discover !== undefined) {
    const found = await scout.discover({ ...task.discover, limit: DISCOVERED_CANDIDATES }, { signal });
    // Every provider failed: there is no answer (as in search), not an answer of none.
    if (found.errors.length > 0 && found.errors.length === found.providers.length) throw found.errors[0]!;
    warnProviderErrors(output, found.errors);
    for (const candidate of found.candidates) if (!pool.has(candidate.id)) pool.set(candidate.id, candidate);
  }
  return [...pool.values()];
}

function printSelection(output: Output, task: TaskRequirements, selected: SelectedModels): void {
  const { style } = output;
  output.print(
    renderFields(
      [
        [
          'task',
          `${task.name} (${task.task})${task.description === undefined ? '' : `: ${task.description}`}`,
        ],
        ['chosen', style.green(selected.primary.id)],
        [
          'fallbacks',
          selected.fallbacks.length === 0 ? 'none' : selected.fallbacks.map((model) => model.id).join(', '),
        ],
        ['ensemble', selected.ensemble?.map((model) => model.id).join(', ')],
      ],
      style,
    ),
  );
  output.print();
  output.print(
    renderTable<CandidateEstimate>(
      [
        { header: 'model', value: (estimate) => estimate.id },
        {
          header: 'quality [interval]',
          value: (estimate) =>
            `${formatFraction(estimate.quality.mean)} [${formatFraction(estimate.quality.lower)}, ${formatFraction(estimate.quality.upper)}]`,
        },
        {
          header: 'latency',
          value: (estimate) =>
            estimate.latencyMs.source === 'unknown' ? UNKNOWN : formatMilliseconds(estimate.latencyMs.mean),
          align: 'right',
        },
        {
          header: 'cost',
          value: (estimate) =>
            estimate.costUsd.source === 'unknown' ? UNKNOWN : `$${formatNumber(estimate.costUsd.mean)}`,
          align: 'right',
        },
        { header: 'utility', value: (estimate) => formatNumber(estimate.utility), align: 'right' },
        { header: 'outcomes', value: (estimate) => formatNumber(estimate.pulls), align: 'right' },
      ],
      selected.estimates,
      style,
    ),
  );
  output.print();
  output.print(`Why: ${selected.explanation.summary}`);
  for (const rejection of selected.explanation.rejections) {
    output.print(
      `  removed by ${rejection.constraint} (${rejection.detail}): ${rejection.candidates.join(', ')}`,
    );
  }
}

/** `modelscout select`: the model to use for a task of a requirements file. */
export const selectCommand: Command = {
  name: NAME,
  summary: 'choose the model for a task of a requirements file, with fallbacks',
  usage: ['select --requirements <file> [--task <name>] [--candidates <id...>] [options]'],
  description:
    'Loads the requirements file (YAML or JSON; errors are printed as file:line:column and exit with 3), ' +
    "applies the task's hard constraints (task, license, size, parameters, latency, cost) to the candidates, " +
    'and chooses with the selector: the model to use, ranked fallbacks, estimates of quality, latency and cost ' +
    'with intervals, and why. Candidates are --candidates, else those the task lists, else what the providers ' +
    "find for its 'discover' query; each is described by the providers so that constraints apply. With --store, " +
    "selection starts from what was learned (outcomes, and 'eval --warm-start'). Exits with 4 when the " +
    'constraints remove every candidate, naming what removed each.',
  options: [
    {
      name: 'requirements',
      type: 'string',
      path: true,
      valueName: '<file>',
      description: 'the requirements file (.yaml, .yml or .json)',
    },
    {
      name: 'task',
      type: 'string',
      valueName: '<name>',
      description: 'the task of the file to choose for (default: its only task)',
    },
    {
      name: 'candidates',
      type: 'string',
      valueName: '<id...>',
      variadic: true,
      description: 'the models to choose among (space- or comma-separated), instead of those the task lists',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: '<n>',
      description: 'seed of the selector (reproducible choices)',
    },
  ],
  optionGroups: ['providers', 'store'],
  examples: [
    'select --requirements requirements.yaml --task support-triage',
    'select --requirements requirements.yaml --task sentiment --candidates org/model-a org/model-b --json',
    'select --requirements requirements.yaml --store scout.sqlite --hub http://127.0.0.1:8080',
  ],
  async run({ commandLine, output, environment, signal }) {
    expectPositionals(NAME, commandLine, {});
    const file = requiredOption(NAME, commandLine, 'requirements', '<file>');
    const seed = integerOption(NAME, commandLine, 'seed', { minimum: 0 });
    const ids = commandLine.list('candidates');
    const { providers } = selectProviders(NAME, commandLine, environment);
    const requirements = await loadRequirements(file, { signal });
    const task = chooseTask(requirements, commandLine.string('task'));

    const scout = openScout({ storePath: commandLine.string('store'), providers, seed });
    try {
      const pool = await candidatePool(task, ids.length > 0 ? ids : task.candidates, scout, output, signal);
      if (pool.length === 0 && task.fallbackModels.length === 0) {
        throw new NothingFoundError({
          message: `no candidate for task '${task.name}': it lists none and the providers found none; give --candidates`,
        });
      }
      let selected: SelectedModels;
      try {
        selected = await scout.selectOptimal(toSelectionRequest(task, pool));
      } catch (error) {
        if (!ContradictoryConstraintsError.isInstance(error)) throw error;
        throw new ConfigurationError({
          file,
          problems: [
            {
              kind: 'contradiction',
              message: error.message,
              path: `/tasks/${task.name}`,
              line: 1,
              column: 1,
            },
          ],
          cause: error,
        });
      }
      output.printJson({
        task: {
          name: task.name,
          task: task.task,
          description: task.description ?? null,
          requirements: task.requirements,
        },
        primary: candidateDocument(selected.primary),
        fallbacks: selected.fallbacks.map(candidateDocument),
        ensemble: selected.ensemble?.map(candidateDocument) ?? null,
        estimates: selected.estimates,
        explanation: selected.explanation,
      });
      printSelection(output, task, selected);
      return EXIT_CODES.ok;
    } finally {
      await scout.close();
    }
  },
};
