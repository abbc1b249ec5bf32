import { parseByteSize } from '../requirements/human-size.js';
import type { CommandLine } from './command-line.js';
import { UsageError } from './usage-error.js';

/** The value of an integer option, checked against its bounds; `undefined` when it was not given. */
export function integerOption(
  command: string,
  commandLine: CommandLine,
  name: string,
  { minimum = 0, maximum = Number.MAX_SAFE_INTEGER }: { minimum?: number; maximum?: number } = {},
): number | undefined {
  const text = commandLine.string(name);
  if (text === undefined) return undefined;
  // Decimal digits only (`1_000` too): Number() would also take '0x10', '1e3', '2.0' and ' 3'.
  const value = /^-?\d+(?:_\d+)*$/.test(text) ? Number(text.replace(/_/g, '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `≥ ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new UsageError({
      command,
      message: `option '--${name}' must be an integer ${range}, not '${text}'`,
    });
  }
  return value;
}

/** The value of a byte-size option (`500MB`, `2GiB`, `1500000`); `undefined` when it was not given. */
export function byteSizeOption(command: string, commandLine: CommandLine, name: string): number | undefined {
  const text = commandLine.string(name);
  if (text === undefined) return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined) {
    throw new UsageError({
      command,
      message: `option '--${name}' must be a size such as 500MB, 2GiB or 1500000, not '${text}'`,
    });
  }
  return bytes;
}

/** The value of an option that takes one of `choices`; `undefined` when it was not given. */
export function choiceOption<Choice extends string>(
  command: string,
  commandLine: CommandLine,
  name: string,
  choices: readonly Choice[],
): Choice | undefined {
  const text = commandLine.string(name);
  if (text === undefined) return undefined;
  const choice = choices.find((candidate) => candidate === text);
  if (choice === undefined) {
    throw new UsageError({
      command,
      message: `option '--${name}' must be one of ${choices.join(', ')}, not '${text}'`,
    });
  }
  return choice;
}

/** The value of a URL option (http or https); `undefined` when it was not given. */
export function urlOption(command: string, commandLine: CommandLine, name: string): string | undefined {
  const text = commandLine.string(name);
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError({
      command,
      message: `option '--${name}' must be an http(s) URL such as http://127.0.0.1:8080, not '${text}'`,
    });
  }
  return text.replace(/\/+$/, '');
}

/** Refuses positional arguments where a command takes none, or more than it takes. */
export function expectPositionals(
  command: string,
  commandLine: CommandLine,
  { minimum = 0, maximum = 0, name = 'argument' }: { minimum?: number; maximum?: number; name?: string },
): readonly string[] {
  const { positionals } = commandLine;
  if (positionals.length < minimum) {
    throw new UsageError({ command, message: `missing ${name}` });
  }
  if (positionals.length > maximum) {
    throw new UsageError({
      command,
      message: `unexpected argument '${positionals[maximum]}'`,
    });
  }
  return positionals;
}

/** The value of a required option. */
export function requiredOption(command: string, commandLine: CommandLine, name: string, valueName: string) {
  const value = commandLine.string(name);
  if (value === undefined) {
    throw new UsageError({ command, message: `missing option '--${name} ${valueName}'` });
  }
  return value;
}
