import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { createCacheManager } from '../../lifecycle/cache/create-cache-manager.js';
import { type CachePruneOptions, KNOWN_DTYPES } from '../../lifecycle/cache/prune-options.js';
import type {
  CacheFileRemoval,
  CachePrunePlan,
  CacheRevisionRemoval,
} from '../../lifecycle/cache/prune-plan.js';
import { CACHE_DIRECTORY_OPTION, cacheDirectory } from '../cache-options.js';
import type { Command } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatBytes, formatTime } from '../format-values.js';
import { byteSizeOption, expectPositionals, integerOption } from '../option-values.js';
import type { Output } from '../output.js';
import { renderTable } from '../text-table.js';
import { UsageError } from '../usage-error.js';

const NAME = 'cache prune';

interface Removal {
  readonly kind: 'revision' | 'file';
  readonly modelId: string;
  readonly what: string;
  readonly reason: string;
  readonly freedBytes: number;
  readonly lastAccess: number | undefined;
}

function removals(plan: CachePrunePlan): Removal[] {
  const revisions = plan.revisions.map(
    (revision: CacheRevisionRemoval): Removal => ({
      kind: 'revision',
      modelId: revision.modelId,
      what: `${revision.commit.slice(0, 12)}${revision.refs.length === 0 ? '' : ` (${revision.refs.join(', ')})`}`,
      reason: revision.reason === 'budget' ? 'size budget (least recently used)' : 'no ref points to it',
      freedBytes: revision.freedBytes,
      lastAccess: revision.lastAccess,
    }),
  );
  const files = plan.files.map(
    (file: CacheFileRemoval): Removal => ({
      kind: 'file',
      modelId: file.modelId,
      what: file.path,
      reason: `unused dtype ${file.dtype}`,
      freedBytes: file.freedBytes,
      lastAccess: undefined,
    }),
  );
  return [...revisions, ...files];
}

function planDocument(plan: CachePrunePlan) {
  const { execute: _execute, ...rest } = plan;
  return rest;
}

function printPlan(output: Output, plan: CachePrunePlan): void {
  const rows = removals(plan);
  if (rows.length > 0) {
    output.print(
      renderTable<Removal>(
        [
          { header: 'remove', value: (row) => row.kind },
          { header: 'model', value: (row) => row.modelId },
          { header: 'what', value: (row) => row.what },
          { header: 'why', value: (row) => row.reason },
          // Files removed from kept revisions have no last access of their own.
          ...(plan.revisions.length === 0
            ? []
            : [
                {
                  header: 'last access',
                  value: (row: Removal) => (row.lastAccess === undefined ? '' : formatTime(row.lastAccess)),
                },
              ]),
          { header: 'frees', value: (row) => formatBytes(row.freedBytes), align: 'right' },
        ],
        rows,
        output.style,
      ),
    );
  }
  for (const note of plan.notes) output.note(note);
  if (plan.budget?.message !== undefined) output.warn(plan.budget.message);
}

/** `modelscout cache prune`: a removal plan for the cache, carried out with `--yes`. */
export const cachePruneCommand: Command = {
  name: NAME,
  summary: 'plan (and with --yes, do) removals: size budget, unused revisions or dtypes',
  usage: ['cache prune (--budget <size> | --unused-revisions | --unused-dtypes <keep>) [--yes] [options]'],
  description:
    'Plans what to remove from the Hugging Face cache and prints it: whole revisions to fit a size budget ' +
    '(least recently used first), revisions no ref points to, ONNX weights of dtypes you do not use. It is a ' +
    'dry run unless --yes is given; then it removes what the plan lists (snapshot entries, refs, then blobs ' +
    'nothing links to any more) and prints what it freed. Pinned models are never removed. Nothing outside ' +
    'the cache folder is ever touched.',
  options: [
    CACHE_DIRECTORY_OPTION,
    {
      name: 'budget',
      type: 'string',
      valueName: '<size>',
      description: 'evict whole revisions until the cache fits, e.g. 5GB, 500MiB',
    },
    {
      name: 'unused-revisions',
      type: 'boolean',
      description: 'remove revisions that no ref (main, a tag) points to',
    },
    {
      name: 'keep-newest',
      type: 'string',
      valueName: '<n>',
      description: 'with --unused-revisions: keep the n newest of each model (default 0)',
    },
    {
      name: 'unused-dtypes',
      type: 'string',
      valueName: '<keep>',
      description:
        'remove ONNX weights of every dtype but these, comma-separated, e.g. q8 (a model never loses all its weights)',
    },
    {
      name: 'pin',
      type: 'string',
      valueName: '<id[@rev]>',
      multiple: true,
      description: 'never remove this model (or revision); repeatable',
    },
    { name: 'dry-run', type: 'boolean', description: 'only print the plan (the default)' },
    { name: 'yes', short: 'y', type: 'boolean', description: 'remove what the plan lists' },
  ],
  optionGroups: [],
  examples: [
    'cache prune --budget 5GB',
    'cache prune --unused-revisions --keep-newest 1 --yes',
    'cache prune --unused-dtypes q8 --pin Xenova/all-MiniLM-L6-v2 --json',
  ],
  async run({ commandLine, output, environment }) {
    expectPositionals(NAME, commandLine, {});
    if (commandLine.flag('yes') && commandLine.flag('dry-run')) {
      throw new UsageError({ command: NAME, message: "'--yes' and '--dry-run' contradict each other" });
    }
    const budget = byteSizeOption(NAME, commandLine, 'budget');
    const keepNewest = integerOption(NAME, commandLine, 'keep-newest', { minimum: 0 });
    const unusedRevisions = commandLine.flag('unused-revisions');
    if (keepNewest !== undefined && !unusedRevisions) {
      throw new UsageError({ command: NAME, message: "'--keep-newest' goes with '--unused-revisions'" });
    }
    const keepDtypes = commandLine.list('unused-dtypes');
    const unknownDtype = keepDtypes.find((dtype) => !KNOWN_DTYPES.includes(dtype));
    if (unknownDtype !== undefined) {
      throw new UsageError({
        command: NAME,
        message: `option '--unused-dtypes': '${unknownDtype}' is not a dtype (${KNOWN_DTYPES.join(', ')})`,
      });
    }
    if (budget === undefined && !unusedRevisions && keepDtypes.length === 0) {
      throw new UsageError({
        command: NAME,
        message: 'choose what to prune: --budget <size>, --unused-revisions or --unused-dtypes <keep>',
      });
    }
    const options: CachePruneOptions = {
      ...(budget === undefined ? {} : { budget }),
      ...(unusedRevisions ? { unusedRevisions: { keepNewest: keepNewest ?? 0 } } : {}),
      ...(keepDtypes.length === 0 ? {} : { unusedDtypes: { keep: keepDtypes } }),
      pins: commandLine.list('pin'),
    };
    const cache = createCacheManager({ cacheDirectory: cacheDirectory(commandLine, environment) });
    let plan: CachePrunePlan;
    try {
      plan = await cache.prune(options);
    } catch (error) {
      // The library names its own option (`options.pins[0]`): name the command line's.
      if (InvalidArgumentError.isInstance(error) && error.argument.startsWith('options.pins')) {
        const reason = error.message.replace(/^Invalid argument '[^']*': /, '');
        throw new UsageError({
          command: NAME,
          message: `option '--pin': '${String(error.value)}' ${reason}`,
          cause: error,
        });
      }
      throw error;
    }
    const execute = commandLine.flag('yes');
    printPlan(output, plan);
    const nothing = plan.revisions.length === 0 && plan.files.length === 0;
    if (!execute) {
      output.printJson({ dryRun: true, plan: planDocument(plan), result: null });
      output.print(
        nothing
          ? `Nothing to remove (${formatBytes(plan.sizeBeforeBytes)} in ${plan.directory}).`
          : `Would free ${formatBytes(plan.expectedFreedBytes)}: ${formatBytes(plan.sizeBeforeBytes)} → ${formatBytes(plan.expectedSizeAfterBytes)}. Nothing was removed; run again with --yes to remove it.`,
      );
      return EXIT_CODES.ok;
    }
    const result = await plan.execute();
    output.printJson({ dryRun: false, plan: planDocument(plan), result });
    output.print(
      `Freed ${formatBytes(result.freedBytes)}: removed ${result.removedRevisions.length} revision${result.removedRevisions.length === 1 ? '' : 's'} and ${result.removedFiles.length} file${result.removedFiles.length === 1 ? '' : 's'} from ${plan.directory}.`,
    );
    for (const skipped of result.skipped) output.warn(`left in place (${skipped.reason}): ${skipped.path}`);
    return EXIT_CODES.ok;
  },
};
