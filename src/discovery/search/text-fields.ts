import MiniSearch from 'minisearch';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { SEARCH_DEFAULTS } from './candidate-query.js';

/** The candidate fields that free text searches, in the order their matches are scored. @internal */
export const TEXT_FIELDS = ['id', 'tasks', 'library', 'family', 'capabilities', 'license'] as const;

/** A field that free text searches. @internal */
export type TextField = (typeof TEXT_FIELDS)[number];

/** The relevance weight of a match in each of {@link TEXT_FIELDS}, by position. @internal */
export const TEXT_FIELD_BOOSTS: readonly number[] = TEXT_FIELDS.map(
  (field) => (SEARCH_DEFAULTS.boost as Readonly<Record<string, number>>)[field] ?? 1,
);

/** The text of one field of a candidate (`''` when it has none), as MiniSearch would index it. @internal */
export function textField(candidate: ModelCandidate, field: TextField): string {
  switch (field) {
    case 'id':
      return candidate.id;
    case 'tasks':
      return Array.isArray(candidate.tasks) ? candidate.tasks.join(' ') : '';
    case 'capabilities':
      return Array.isArray(candidate.capabilities) ? candidate.capabilities.join(' ') : '';
    default: {
      const value = candidate[field];
      return typeof value === 'string' ? value : '';
    }
  }
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
const processTerm = MiniSearch.getDefault('processTerm') as (term: string) => string | null | undefined;

/** Splits text into tokens as MiniSearch does (at spaces and punctuation; may yield `''`). @internal */
export function textTokens(text: string): string[] {
  return tokenize(text);
}

/** The indexed term of a token (lower case), or `undefined` for one that is not indexed. @internal */
export function textTerm(token: string): string | undefined {
  const term = processTerm(token);
  return typeof term === 'string' && term.length > 0 ? term : undefined;
}

/** The terms of a query text, in order, as MiniSearch's search reads them. @internal */
export function queryTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of textTokens(text)) {
    const term = textTerm(token);
    if (term !== undefined) terms.push(term);
  }
  return terms;
}
