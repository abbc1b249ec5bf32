import { isAlias, isCollection, isPair, Lexer, parseDocument, visit } from 'yaml';
import type { ConfigurationProblem } from '../errors/configuration-error.js';
import { jsonErrorOffset } from './json-error-offset.js';
import type { RequirementsFormat } from './requirements.js';
import { createSourceLocator, keyText, type SourceLocator } from './source-locator.js';

/** What {@link parseSource} made of a text. @internal */
export type ParsedSource =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly locator: SourceLocator;
      readonly format: RequirementsFormat;
    }
  | { readonly ok: false; readonly problems: readonly ConfigurationProblem[] };

/** How to parse. @internal */
export interface ParseSourceOptions {
  /** The syntax; `undefined` to tell by the content (`{` first: JSON, if it parses as JSON). */
  readonly format: RequirementsFormat | undefined;
  /** The most alias expansions YAML may do (yaml's `maxAliasCount`). */
  readonly maxAliasCount: number;
}

/**
 * At most this many syntax problems are kept: deeply broken input (thousands of unbalanced
 * brackets) would otherwise list each one.
 */
const MAXIMUM_SYNTAX_PROBLEMS = 50;

/**
 * The deepest nesting of mappings and lists accepted. A requirements file needs about 6 levels;
 * the bound keeps every later step (which recurses) far from the stack's limit.
 */
const MAXIMUM_DEPTH = 64;

function tooDeepProblem(position: { line: number; column: number }): ConfigurationProblem {
  return {
    kind: 'syntax',
    message: `nested deeper than ${MAXIMUM_DEPTH} levels; a requirements file needs far fewer`,
    path: '',
    ...position,
  };
}

/** yaml's lexer marks (document start, flow end, scalar) take no characters of the source. */
const LEXER_MARKS = new Set(['\u0002', '\u0018', '\u001f']);

/** The offset of the first `[` or `{` that opens a flow collection deeper than `limit`, from the tokens. */
function firstFlowDeeperThan(text: string, limit: number): number | undefined {
  let offset = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (LEXER_MARKS.has(token)) continue;
    if (token === '[' || token === '{') {
      depth++;
      if (depth > limit) return offset;
    } else if ((token === ']' || token === '}') && depth > 0) {
      depth--;
    }
    offset += token.length;
  }
  return undefined;
}

/** The start offset of the first node nested deeper than `limit`, found without recursion. */
function firstNodeDeeperThan(root: unknown, limit: number): number | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth >= limit) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * Parses YAML or JSON text to a plain value, keeping a locator of its nodes. JSON is parsed with
 * `JSON.parse` (so only strict JSON passes) and located through `yaml`, of which JSON is a subset.
 * Syntax problems come back with their lines and columns; nothing is thrown.
 * @internal
 */
export function parseSource(text: string, options: ParseSourceOptions): ParsedSource {
  // Deep flow nesting is refused from the tokens, before yaml spends seconds composing it.
  const deepFlow = firstFlowDeeperThan(text, MAXIMUM_DEPTH);
  if (deepFlow !== undefined) {
    const locator = createSourceLocator(undefined, text);
    return { ok: false, problems: [tooDeepProblem(locator.offsetAt(deepFlow))] };
  }
  // Keys are strings as written (`True`, `null`, `1` stay so): otherwise `True:` would become the
  // property `true`, and `true:` and `"true":` one property whose last value silently wins.
  const document = parseDocument(text, {
    prettyErrors: false,
    logLevel: 'error',
    uniqueKeys: true,
    stringKeys: true,
    resolveKnownTags: false,
  });
  const locator = createSourceLocator(document, text);
  let format = options.format;
  let jsonValue: { value: unknown } | undefined;
  if (format !== 'yaml') {
    const looksLikeJson = /^\uFEFF?\s*[{[]/.test(text);
    if (format === 'json' || looksLikeJson) {
      try {
        jsonValue = { value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
        format = 'json';
      } catch (error) {
        if (format === 'json') return { ok: false, problems: [jsonSyntaxProblem(error, text, locator)] };
      }
    }
  }
  format ??= 'yaml';

  const problems: ConfigurationProblem[] = [];
  for (const issue of [...document.errors, ...document.warnings]) {
    if (problems.length >= MAXIMUM_SYNTAX_PROBLEMS) break;
    // For JSON, JSON.parse is the judge of syntax; yaml is only asked about duplicate keys.
    if (jsonValue !== undefined && issue.code !== 'DUPLICATE_KEY') continue;
    const { line, column } = locator.offsetAt(issue.pos[0]);
    problems.push({
      kind: 'syntax',
      message: yamlMessage(issue.code, issue.message),
      path: '',
      line,
      column,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const tooDeep = firstNodeDeeperThan(document.contents, MAXIMUM_DEPTH);
  if (tooDeep !== undefined) {
    return { ok: false, problems: [tooDeepProblem(locator.offsetAt(tooDeep))] };
  }

  // Keys must be plain scalars: yaml would turn a collection key into a string of YAML.
  if (jsonValue === undefined) {
    visit(document, {
      Pair(_, pair) {
        if (problems.length >= MAXIMUM_SYNTAX_PROBLEMS) return visit.BREAK;
        if (keyText(pair.key) === undefined || isAlias(pair.key)) {
          const offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
          problems.push({
            kind: 'syntax',
            message: 'keys must be plain strings, not lists, mappings or aliases',
            path: '',
            ...locator.offsetAt(offset),
          });
        }
        return undefined;
      },
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  if (jsonValue !== undefined) return { ok: true, value: jsonValue.value, locator, format };
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: options.maxAliasCount }), locator, format };
  } catch (error) {
    return { ok: false, problems: [aliasProblem(error, document, locator)] };
  }
}

/** yaml's message, without its trailing location and with a hint for the usual mistakes. */
function yamlMessage(code: string, message: string): string {
  const text = message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: each key may appear once in a mapping';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation; indent with spaces';
    case 'NON_STRING_KEY':
      return 'keys must be plain strings, not lists, mappings or aliases';
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents (---); keep one';
    case 'TAG_RESOLVE_FAILED':
      return `${text} (tags such as !!binary are not supported)`;
    default:
      return text.length === 0 ? `YAML syntax error (${code})` : text;
  }
}

/** A problem for what `toJS` threw: an alias without anchor, or too many alias expansions. */
function aliasProblem(
  error: unknown,
  document: ReturnType<typeof parseDocument>,
  locator: SourceLocator,
): ConfigurationProblem {
  const message = error instanceof Error ? error.message : String(error);
  let offset: number | undefined;
  let unresolved: string | undefined;
  // An alias refers to the last anchor of its name before it: walk in document order.
  const anchors = new Set<string>();
  visit(document, (_, node) => {
    if (isAlias(node)) {
      offset ??= node.range?.[0];
      if (!anchors.has(node.source)) {
        offset = node.range?.[0];
        unresolved = node.source;
        return visit.BREAK;
      }
    } else if (
      node !== null &&
      typeof node === 'object' &&
      'anchor' in node &&
      typeof node.anchor === 'string'
    ) {
      anchors.add(node.anchor);
    }
    return undefined;
  });
  const position = locator.offsetAt(offset ?? 0);
  if (unresolved !== undefined) {
    return {
      kind: 'alias',
      message: `alias *${unresolved} refers to no anchor &${unresolved} before it`,
      path: '',
      ...position,
    };
  }
  if (/excessive alias count/i.test(message)) {
    return {
      kind: 'alias',
      message:
        'aliases expand to too many nodes (a possible alias bomb); write the values out or raise maxAliasCount',
      path: '',
      ...position,
    };
  }
  return { kind: 'syntax', message: `the document cannot be read: ${message}`, path: '', ...position };
}

/**
 * A problem for what `JSON.parse` threw, placed at the position its message names or, when it
 * names none ("Unexpected token", "Unexpected end"), where {@link jsonErrorOffset} finds the error.
 * The message does not quote the text (V8 quotes part of it for an unexpected token).
 */
function jsonSyntaxProblem(error: unknown, text: string, locator: SourceLocator): ConfigurationProblem {
  const message = error instanceof Error ? error.message : String(error);
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const position = /at position (\d+)/.exec(message);
  const offset = position !== null ? Number(position[1]) + bom : (jsonErrorOffset(text, bom) ?? text.length);
  const token = /^Unexpected token '(.+?)', [\s\S]* is not valid JSON$/.exec(message);
  const described =
    token !== null
      ? `unexpected '${token[1]}'`
      : message.replace(/ in JSON at position \d+[\s\S]*$/, '').replace(/ at position \d+[\s\S]*$/, '');
  return { kind: 'syntax', message: `invalid JSON: ${described}`, path: '', ...locator.offsetAt(offset) };
}
