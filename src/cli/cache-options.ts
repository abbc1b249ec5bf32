import path from 'node:path';
import { defaultHuggingFaceCacheDirectory } from '../discovery/providers/hf-cache-layout.js';
import type { CommandLine } from './command-line.js';
import type { OptionDefinition } from './option-definition.js';

/** `--dir`: the Hugging Face cache folder the `cache` commands work on. */
export const CACHE_DIRECTORY_OPTION: OptionDefinition = {
  name: 'dir',
  type: 'string',
  path: true,
  valueName: '<dir>',
  description:
    'the Hugging Face cache folder (default HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)',
};

/** The cache folder of `--dir`, else the default one (read from the environment). */
export function cacheDirectory(
  commandLine: CommandLine,
  environment: Readonly<Record<string, string | undefined>>,
): string {
  const directory = commandLine.string('dir');
  return directory === undefined ? defaultHuggingFaceCacheDirectory(environment) : path.resolve(directory);
}
