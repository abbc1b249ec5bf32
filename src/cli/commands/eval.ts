import path from 'node:path';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { InputFileError } from '../../errors/input-file-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { StoreError } from '../../errors/store-error.js';
import { EVALUATION_DEFAULTS } from '../../evaluation/evaluator/evaluation-defaults.js';
import type { EvaluationCandidate } from '../../evaluation/evaluator/evaluation-request.js';
import type { EvaluationScore } from '../../evaluation/evaluator/evaluation-score.js';
import { isLocalPath } from '../../evaluation/evaluator/resolve-candidate.js';
import { readLabeledData } from '../../evaluation/labeled-data.js';
import { transformersJsRunner } from '../../evaluation/runners/transformers-js-runner.js';
import { writeReport } from '../../report/write-report.js';
import type { Scout } from '../../scout.js';
import type { Command } from '../command.js';
import { warnProviderErrors } from '../discovery-output.js';
import type { EvaluationDocument } from '../evaluation-document.js';
import { showEvaluationProgress } from '../evaluation-progress.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatDuration } from '../format-values.js';
import { NothingFoundError } from '../nothing-found-error.js';
import { openScout } from '../open-scout.js';
import { expectPositionals, integerOption, requiredOption } from '../option-values.js';
import type { Output } from '../output.js';
import { selectProviders } from '../providers.js';
import { bestScore, isMeasured, renderScoreTable } from '../score-table.js';
import { taskOption } from '../task-option.js';
import { UsageError } from '../usage-error.js';

const NAME = 'eval';

/** Each id as an evaluation candidate: local paths as they are, model ids looked up with the providers. */
async function resolveCandidates(
  ids: readonly string[],
  scout: Scout,
  output: Output,
  signal: AbortSignal,
): Promise<(string | ModelCandidate)[]> {
  const distinct = [...new Set(ids)];
  return Promise.all(
    distinct.map(async (id) => {
      if (isLocalPath(id)) return id;
      const lookup = await scout.discovery.getModel(id, { signal });
      if (lookup.candidates.length === 0) {
        if (lookup.errors.length > 0) throw lookup.errors[0]!;
        throw new NothingFoundError({ message: `no provider knows model '${id}'` });
      }
      warnProviderErrors(output, lookup.errors);
      return loadable(lookup.candidates[0]!);
    }),
  );
}

/**
 * A candidate as the runner can load it: one with a folder on this machine is loaded from that
 * folder only, so it may offer only the dtypes of that copy (a cache may hold just the q8 weights
 * of a model whose Hub record lists fp32 too).
 */
function loadable(candidate: ModelCandidate): ModelCandidate {
  if (candidate.localPath === undefined) return candidate;
  const copy = candidate.localCopies?.find((local) => local.path === candidate.localPath);
  if (copy?.dtypes === undefined || copy.dtypes.length === 0) return candidate;
  return { ...candidate, dtypes: copy.dtypes, ...(copy.files === undefined ? {} : { files: copy.files }) };
}

/** The task every candidate performs, when `--task` is not given and they agree on one. */
function sharedTask(candidates: readonly (string | ModelCandidate)[]): Task | undefined {
  let shared: Task[] | undefined;
  for (const candidate of candidates) {
    if (typeof candidate === 'string' || candidate.tasks === undefined) return undefined;
    shared =
      shared === undefined ? [...candidate.tasks] : shared.filter((task) => candidate.tasks!.includes(task));
  }
  return shared?.length === 1 ? shared[0] : undefined;
}

/** Labels the models did not know that look like class indices: the data needs `--labels`. */
function indexLabels(scores: readonly EvaluationScore[]): string[] {
  const unknown = new Set(scores.flatMap((score) => score.unknownLabels ?? []));
  return [...unknown].filter((label) => /^\d+$/.test(label)).sort();
}

/** `modelscout eval`: evaluates models on labeled data, with progress bars and an ETA. */
export const evalCommand: Command = {
  name: NAME,
  summary: 'evaluate models on your labeled data, with progress and an ETA',
  usage: ['eval <model-id...> --data <file> [--task <task>] [options]'],
  description:
    'Runs each model (transformers.js, downloading from the Hub given, or reading a local folder) on the labeled ' +
    'examples of --data and prints the quality with its 95% interval, latency p50/p95, throughput, samples and how ' +
    'each evaluation ended. --race stops clearly worse models early. Progress bars and the ETA go to stderr (plain ' +
    'lines when stderr is not a terminal). --data is JSON Lines, JSON, CSV or TSV: one row per example with an ' +
    "input ('input', 'text' or 'sentence', or 'question' and 'context') and a 'label'. With --store the scores are " +
    "kept in the store's evaluation history; 'eval --json' output can be given to 'report --from'.",
  arguments: [['model-id...', 'models to evaluate: Hub ids, or folders (./path, /path)']],
  options: [
    {
      name: 'data',
      type: 'string',
      path: true,
      valueName: '<file>',
      description: 'the labeled examples (.jsonl, .json, .csv or .tsv)',
    },
    {
      name: 'task',
      type: 'string',
      valueName: '<task>',
      description: 'the task (default: the one task all the models have)',
    },
    { name: 'race', type: 'boolean', description: 'race the models: stop those clearly below the leader' },
    {
      name: 'max-samples',
      type: 'string',
      valueName: '<n>',
      description: `the most examples per model (default ${EVALUATION_DEFAULTS.maxSamples})`,
    },
    {
      name: 'budget-ms',
      type: 'string',
      valueName: '<ms>',
      description: `prediction time per model (default ${EVALUATION_DEFAULTS.budgetMs})`,
    },
    {
      name: 'batch-size',
      type: 'string',
      valueName: '<n>',
      description: `inputs per call (default ${EVALUATION_DEFAULTS.batchSize})`,
    },
    {
      name: 'dtype',
      type: 'string',
      valueName: '<dtype>',
      description: 'the weights to load, e.g. fp32, q8 (default: the best each model has)',
    },
    {
      name: 'labels',
      type: 'string',
      valueName: '<names>',
      description:
        'class names by index, comma-separated: labels 0, 1 … become these (e.g. NEGATIVE,POSITIVE)',
    },
    {
      name: 'input-field',
      type: 'string',
      valueName: '<name>',
      description: 'the field or column of the input',
    },
    {
      name: 'label-field',
      type: 'string',
      valueName: '<name>',
      description: "the field or column of the label (default 'label')",
    },
    {
      name: 'report',
      type: 'string',
      path: true,
      valueName: '<file.html>',
      description: 'also write the HTML report there',
    },
    {
      name: 'warm-start',
      type: 'boolean',
      description: 'with --store: learn the measured qualities as selection priors',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: '<n>',
      description: 'seed of the bootstrap and the race (reproducible runs)',
    },
    {
      name: 'download-dir',
      type: 'string',
      path: true,
      valueName: '<dir>',
      description: "where downloaded model files are kept (default: transformers.js's cache)",
    },
  ],
  optionGroups: ['providers', 'store'],
  examples: [
    'eval modelscout/sst2-bow-logreg modelscout/sst2-embedding-mlp --data sst2.tsv --labels NEGATIVE,POSITIVE --race',
    'eval Xenova/distilbert-base-uncased-finetuned-sst-2-english --data reviews.jsonl --max-samples 500 --json > evaluation.json',
    'eval ./models/my-classifier --task text-classification --data dev.csv --store scout.sqlite --report report.html',
  ],
  async run({ commandLine, output, environment, signal }) {
    const ids = expectPositionals(NAME, commandLine, {
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      name: 'model id (eval <model-id...>)',
    });
    const dataFile = requiredOption(NAME, commandLine, 'data', '<file>');
    const askedTask = taskOption(NAME, commandLine);
    const race = commandLine.flag('race');
    const maxSamples = integerOption(NAME, commandLine, 'max-samples', { minimum: 1 });
    const budgetMs = integerOption(NAME, commandLine, 'budget-ms', { minimum: 1 });
    const batchSize = integerOption(NAME, commandLine, 'batch-size', { minimum: 1, maximum: 4096 });
    const seed = integerOption(NAME, commandLine, 'seed', { minimum: 0 });
    const dtype = commandLine.string('dtype');
    const reportPath = commandLine.string('report');
    const storePath = commandLine.string('store');
    const warmStart = commandLine.flag('warm-start');
    if (warmStart && storePath === undefined) {
      throw new UsageError({
        command: NAME,
        message: "'--warm-start' needs '--store <path>' to keep what it learns",
      });
    }
    const downloadDir = commandLine.string('download-dir');
    const { providers, hubUrl } = selectProviders(NAME, commandLine, environment);
    const data = await readLabeledData({
      file: dataFile,
      inputField: commandLine.string('input-field'),
      labelField: commandLine.string('label-field'),
      labelNames: commandLine.list('labels'),
    });

    const runner = transformersJsRunner({
      ...(hubUrl === undefined ? {} : { hubUrl }),
      ...(downloadDir === undefined ? {} : { cacheDir: path.resolve(downloadDir) }),
    });
    const scout = openScout({ storePath, providers, runners: [runner], seed });
    let progress: { stop(): void } | undefined;
    try {
      const candidates = await resolveCandidates(ids, scout, output, signal);
      const task = askedTask ?? sharedTask(candidates);
      if (task === undefined) {
        throw new UsageError({
          command: NAME,
          message: "the models do not share exactly one task: give '--task <task>'",
        });
      }
      const evaluationCandidates: EvaluationCandidate[] = candidates.map((candidate) =>
        dtype === undefined ? candidate : { candidate, dtype },
      );
      progress = showEvaluationProgress(scout.events, output, {
        budgetMs: budgetMs ?? EVALUATION_DEFAULTS.budgetMs,
      });
      // The scores are returned even when the store could not keep them: only this event says so.
      let storeError: StoreError | undefined;
      scout.events.once('evaluation_finished', (event) => {
        storeError = event.storeError;
      });
      const started = Date.now();
      const scores = await scout
        .evaluate(
          {
            candidates: evaluationCandidates,
            data: { task, examples: data.examples },
            race,
            ...(maxSamples === undefined ? {} : { maxSamples }),
            ...(budgetMs === undefined ? {} : { budgetMs }),
            ...(batchSize === undefined ? {} : { batchSize }),
          },
          { signal, warmStart },
        )
        .catch((error: unknown) => {
          // The evaluator refuses data without a usable example: that is the --data file's fault.
          if (InvalidArgumentError.isInstance(error) && error.argument === 'request.data.examples') {
            throw new InputFileError({
              file: dataFile,
              message: error.message.replace(/^Invalid argument '[^']*': has /, ''),
              cause: error,
            });
          }
          throw error;
        });
      const durationMs = Date.now() - started;
      progress.stop();
      progress = undefined;

      const best = bestScore(scores);
      let report: string | null = null;
      if (reportPath !== undefined) {
        report = await writeReport(reportPath, {
          title: `Evaluation: ${task}`,
          dataset: `${path.basename(dataFile)} (${data.examples.length} rows)`,
          scores,
        });
      }
      const document: EvaluationDocument = {
        version: 1,
        task,
        data: { file: dataFile, examples: data.examples.length },
        race,
        best: best?.modelId ?? null,
        durationMs,
        scores,
        store: storePath === undefined || storeError !== undefined ? null : path.resolve(storePath),
        report,
      };
      const numeric = indexLabels(scores);
      if (numeric.length > 0) {
        output.warn(
          `the models never predict the labels ${numeric.join(', ')}: if they are class indices, name them with --labels (e.g. --labels NEGATIVE,POSITIVE)`,
        );
      }
      output.printJson(document);
      output.print(renderScoreTable(scores, output.style));
      if (best !== undefined) {
        output.print();
        output.print(
          `${best.race?.winner === true ? 'Winner' : 'Best'}: ${output.style.bold(best.modelId)} (${best.quality.metric} ${best.quality.value.toFixed(3)})`,
        );
      }
      output.note(`Evaluated in ${formatDuration(durationMs)}.`);
      if (storePath !== undefined && storeError === undefined) {
        output.note(`Scores kept in ${path.resolve(storePath)}.`);
      }
      if (report !== null) output.note(`Report: ${report}`);
      if (storeError !== undefined) {
        output.warn(`the scores could not be kept in ${path.resolve(storePath!)}: ${storeError.message}`);
      }
      if (!scores.some(isMeasured)) output.warn('no model could be measured (see the status column)');
      return scores.some(isMeasured) && storeError === undefined ? EXIT_CODES.ok : EXIT_CODES.failure;
    } finally {
      progress?.stop();
      await scout.close();
    }
  },
};
