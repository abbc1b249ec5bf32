import { createCacheManager } from '../../lifecycle/cache/create-cache-manager.js';
import type { CacheProblem } from '../../lifecycle/cache/verification-report.js';
import { CACHE_DIRECTORY_OPTION, cacheDirectory } from '../cache-options.js';
import type { Command } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatBytes } from '../format-values.js';
import { NothingFoundError } from '../nothing-found-error.js';
import { expectPositionals } from '../option-values.js';
import { renderTable } from '../text-table.js';

const NAME = 'cache verify';

/** `modelscout cache verify`: every cached blob checked against its hash. */
export const cacheVerifyCommand: Command = {
  name: NAME,
  summary: 'check every cached file against its hash',
  usage: ['cache verify [--dir <dir>] [--model <id>...] [options]'],
  description:
    'Hashes every blob of the Hugging Face cache once (sha256 for 64-hex names, the git blob sha1 for 40-hex ' +
    'names) and reports corrupted blobs, broken links and interrupted downloads. Exits with 1 when it finds a ' +
    'problem, 0 when everything checks out, 4 when the cache holds none of the --model models.',
  options: [
    CACHE_DIRECTORY_OPTION,
    {
      name: 'model',
      type: 'string',
      valueName: '<id>',
      multiple: true,
      variadic: true,
      description: 'only these models',
    },
  ],
  optionGroups: [],
  examples: ['cache verify', 'cache verify --model Xenova/all-MiniLM-L6-v2 --json'],
  async run({ commandLine, output, environment, signal }) {
    expectPositionals(NAME, commandLine, {});
    const models = commandLine.list('model');
    const cache = createCacheManager({ cacheDirectory: cacheDirectory(commandLine, environment) });
    const report = await cache.verify({ signal, ...(models.length === 0 ? {} : { models }) });
    // A model the cache does not hold has nothing to check: "OK" would say it was checked.
    const held = new Set([...report.files, ...report.problems].map((entry) => entry.modelId));
    const missing = models.filter((model) => !held.has(model));
    if (missing.length > 0 && missing.length === models.length) {
      throw new NothingFoundError({
        message: `the cache in ${report.directory} holds no ${missing.join(', ')}`,
      });
    }
    for (const model of missing) output.warn(`the cache in ${report.directory} holds no ${model}`);
    output.printJson(report);
    if (report.problems.length > 0) {
      output.print(
        renderTable<CacheProblem>(
          [
            {
              header: 'problem',
              value: (problem) => problem.kind,
              style: (text, _, style) => style.red(text),
            },
            { header: 'model', value: (problem) => problem.modelId },
            { header: 'file', value: (problem) => problem.file ?? problem.path },
            { header: 'detail', value: (problem) => problem.message },
          ],
          report.problems,
          output.style,
        ),
      );
    }
    const summary = `${report.checkedBlobs} blob${report.checkedBlobs === 1 ? '' : 's'} (${formatBytes(report.checkedBytes)}) checked in ${report.directory}`;
    if (report.ok) {
      output.print(`OK: ${summary}, no problem found.`);
      return EXIT_CODES.ok;
    }
    output.print(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}: ${summary}.`);
    return EXIT_CODES.failure;
  },
};
