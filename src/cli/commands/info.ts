import { licenseGroup } from '../../core/license.js';
import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { onnxVariantOf } from '../../discovery/providers/onnx-variants.js';
import type { Command } from '../command.js';
import { candidateDocument, providerErrorDocument, warnProviderErrors } from '../discovery-output.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatBytes, formatCount, formatInteger, formatNumber, formatTime } from '../format-values.js';
import { fetchCardSummary } from '../model-card.js';
import { NothingFoundError } from '../nothing-found-error.js';
import { openScout } from '../open-scout.js';
import { expectPositionals } from '../option-values.js';
import type { Output } from '../output.js';
import { selectProviders } from '../providers.js';
import { renderFields, renderTable } from '../text-table.js';

const NAME = 'info';

const list = (values: readonly string[] | undefined): string | undefined =>
  values === undefined || values.length === 0 ? undefined : values.join(', ');

function pricing(model: ModelCandidate): string | undefined {
  const price = model.pricing;
  if (price === undefined) return undefined;
  const parts = [
    price.inputPerMillionTokensUsd === undefined
      ? undefined
      : `$${price.inputPerMillionTokensUsd}/M input tokens`,
    price.outputPerMillionTokensUsd === undefined
      ? undefined
      : `$${price.outputPerMillionTokensUsd}/M output tokens`,
    price.perRequestUsd === undefined ? undefined : `$${price.perRequestUsd}/request`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function printModel(output: Output, model: ModelCandidate, summary: string | undefined): void {
  const { style } = output;
  output.print(style.bold(model.id));
  if (summary !== undefined) output.print(summary);
  output.print();
  const metrics = Object.entries(model.metrics ?? {}).map(
    ([name, value]) => `${name} ${formatNumber(value)}`,
  );
  const copies = (model.localCopies ?? []).map(
    (copy) =>
      `${copy.provider}: ${copy.path ?? '?'}${copy.dtypes === undefined ? '' : ` (${copy.dtypes.join(', ')})`}`,
  );
  output.print(
    renderFields(
      [
        ['tasks', list(model.tasks)],
        ['modalities', list(model.modalities)],
        ['library', model.library],
        ['family', model.family],
        [
          'license',
          model.license === undefined ? 'unknown' : `${model.license} (${licenseGroup(model.license)})`,
        ],
        ['gated', model.gated === undefined ? undefined : model.gated ? 'yes' : 'no'],
        ['parameters', model.parameters === undefined ? undefined : formatInteger(model.parameters)],
        ['size', model.sizeBytes === undefined ? undefined : formatBytes(model.sizeBytes)],
        ['memory', model.memoryBytes === undefined ? undefined : formatBytes(model.memoryBytes)],
        ['dtypes', list(model.dtypes)],
        [
          'context length',
          model.contextLength === undefined ? undefined : formatInteger(model.contextLength),
        ],
        ['pricing', pricing(model)],
        ['capabilities', list(model.capabilities)],
        ['metrics', metrics.length === 0 ? undefined : metrics.join(', ')],
        ['downloads', model.downloads === undefined ? undefined : formatCount(model.downloads)],
        ['likes', model.likes === undefined ? undefined : formatCount(model.likes)],
        ['revision', model.revision],
        ['last modified', model.lastModified === undefined ? undefined : formatTime(model.lastModified)],
        ['providers', list(model.providers) ?? model.provider],
        ['aliases', list(model.aliases)],
        ['local path', model.localPath],
        ...copies.map((copy, index) => [index === 0 ? 'local copies' : '', copy] as const),
      ],
      style,
    ),
  );
  const files = model.files ?? [];
  if (files.length > 0) {
    output.print();
    output.print(
      renderTable<ModelFile>(
        [
          { header: 'file', value: (file) => file.path },
          { header: 'size', value: (file) => formatBytes(file.sizeBytes), align: 'right' },
          { header: 'dtype', value: (file) => onnxVariantOf(file.path)?.dtype ?? '' },
          { header: 'sha256', value: (file) => file.sha256?.slice(0, 12) ?? '' },
        ],
        files,
        style,
      ),
    );
  }
}

/** `modelscout info <model-id>`: everything the providers know about one model. */
export const infoCommand: Command = {
  name: NAME,
  summary: "show one model's details: files, dtypes, sizes, license, tasks, card",
  usage: ['info <model-id> [options]'],
  description:
    'Looks a model up with every provider and prints what they know, merged: tasks, library, license, ' +
    "parameters, size, dtypes, metrics from the card, revision, local copies, every file with its size and dtype, and the card's " +
    'first paragraph. Exits with 4 when no provider knows the model.',
  arguments: [['model-id', 'e.g. Xenova/distilbert-base-uncased-finetuned-sst-2-english']],
  options: [
    {
      name: 'revision',
      type: 'string',
      valueName: '<rev>',
      description: 'a branch, tag or commit (default: the latest)',
    },
  ],
  optionGroups: ['providers'],
  examples: [
    'info Xenova/distilbert-base-uncased-finetuned-sst-2-english',
    'info modelscout/sst2-bow-logreg --hub http://127.0.0.1:8080 --json',
  ],
  async run({ commandLine, output, environment, signal }) {
    const [id] = expectPositionals(NAME, commandLine, { minimum: 1, maximum: 1, name: 'model id' });
    const revision = commandLine.string('revision');
    const { providers, hubUrl, accessToken } = selectProviders(NAME, commandLine, environment);
    const scout = openScout({ providers });
    try {
      const lookup = await scout.discovery.getModel(id!, {
        signal,
        ...(revision === undefined ? {} : { revision }),
      });
      if (lookup.candidates.length === 0) {
        // A provider that failed might have known it: that is a failure, not an answer.
        if (lookup.errors.length > 0) throw lookup.errors[0]!;
        throw new NothingFoundError({
          message: `no provider knows model '${id}'${revision === undefined ? '' : ` at revision '${revision}'`}`,
        });
      }
      warnProviderErrors(output, lookup.errors);
      const summaries = await Promise.all(
        lookup.candidates.map((candidate) => fetchCardSummary(candidate, { hubUrl, accessToken, signal })),
      );
      output.printJson({
        candidates: lookup.candidates.map((candidate, index) => ({
          ...candidateDocument(candidate),
          cardSummary: summaries[index] ?? null,
        })),
        errors: lookup.errors.map((error) => providerErrorDocument(error, output.redact)),
      });
      lookup.candidates.forEach((candidate, index) => {
        if (index > 0) output.print();
        printModel(output, candidate, summaries[index]);
      });
      return EXIT_CODES.ok;
    } finally {
      await scout.close();
    }
  },
};
