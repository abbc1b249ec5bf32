const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The word tokens ROUGE-L compares: lower-cased runs of Unicode letters and digits. This is
 * `rouge_score`'s default tokenizer (no stemming) widened from ASCII `[a-z0-9]` to every script,
 * so that non-English text is not reduced to nothing.
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The length of the longest common subsequence of two token lists (O(n·m) time, O(m) memory). */
export function longestCommonSubsequence(first: readonly string[], second: readonly string[]): number {
  const row = new Uint32Array(second.length + 1);
  for (const token of first) {
    let diagonal = 0;
    for (let column = 1; column <= second.length; column++) {
      const above = row[column]!;
      row[column] = token === second[column - 1] ? diagonal + 1 : Math.max(above, row[column - 1]!);
      diagonal = above;
    }
  }
  return row[second.length]!;
}

/**
 * ROUGE-L F-measure of a candidate against one reference, as `rouge_score` computes it:
 * P = LCS/|candidate|, R = LCS/|reference|, F = 2PR/(P + R); 0 when either has no tokens or
 * nothing is shared.
 */
export function rougeL(candidate: string, reference: string): number {
  const candidateTokens = rougeTokens(candidate);
  const referenceTokens = rougeTokens(reference);
  if (candidateTokens.length === 0 || referenceTokens.length === 0) return 0;
  const common = longestCommonSubsequence(candidateTokens, referenceTokens);
  if (common === 0) return 0;
  const precision = common / candidateTokens.length;
  const recall = common / referenceTokens.length;
  return (2 * precision * recall) / (precision + recall);
}
