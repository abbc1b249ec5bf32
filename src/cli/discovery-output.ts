import type { ModelCandidate } from '../core/model-candidate.js';
import type { ProviderError } from '../errors/provider-error.js';
import type { Output } from './output.js';

/** A candidate as `--json` prints it: everything but the provider's raw record. */
export function candidateDocument(candidate: ModelCandidate): Omit<ModelCandidate, 'raw'> {
  const { raw: _raw, ...rest } = candidate;
  return rest;
}

/** A provider's failure as `--json` prints it, its message redacted of secrets. */
export function providerErrorDocument(error: ProviderError, redact: (text: string) => string) {
  return {
    name: error.name,
    provider: error.provider,
    reason: error.reason,
    isRetryable: error.isRetryable,
    message: redact(error.message),
  };
}

/** Warns on stderr about each provider that failed (the others' answers are used). */
export function warnProviderErrors(output: Output, errors: readonly ProviderError[]): void {
  for (const error of errors) output.warn(error.message);
}
