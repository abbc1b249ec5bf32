import type { CommandLine } from './command-line.js';
import type { OptionDefinition } from './option-definition.js';
import type { Output } from './output.js';

/** What a command runs with. */
export interface CommandContext {
  /** Its arguments, parsed against its options. */
  readonly commandLine: CommandLine;
  /** Where it writes (stdout, stderr; `--json`, `--quiet`, colors). */
  readonly output: Output;
  /** The process environment (`HF_TOKEN`, `HF_ENDPOINT`, `HF_HUB_CACHE`, `NO_COLOR`…). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Aborted with an `InterruptedError` on SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
}

/** Option sets a command shares with others. */
export type OptionGroup = 'providers' | 'store';

/** One command of the CLI, e.g. `search` or `cache prune`. */
export interface Command {
  /** Its name as typed, e.g. `'search'`, `'cache prune'`. */
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** Synopses without the program name, e.g. `'search [text...] [options]'`. */
  readonly usage: readonly string[];
  /** What it does, a paragraph or two. */
  readonly description: string;
  /** Its positional arguments, for `--help`. @default none */
  readonly arguments?: readonly (readonly [name: string, description: string])[];
  /** Its own options (the output options and its groups are added). */
  readonly options: readonly OptionDefinition[];
  /** The shared option sets it takes. */
  readonly optionGroups: readonly OptionGroup[];
  /** Example command lines, without the program name. */
  readonly examples: readonly string[];
  /** Runs it; resolves to the exit status. Throws typed errors, which the CLI maps to statuses. */
  run(context: CommandContext): Promise<number>;
}
