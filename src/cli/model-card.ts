import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCandidate } from '../core/model-candidate.js';

/** The longest card summary printed, in characters. */
const SUMMARY_LENGTH = 400;

/**
 * The first paragraph of prose of a model card (README.md): after the YAML front matter, skipping
 * headings, code blocks, tables, images, HTML and lists; whitespace collapsed, cut at
 * {@link SUMMARY_LENGTH} characters. `undefined` when the card has no prose.
 */
export function cardSummary(markdown: string): string | undefined {
  let text = markdown.replace(/^\uFEFF/, '');
  const frontMatter = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  if (frontMatter !== null) text = text.slice(frontMatter[0].length);
  let inCode = false;
  const paragraph: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('```') || line.startsWith('~~~')) {
      inCode = !inCode;
      if (paragraph.length > 0) break;
      continue;
    }
    if (inCode) continue;
    if (line === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    if (/^(#|\||!\[|<|[-*+] |\d+\. |>|\[!)/.test(line)) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line);
  }
  if (paragraph.length === 0) return undefined;
  const summary = paragraph.join(' ').replace(/\s+/g, ' ');
  return summary.length <= SUMMARY_LENGTH ? summary : `${summary.slice(0, SUMMARY_LENGTH - 1).trimEnd()}…`;
}

/**
 * The summary of a model's card: read from its local folder when it has one, else downloaded from
 * the Hub when the model lists a README.md. `undefined` when there is no card or it cannot be
 * read (a card is a nicety; its absence is not an error).
 */
export async function fetchCardSummary(
  candidate: ModelCandidate,
  {
    hubUrl,
    accessToken,
    signal,
  }: { hubUrl: string | undefined; accessToken: string | undefined; signal: AbortSignal },
): Promise<string | undefined> {
  try {
    if (candidate.localPath !== undefined) {
      return cardSummary(await readFile(path.join(candidate.localPath, 'README.md'), 'utf8'));
    }
    const hasCard = candidate.files?.some((file) => file.path === 'README.md') ?? false;
    if (hubUrl === undefined || !hasCard || candidate.provider !== 'huggingface') return undefined;
    const revision = encodeURIComponent(candidate.revision ?? 'main');
    const url = `${hubUrl}/${candidate.id.split('/').map(encodeURIComponent).join('/')}/resolve/${revision}/README.md`;
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]),
      headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) return undefined;
    return cardSummary(await response.text());
  } catch {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}
