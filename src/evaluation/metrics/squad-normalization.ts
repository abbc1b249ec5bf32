/** Python's `string.punctuation`, which SQuAD's evaluation script removes. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ARTICLES = /\b(a|an|the)\b/g;

/**
 * SQuAD's answer normalization (`normalize_answer` of the official v1.1/v2.0 script): lower-case,
 * remove ASCII punctuation, remove the articles a/an/the, collapse whitespace.
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/** The tokens of {@link normalizeAnswer}'s result. */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** SQuAD's exact match: 1 when the normalized texts are equal, else 0. */
export function exactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/**
 * SQuAD's token F1: the harmonic mean of precision and recall of the normalized tokens, counting
 * each shared token as often as it appears in both (multiset intersection). When either side has
 * no tokens (e.g. an unanswerable question), it is 1 if both have none and 0 otherwise (the v2.0
 * script's convention).
 */
export function tokenF1(prediction: string, gold: string): number {
  const predictedTokens = answerTokens(prediction);
  const goldTokens = answerTokens(gold);
  if (predictedTokens.length === 0 || goldTokens.length === 0) {
    return predictedTokens.length === goldTokens.length ? 1 : 0;
  }
  const remaining = new Map<string, number>();
  for (const token of goldTokens) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of predictedTokens) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      shared += 1;
      remaining.set(token, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / predictedTokens.length;
  const recall = shared / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}
