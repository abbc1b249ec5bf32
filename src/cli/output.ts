import { colorAllowed, type TextStyle, textStyle } from './text-style.js';

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test double. */
export interface OutputStream {
  write(text: string): boolean;
  /** Whether it is a terminal (progress is redrawn in place only on a terminal). */
  readonly isTTY?: boolean;
  /** Its width in columns, when it is a terminal. */
  readonly columns?: number;
}

/**
 * Where a command writes. Human output goes to stdout; with `--json` stdout carries exactly one
 * JSON document and everything else (progress, notes, warnings) goes to stderr.
 */
export interface Output {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Whether `--quiet` was given: no progress and no notes on stderr (warnings and errors still). */
  readonly quiet: boolean;
  /** Styling of stdout (off unless it is a terminal and color is allowed). */
  readonly style: TextStyle;
  /** Styling of stderr. */
  readonly errorStyle: TextStyle;
  /** Whether stderr is a terminal that can move its cursor (not `TERM=dumb`): progress bars are redrawn in place only then. */
  readonly stderrIsTerminal: boolean;
  /** The width of stderr in columns, when it is a terminal. */
  readonly stderrColumns: number | undefined;
  /** Writes human output (a line, or several) on stdout; ignored with `--json`. */
  print(text?: string): void;
  /** Writes the command's JSON document on stdout; only with `--json`, once. */
  printJson(document: unknown): void;
  /** Whether the JSON document was written (a later failure must not write a second one). */
  readonly jsonPrinted: boolean;
  /** A note for people on stderr (ignored with `--quiet`). */
  note(text: string): void;
  /** A warning on stderr, `modelscout: warning: …` (even with `--quiet`), redacted of secrets. */
  warn(text: string): void;
  /** `text` without secrets (`HF_TOKEN`'s value, token-like strings): for messages of others' errors. */
  redact(text: string): string;
  /** Writes `text` on stderr as it is (progress rendering). */
  writeError(text: string): void;
}

/** Options of {@link createOutput}. */
export interface OutputOptions {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly noColor: boolean;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Removes secrets from warnings. @default nothing removed */
  readonly redact?: (text: string) => string;
}

/** Serializes a JSON document the way `--json` prints it: indented, one trailing newline. */
export function formatJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The {@link Output} of one command run. */
export function createOutput({
  stdout,
  stderr,
  json,
  quiet,
  noColor,
  environment,
  redact = (text) => text,
}: OutputOptions): Output {
  const style = textStyle(
    colorAllowed({ isTerminal: stdout.isTTY === true, noColorOption: noColor, environment }),
  );
  const errorStyle = textStyle(
    colorAllowed({ isTerminal: stderr.isTTY === true, noColorOption: noColor, environment }),
  );
  let printedJson = false;
  // A dumb terminal (an Emacs shell) is a TTY that cannot move the cursor: progress is plain there.
  const cursorTerminal = stderr.isTTY === true && environment.TERM !== 'dumb';
  return {
    json,
    quiet,
    style,
    errorStyle,
    stderrIsTerminal: cursorTerminal,
    stderrColumns:
      cursorTerminal && stderr.columns !== undefined && stderr.columns > 0 ? stderr.columns : undefined,
    print(text = '') {
      if (!json) stdout.write(`${text}\n`);
    },
    printJson(document) {
      if (!json || printedJson) return;
      printedJson = true;
      stdout.write(formatJson(document));
    },
    get jsonPrinted() {
      return printedJson;
    },
    note(text) {
      if (!quiet) stderr.write(`${text}\n`);
    },
    warn(text) {
      stderr.write(`${errorStyle.yellow('modelscout: warning:')} ${redact(text)}\n`);
    },
    redact,
    writeError(text) {
      stderr.write(text);
    },
  };
}
