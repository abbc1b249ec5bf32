import { readFileSync } from 'node:fs';
import { closestMatch } from '../requirements/closest-match.js';
import type { Command } from './command.js';
import { parseCommandLine } from './command-line.js';
import { COMMANDS, type CommandEntry, type CommandGroup, isCommandGroup } from './command-registry.js';
import { errorDocument, errorLines, redactFor } from './error-report.js';
import { EXIT_CODES, exitCodeOf } from './exit-codes.js';
import { commandHelp, commandOptions, groupHelp, overviewHelp, PROGRAM } from './help-text.js';
import { createOutput, formatJson, type Output, type OutputStream } from './output.js';
import { colorAllowed, textStyle } from './text-style.js';
import { UsageError } from './usage-error.js';

/** What the CLI runs with: its arguments, streams, environment and interruption. */
export interface CliProcess {
  /** The arguments after the program's name. */
  readonly argv: readonly string[];
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Aborted (with an `InterruptedError`) when the process is asked to stop. */
  readonly signal: AbortSignal;
}

/** modelscout's version, from its package.json. */
export function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const version = (parsed as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

const OUTPUT_FLAGS = new Set(['--json', '--quiet', '-q', '--no-color']);

/** `argv` split into the command's words and the rest: output flags may come before the command. */
function splitCommand(argv: readonly string[]): { words: string[]; rest: string[] } {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length && OUTPUT_FLAGS.has(argv[index]!)) leading.push(argv[index++]!);
  const words: string[] = [];
  if (index < argv.length && !argv[index]!.startsWith('-')) words.push(argv[index++]!);
  return { words, rest: [...argv.slice(index), ...leading] };
}

function unknownCommand(
  entries: readonly (CommandEntry | CommandGroup)[],
  word: string,
  group?: string,
): never {
  const names = entries.map((entry) => entry.name);
  const suggestion = closestMatch(word, names);
  throw new UsageError({
    ...(group === undefined ? {} : { command: group }),
    message: `unknown command '${group === undefined ? '' : `${group} `}${word}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`,
  });
}

/**
 * Runs the CLI: finds the command, parses its options, runs it, and turns failures into a
 * one-line message on stderr (and with `--json` an error document on stdout) and an exit status.
 * Resolves to the exit status; never rejects.
 */
export async function runCli(cli: CliProcess): Promise<number> {
  const { argv, stdout, stderr, environment } = cli;
  // Before the command's options are parsed (an error may come first): what follows '--' is
  // arguments, not options.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = options.includes('--json');
  const noColor = options.includes('--no-color');
  const stdoutStyle = textStyle(
    colorAllowed({ isTerminal: stdout.isTTY === true, noColorOption: noColor, environment }),
  );
  const redact = redactFor(environment);
  let output: Output | undefined;
  try {
    // Output flags may come before anything, `--help` and `--version` included.
    const first = argv.find((word) => !OUTPUT_FLAGS.has(word));
    if (first === undefined) {
      stderr.write(`${overviewHelp(packageVersion(), textStyle(false))}\n\n`);
      throw new UsageError({ message: 'missing command' });
    }
    if (first === '--version' || first === '-V') {
      stdout.write(json ? formatJson({ version: packageVersion() }) : `${packageVersion()}\n`);
      return EXIT_CODES.ok;
    }
    if (first === '--help' || first === '-h') {
      stdout.write(`${overviewHelp(packageVersion(), stdoutStyle)}\n`);
      return EXIT_CODES.ok;
    }
    let { words, rest } = splitCommand(argv);
    // `modelscout help [command...]` is `modelscout [command...] --help`.
    if (words[0] === 'help') {
      const topic = rest.filter((word) => !word.startsWith('-'));
      if (topic.length === 0) {
        stdout.write(`${overviewHelp(packageVersion(), stdoutStyle)}\n`);
        return EXIT_CODES.ok;
      }
      ({ words, rest } = splitCommand([...topic, '--help']));
    }
    const name = words[0];
    if (name === undefined) {
      throw new UsageError({ message: `expected a command before '${rest[0] ?? ''}'` });
    }
    const entry = COMMANDS.find((candidate) => candidate.name === name) ?? unknownCommand(COMMANDS, name);
    let command: Command;
    if (isCommandGroup(entry)) {
      // Output flags may come before the group's command too (`cache --json ls`).
      const inner = splitCommand(rest);
      const sub = inner.words[0];
      if (sub === undefined) {
        if (inner.rest.includes('--help') || inner.rest.includes('-h')) {
          stdout.write(`${groupHelp(entry, stdoutStyle)}\n`);
          return EXIT_CODES.ok;
        }
        stderr.write(`${groupHelp(entry, textStyle(false))}\n`);
        throw new UsageError({ command: entry.name, message: `'${entry.name}' needs a command` });
      }
      const subEntry =
        entry.commands.find((candidate) => candidate.name === sub) ??
        unknownCommand(entry.commands, sub, entry.name);
      command = await subEntry.load();
      rest = inner.rest;
    } else command = await entry.load();

    // --help wins over everything else on the line, even options that would not parse.
    const beforeTerminator = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (beforeTerminator.includes('--help') || beforeTerminator.includes('-h')) {
      stdout.write(`${commandHelp(command, stdoutStyle)}\n`);
      return EXIT_CODES.ok;
    }
    const commandLine = parseCommandLine(
      command.name,
      rest,
      commandOptions(command),
      environment.HOME ? { home: environment.HOME } : {},
    );
    if (commandLine.flag('help')) {
      stdout.write(`${commandHelp(command, stdoutStyle)}\n`);
      return EXIT_CODES.ok;
    }
    output = createOutput({
      stdout,
      stderr,
      json: commandLine.flag('json'),
      quiet: commandLine.flag('quiet'),
      noColor: commandLine.flag('no-color'),
      environment,
      redact,
    });
    return await command.run({ commandLine, output, environment, signal: cli.signal });
  } catch (error) {
    const debug = environment.MODELSCOUT_DEBUG === '1';
    const errorStyle = textStyle(
      colorAllowed({ isTerminal: stderr.isTTY === true, noColorOption: noColor, environment }),
    );
    const lines = errorLines(error, { debug }).map(redact);
    lines[0] = lines[0]!.replace(`${PROGRAM}:`, errorStyle.red(`${PROGRAM}:`));
    stderr.write(`${lines.join('\n')}\n`);
    // One JSON document on stdout, always: the error's, unless the command already wrote its own.
    if (json && output?.jsonPrinted !== true) {
      stdout.write(formatJson(redactDocument(errorDocument(error), redact)));
    }
    return exitCodeOf(error);
  }
}

/** `document` with every string redacted. */
function redactDocument(document: unknown, redact: (text: string) => string): unknown {
  if (typeof document === 'string') return redact(document);
  if (Array.isArray(document)) return document.map((item) => redactDocument(item, redact));
  if (document !== null && typeof document === 'object') {
    return Object.fromEntries(
      Object.entries(document).map(([key, value]) => [key, redactDocument(value, redact)]),
    );
  }
  return document;
}
