/** ANSI styling for one output stream; every method returns its text unchanged when styling is off. */
export interface TextStyle {
  /** Whether escape sequences are written at all. */
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** A {@link TextStyle} that styles when `enabled`, else passes text through. */
export function textStyle(enabled: boolean): TextStyle {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/**
 * Whether a stream may be styled: it is a terminal, `--no-color` was not given, `NO_COLOR` is
 * unset or empty (https://no-color.org), and `TERM` is not `dumb`.
 */
export function colorAllowed({
  isTerminal,
  noColorOption,
  environment,
}: {
  readonly isTerminal: boolean;
  readonly noColorOption: boolean;
  readonly environment: Readonly<Record<string, string | undefined>>;
}): boolean {
  if (!isTerminal || noColorOption) return false;
  const noColor = environment.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return environment.TERM !== 'dumb';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
const ESCAPE_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** `text` without ANSI escape sequences. */
export function stripStyle(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '');
}
