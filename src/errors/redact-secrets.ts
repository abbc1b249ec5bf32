/** Token-like strings that must never reach an error message, with what replaces them. */
const SECRET_PATTERNS: readonly (readonly [pattern: RegExp, replacement: string])[] = [
  [/\bhf_[A-Za-z0-9]{6,}/g, '[redacted]'],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, '[redacted]'],
  [/(\bBearer\s+)[^\s'",;]+/gi, '$1[redacted]'],
  [/([?&](?:api[_-]?key|access[_-]?token|token|key|secret|signature|password)=)[^&\s'"]+/gi, '$1[redacted]'],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@'],
];

/**
 * `text` with token-like substrings replaced by `[redacted]`: Hugging Face (`hf_…`) and
 * OpenAI-style (`sk-…`) keys, bearer tokens, credential query parameters and user info in URLs.
 * A last line of defense for messages built from errors that third-party code threw.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
