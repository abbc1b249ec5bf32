import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputFileError } from '../../errors/input-file-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ReportScore } from '../../report/report-input.js';
import { writeReport } from '../../report/write-report.js';
import type { Command } from '../command.js';
import { readEvaluationFile } from '../evaluation-document.js';
import { EXIT_CODES } from '../exit-codes.js';
import { NothingFoundError } from '../nothing-found-error.js';
import { openScout } from '../open-scout.js';
import { expectPositionals, requiredOption } from '../option-values.js';
import { taskOption } from '../task-option.js';
import { UsageError } from '../usage-error.js';

const NAME = 'report';

/** `modelscout report`: the self-contained HTML report of an evaluation. */
export const reportCommand: Command = {
  name: NAME,
  summary: 'write the HTML report of an evaluation',
  usage: [
    'report --from <evaluation.json> --out <file.html> [options]',
    'report --store <path> --model <id...> --out <file.html> [options]',
  ],
  description:
    'Writes one self-contained HTML page (no script, no network request) of an evaluation: a summary, quality ' +
    'against latency with the Pareto front, quality with its intervals, and a table of every candidate. The ' +
    "scores come from a file (the output of 'modelscout eval --json', or a JSON array of evaluation scores) or " +
    "from a store's evaluation history (the newest evaluation of each --model, or all of them with --all).",
  options: [
    {
      name: 'from',
      type: 'string',
      path: true,
      valueName: '<file>',
      description: "scores from a file: 'eval --json' output or an array of scores",
    },
    {
      name: 'model',
      type: 'string',
      valueName: '<id...>',
      variadic: true,
      description: 'with --store: the models whose stored evaluations to show (space- or comma-separated)',
    },
    {
      name: 'task',
      type: 'string',
      valueName: '<task>',
      description: 'with --store: only evaluations of this task',
    },
    {
      name: 'all',
      type: 'boolean',
      description: 'with --store: every stored evaluation, not only the newest of each model',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      path: true,
      valueName: '<file.html>',
      description: 'where to write the report',
    },
    {
      name: 'title',
      type: 'string',
      valueName: '<text>',
      description: "the page's title (default 'Model evaluation')",
    },
    {
      name: 'dataset',
      type: 'string',
      valueName: '<text>',
      description: 'a name for the data, shown in the summary',
    },
  ],
  optionGroups: ['store'],
  examples: [
    'report --from evaluation.json --out report.html',
    'report --store scout.sqlite --model modelscout/sst2-bow-logreg modelscout/sst2-embedding-mlp --out report.html',
  ],
  async run({ commandLine, output }) {
    expectPositionals(NAME, commandLine, {});
    const out = requiredOption(NAME, commandLine, 'out', '<file.html>');
    const from = commandLine.string('from');
    const storePath = commandLine.string('store');
    const models = commandLine.list('model');
    if ((from === undefined) === (storePath === undefined)) {
      throw new UsageError({
        command: NAME,
        message: "give either '--from <file>' or '--store <path> --model <id...>'",
      });
    }
    let scores: readonly ReportScore[];
    let dataset = commandLine.string('dataset');
    if (from !== undefined) {
      if (models.length > 0 || commandLine.has('all') || commandLine.has('task')) {
        throw new UsageError({
          command: NAME,
          message: "'--model', '--task' and '--all' go with '--store', not '--from'",
        });
      }
      const file = await readEvaluationFile(from);
      scores = file.scores;
      dataset ??= file.dataset === undefined ? undefined : path.basename(file.dataset);
    } else {
      if (models.length === 0) {
        throw new UsageError({
          command: NAME,
          message: "'--store' needs '--model <id...>': the models to report on",
        });
      }
      const task = taskOption(NAME, commandLine);
      // Reading must not create a store (and its folders) at a mistyped path.
      if (!existsSync(storePath!)) {
        throw new NothingFoundError({ message: `no store at '${path.resolve(storePath!)}'` });
      }
      const scout = openScout({ storePath });
      try {
        const histories = await Promise.all(
          models.map((model) => scout.getEvaluationHistory(model, task === undefined ? {} : { task })),
        );
        const missing = models.filter((_, index) => histories[index]!.length === 0);
        if (missing.length === models.length) {
          throw new NothingFoundError({
            message: `the store holds no evaluation of ${models.join(', ')}${task === undefined ? '' : ` for ${task}`}`,
          });
        }
        for (const model of missing) output.warn(`the store holds no evaluation of ${model}`);
        scores = histories.flatMap((history) => (commandLine.flag('all') ? history : history.slice(0, 1)));
      } finally {
        await scout.close();
      }
    }
    const title = commandLine.string('title');
    const written = await writeReport(out, {
      scores,
      ...(title === undefined ? {} : { title }),
      ...(dataset === undefined ? {} : { dataset }),
    }).catch((error: unknown) => {
      // A score of the --from file the report refuses: the file is invalid, not the command line.
      if (
        from !== undefined &&
        InvalidArgumentError.isInstance(error) &&
        error.argument.startsWith('input.scores')
      ) {
        throw new InputFileError({
          file: from,
          message: `${error.argument.slice('input.'.length)} ${error.message.replace(/^Invalid argument '[^']*': /, '')}`,
          cause: error,
        });
      }
      throw error;
    });
    output.printJson({ report: written, scores: scores.length });
    output.print(
      `Report of ${scores.length} evaluation${scores.length === 1 ? '' : 's'} written to ${written}`,
    );
    return EXIT_CODES.ok;
  },
};
