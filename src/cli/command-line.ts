import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closestMatch } from '../requirements/closest-match.js';
import type { OptionDefinition } from './option-definition.js';
import { UsageError } from './usage-error.js';

/** A command's arguments, parsed against its options. */
export interface CommandLine {
  /** The arguments that are not options (or values of options), in order. */
  readonly positionals: readonly string[];
  /** Whether the option was given. */
  has(name: string): boolean;
  /** A flag's value: whether it was given. */
  flag(name: string): boolean;
  /** The last value given to an option, or `undefined`. */
  string(name: string): string | undefined;
  /** Every value given to an option, in order, comma-separated lists split. */
  list(name: string): readonly string[];
}

/** The `--` prefixed spelling of an option, for messages. */
export function optionName(name: string): string {
  return `--${name}`;
}

/**
 * `value` with a leading `~` (alone, or before a separator) replaced by `home`: the shell expands
 * `--out ~/x` but not `--out=~/x`, nor a quoted `'~/x'`. `~user` is left as it is.
 */
export function expandHome(value: string, home: string): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || (path.sep === '\\' && value.startsWith('~\\'))) {
    return path.join(home, value.slice(2));
  }
  return value;
}

/**
 * Parses `args` (what follows the command's name) with `util.parseArgs`'s tokenizer, then checks
 * every token against `options`: unknown options (with the closest known one suggested), values
 * given to flags, missing values, and positionals where the command takes none. A leading `~` of
 * a path option's value is `home`.
 *
 * @throws {UsageError} for any of those.
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: readonly OptionDefinition[],
  { home = homedir() }: { readonly home?: string } = {},
): CommandLine {
  const byName = new Map(options.map((option) => [option.name, option]));
  const config: Record<string, { type: 'string' | 'boolean'; multiple: true; short?: string }> = {};
  for (const option of options) {
    config[option.name] = {
      type: option.type,
      multiple: true,
      ...(option.short === undefined ? {} : { short: option.short }),
    };
  }
  // An option whose value is optional is given as `--cache` or `--cache=<dir>`: a bare one is
  // rewritten so that the tokenizer does not take the next word as its value.
  const terminator = args.indexOf('--');
  const prepared = args.map((arg, index) => {
    if (terminator !== -1 && index > terminator) return arg;
    const option = arg.startsWith('--') ? byName.get(arg.slice(2)) : undefined;
    return option?.optionalValue === true ? `${arg}=` : arg;
  });

  let tokens: ReturnType<typeof parseArgs>['tokens'];
  try {
    tokens = parseArgs({
      args: prepared,
      options: config,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }).tokens;
  } catch (error) {
    throw new UsageError({
      command,
      message: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }

  const values = new Map<string, (string | true)[]>();
  const positionals: string[] = [];
  let variadic: OptionDefinition | undefined;
  let afterTerminator = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      afterTerminator = true;
      variadic = undefined;
      continue;
    }
    if (token.kind === 'positional') {
      if (variadic !== undefined && !afterTerminator) values.get(variadic.name)!.push(token.value);
      else positionals.push(token.value);
      continue;
    }
    variadic = undefined;
    const option = byName.get(token.name);
    if (option === undefined) {
      const known = options.map((candidate) => optionName(candidate.name));
      const suggestion = closestMatch(`--${token.name}`, known);
      throw new UsageError({
        command,
        message: `unknown option '${token.rawName}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`,
      });
    }
    const shown = optionName(option.name);
    if (option.type === 'boolean') {
      if (token.value !== undefined) {
        throw new UsageError({ command, message: `option '${shown}' takes no value` });
      }
      values.set(option.name, [...(values.get(option.name) ?? []), true]);
      continue;
    }
    let value = token.value;
    if (value === '' && option.optionalValue !== true) value = undefined;
    // The tokenizer takes the next word as the value even when it is an option: refuse that.
    if (value !== undefined && token.inlineValue === false && /^-[^\d.]/.test(value)) value = undefined;
    if (value === undefined) {
      throw new UsageError({
        command,
        message: `option '${shown}' needs a value ${option.valueName ?? '<value>'}`,
      });
    }
    const previous = values.get(option.name) ?? [];
    if (previous.length > 0 && option.multiple !== true && option.variadic !== true) {
      throw new UsageError({ command, message: `option '${shown}' was given more than once` });
    }
    values.set(option.name, [...previous, option.path === true ? expandHome(value, home) : value]);
    if (option.variadic === true) variadic = option;
  }

  const strings = (name: string): string[] =>
    (values.get(name) ?? []).filter((value): value is string => typeof value === 'string');
  return {
    positionals,
    has: (name) => values.has(name),
    flag: (name) => values.has(name),
    string: (name) => strings(name).at(-1),
    list: (name) =>
      strings(name)
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter((value) => value !== ''),
  };
}
