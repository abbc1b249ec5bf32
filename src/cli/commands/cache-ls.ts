import type { CachedRepositoryInfo } from '../../lifecycle/cache/cache-report.js';
import { createCacheManager } from '../../lifecycle/cache/create-cache-manager.js';
import { CACHE_DIRECTORY_OPTION, cacheDirectory } from '../cache-options.js';
import type { Command } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatBytes, formatTime } from '../format-values.js';
import { expectPositionals } from '../option-values.js';
import { renderTable } from '../text-table.js';

const NAME = 'cache ls';

/** `modelscout cache ls`: what the Hugging Face cache holds. */
export const cacheListCommand: Command = {
  name: NAME,
  summary: 'list the cached models, their revisions and sizes',
  usage: ['cache ls [--dir <dir>] [options]'],
  description:
    'Lists the models of the Hugging Face cache (the models--org--name folders that huggingface_hub, ' +
    'transformers.js and modelscout write): revisions, refs, size on disk (each blob counted once) and last ' +
    'access. Entries that are not models or are broken are reported on stderr, not fatal. A missing cache ' +
    'folder is an empty cache.',
  options: [CACHE_DIRECTORY_OPTION],
  optionGroups: [],
  examples: ['cache ls', 'cache ls --dir /data/hf-cache --json'],
  async run({ commandLine, output, environment }) {
    expectPositionals(NAME, commandLine, {});
    const cache = createCacheManager({ cacheDirectory: cacheDirectory(commandLine, environment) });
    const report = await cache.scan();
    for (const warning of report.warnings) output.warn(`${warning.path}: ${warning.message}`);
    output.printJson(report);
    if (report.repositories.length > 0) {
      output.print(
        renderTable<CachedRepositoryInfo>(
          [
            { header: 'model', value: (repository) => repository.id },
            {
              header: 'revisions',
              value: (repository) => String(repository.revisions.length),
              align: 'right',
            },
            {
              header: 'refs',
              value: (repository) => repository.refs.map((reference) => reference.name).join(', ') || '—',
            },
            { header: 'size', value: (repository) => formatBytes(repository.sizeOnDisk), align: 'right' },
            { header: 'last access', value: (repository) => formatTime(repository.lastAccess) },
          ],
          report.repositories,
          output.style,
        ),
      );
    }
    const count = report.repositories.length;
    output.note(
      `${count} model${count === 1 ? '' : 's'}, ${report.revisionCount} revision${report.revisionCount === 1 ? '' : 's'}, ${formatBytes(report.sizeOnDisk)} in ${report.directory}${report.exists ? '' : ' (no such folder yet)'}`,
    );
    return EXIT_CODES.ok;
  },
};
