import { ApiCallError } from '../errors/api-call-error.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { InputFileError } from '../errors/input-file-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelscoutError } from '../errors/modelscout-error.js';
import { NoFeasibleCandidateError } from '../errors/no-feasible-candidate-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { redactSecrets } from '../errors/redact-secrets.js';
import { exitCodeOf } from './exit-codes.js';
import { PROGRAM } from './help-text.js';
import { UsageError } from './usage-error.js';

/** Removes secrets from text the CLI prints: token-like strings, and the value of `HF_TOKEN` itself. */
export function redactFor(
  environment: Readonly<Record<string, string | undefined>>,
): (text: string) => string {
  const token = environment.HF_TOKEN;
  return (text) => {
    const redacted = redactSecrets(text);
    return token !== undefined && token.length >= 4 ? redacted.split(token).join('[redacted]') : redacted;
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The lines printed on stderr for a failed command: `modelscout: <message>`, the lines of a
 * multi-line message (a configuration error's `file:line:column` problems) indented below it,
 * and for a usage error where to read the usage. With `debug`, the stack and causes.
 */
export function errorLines(error: unknown, { debug }: { readonly debug: boolean }): string[] {
  const [first = '', ...rest] = messageOf(error).split('\n');
  let headline = first;
  if (UsageError.isInstance(error)) {
    headline += ` (see '${PROGRAM}${error.command === undefined ? '' : ` ${error.command}`} --help')`;
  }
  const lines = [`${PROGRAM}: ${headline}`, ...rest.map((line) => `  ${line.trimStart()}`)];
  if (debug) {
    let cause: unknown = error;
    for (let depth = 0; cause !== undefined && depth < 8; depth++) {
      if (cause instanceof Error && cause.stack !== undefined) lines.push(cause.stack);
      cause = cause instanceof Error ? cause.cause : undefined;
      if (cause !== undefined) lines.push('caused by:');
    }
  }
  return lines;
}

/** What is known about an error, for `--json`: `{ error: { name, message, exitCode, … } }`. */
export function errorDocument(error: unknown): { readonly error: Record<string, unknown> } {
  const details: Record<string, unknown> = {
    name: error instanceof Error ? error.name : 'Error',
    message: messageOf(error),
    exitCode: exitCodeOf(error),
  };
  if (ConfigurationError.isInstance(error)) {
    Object.assign(details, {
      file: error.file,
      line: error.line,
      column: error.column,
      path: error.path,
      kind: error.kind,
      problems: error.problems,
    });
  } else if (InputFileError.isInstance(error)) {
    Object.assign(details, { file: error.file, line: error.line, column: error.column });
  } else if (NoFeasibleCandidateError.isInstance(error)) {
    details.rejections = error.rejections;
  } else if (InvalidArgumentError.isInstance(error)) {
    details.argument = error.argument;
  } else if (UsageError.isInstance(error)) {
    details.command = error.command;
  } else if (ProviderError.isInstance(error)) {
    Object.assign(details, {
      provider: error.provider,
      reason: error.reason,
      isRetryable: error.isRetryable,
    });
  } else if (ApiCallError.isInstance(error)) {
    Object.assign(details, { statusCode: error.statusCode, isRetryable: error.isRetryable });
  } else if (!ModelscoutError.isInstance(error) && error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') details.code = code;
  }
  return { error: details };
}
