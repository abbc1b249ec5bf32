import type { LicensePolicy } from '../../core/license-policy.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { CANDIDATE_SORT_KEYS } from '../../discovery/search/candidate-query.js';
import type { DiscoveryQuery } from '../../discovery/service/discovery-result.js';
import type { Command } from '../command.js';
import { candidateDocument, providerErrorDocument, warnProviderErrors } from '../discovery-output.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatBytes, formatCount, UNKNOWN } from '../format-values.js';
import { openScout } from '../open-scout.js';
import { byteSizeOption, choiceOption, integerOption } from '../option-values.js';
import { selectProviders } from '../providers.js';
import { taskOption } from '../task-option.js';
import { renderTable } from '../text-table.js';

const NAME = 'search';

/** `modelscout search`: a table of the models matching a query across the providers. */
export const searchCommand: Command = {
  name: NAME,
  summary: 'find models by text, task, library, license and size',
  usage: ['search [text...] [options]'],
  description:
    'Finds models across the providers (the Hub, a local folder, the Hugging Face cache) and prints ' +
    'a table: id, task, library, size, downloads and likes (when the provider knows them), license. ' +
    'A filter matches what a model declares: a model without a declared size does not match --max-size. ' +
    'A provider that fails is reported on stderr; the others still answer. Exits with 4 when nothing matches.',
  arguments: [['text...', 'free text over ids, tasks, libraries and licenses (every word must match)']],
  options: [
    {
      name: 'task',
      type: 'string',
      valueName: '<task>',
      description: 'a @huggingface/tasks task, e.g. text-classification',
    },
    {
      name: 'library',
      type: 'string',
      valueName: '<name>',
      description: 'the library, e.g. transformers.js, gguf',
    },
    {
      name: 'license',
      type: 'string',
      valueName: '<list>',
      multiple: true,
      description:
        'allowed licenses: SPDX ids or groups (permissive, weak-copyleft, strong-copyleft, non-commercial), comma-separated',
    },
    {
      name: 'max-size',
      type: 'string',
      valueName: '<size>',
      description: 'largest size of the weights, e.g. 50MB, 2GiB',
    },
    { name: 'limit', type: 'string', valueName: '<n>', description: 'the most models to list (default 20)' },
    {
      name: 'sort',
      type: 'string',
      valueName: '<key>',
      description: `${CANDIDATE_SORT_KEYS.join(', ')} (default: relevance with text, else downloads)`,
    },
  ],
  optionGroups: ['providers'],
  examples: [
    'search sentiment --task text-classification --max-size 50MB',
    'search --hub http://127.0.0.1:8080 --license permissive --sort size',
    'search bert --local ./models --json',
  ],
  async run({ commandLine, output, environment, signal }) {
    const text = commandLine.positionals.join(' ').trim();
    const task = taskOption(NAME, commandLine);
    const library = commandLine.string('library');
    const licenses = commandLine.list('license');
    const maxSizeBytes = byteSizeOption(NAME, commandLine, 'max-size');
    const limit = integerOption(NAME, commandLine, 'limit', { minimum: 1, maximum: 10_000 }) ?? 20;
    const sort = choiceOption(NAME, commandLine, 'sort', CANDIDATE_SORT_KEYS);
    const { providers } = selectProviders(NAME, commandLine, environment);

    const license: LicensePolicy | undefined = licenses.length === 0 ? undefined : { allow: licenses };
    const query: DiscoveryQuery = {
      ...(text === '' ? {} : { text }),
      ...(task === undefined ? {} : { task }),
      ...(library === undefined ? {} : { library }),
      ...(license === undefined ? {} : { license }),
      ...(maxSizeBytes === undefined ? {} : { maxSizeBytes }),
      ...(sort === undefined ? {} : { sort }),
      limit,
    };
    const scout = openScout({ providers });
    try {
      const result = await scout.discover(query, { signal });
      if (result.errors.length > 0 && result.errors.length === result.providers.length) {
        // Every provider failed: there is no answer to give.
        throw result.errors[0]!;
      }
      warnProviderErrors(output, result.errors);
      output.printJson({
        query,
        total: result.total,
        candidates: result.candidates.map(candidateDocument),
        facets: result.facets,
        providers: result.providers,
        errors: result.errors.map((error) => providerErrorDocument(error, output.redact)),
      });
      if (result.total === 0) {
        output.note('modelscout: no model matches');
        return EXIT_CODES.nothingFound;
      }
      output.print(
        renderTable<ModelCandidate>(
          [
            { header: 'id', value: (model) => model.id },
            { header: 'task', value: (model) => model.tasks?.join(', ') || UNKNOWN },
            { header: 'library', value: (model) => model.library ?? UNKNOWN },
            { header: 'size', value: (model) => formatBytes(model.sizeBytes), align: 'right' },
            { header: 'downloads', value: (model) => formatCount(model.downloads), align: 'right' },
            { header: 'likes', value: (model) => formatCount(model.likes), align: 'right' },
            { header: 'license', value: (model) => model.license ?? UNKNOWN },
          ],
          result.candidates,
          output.style,
        ),
      );
      const shown = result.candidates.length;
      output.note(
        `${result.total} model${result.total === 1 ? '' : 's'} found${shown < result.total ? `, ${shown} shown (--limit)` : ''}`,
      );
      return EXIT_CODES.ok;
    } finally {
      await scout.close();
    }
  },
};
