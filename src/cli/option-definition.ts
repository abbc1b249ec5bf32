/** One command-line option of a command, as parsed and as `--help` lists it. */
export interface OptionDefinition {
  /** The long name without dashes, e.g. `'max-size'`. */
  readonly name: string;
  /** A one-letter alias without the dash, e.g. `'h'`. */
  readonly short?: string;
  /** `'boolean'` for flags, `'string'` for options with a value. */
  readonly type: 'string' | 'boolean';
  /** How `--help` names the value, e.g. `'<url>'`. @default '<value>' */
  readonly valueName?: string;
  /** What it does, for `--help`. */
  readonly description: string;
  /** Whether it may be given more than once (every value is kept). @default false */
  readonly multiple?: boolean;
  /**
   * Whether the words after its value belong to it too, up to the next option:
   * `--candidates a b c`. Implies `multiple`. @default false
   */
  readonly variadic?: boolean;
  /** Whether the value may be left out (`--cache` or `--cache=<dir>`; a value needs the `=`). @default false */
  readonly optionalValue?: boolean;
  /**
   * Whether the value is a file or folder: a leading `~` is the home folder, as the shell would
   * have it (it does not expand `--out=~/x`). @default false
   */
  readonly path?: boolean;
}

/** `--json`, `--quiet`, `--no-color`, `--help`: every command has them. */
export const OUTPUT_OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'json',
    type: 'boolean',
    description: 'print one JSON document on stdout (progress and notes go to stderr)',
  },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress and no notes on stderr' },
  {
    name: 'no-color',
    type: 'boolean',
    description: 'no colors (also when NO_COLOR is set, or the output is not a terminal)',
  },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

/** `--hub`, `--local`, `--cache`: where models are looked for. */
export const PROVIDER_OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'hub',
    type: 'string',
    valueName: '<url>',
    description:
      'a Hugging Face Hub or a compatible server (a mirror, modelscout hub serve); HF_TOKEN is sent only over HTTPS or to this machine',
  },
  {
    name: 'local',
    type: 'string',
    path: true,
    valueName: '<dir>',
    description: 'a folder of model folders (org/name/ with a config.json or a .gguf file)',
  },
  {
    name: 'cache',
    type: 'string',
    path: true,
    valueName: '[=<dir>]',
    optionalValue: true,
    description: 'the Hugging Face cache (default HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub)',
  },
];

/** `--store`: the embedded SQLite store. */
export const STORE_OPTION: OptionDefinition = {
  name: 'store',
  type: 'string',
  path: true,
  valueName: '<path>',
  description: 'a SQLite file keeping what modelscout learns and measures (created when missing)',
};
