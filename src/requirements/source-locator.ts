import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';

/** A 1-based line and column. @internal */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where values and keys are in the source, by JSON pointer segments, through the `yaml`
 * document's node ranges. A pointer that leads nowhere resolves to its deepest existing ancestor.
 * @internal
 */
export interface SourceLocator {
  /** Where the value at `segments` starts. */
  valueAt(segments: readonly string[]): SourcePosition;
  /**
   * Where the key of the value at `segments` starts (the value's own position when it is not a
   * map entry, or the key is absent: then its map's key, and so on up).
   */
  keyAt(segments: readonly string[]): SourcePosition;
  /** Where the character at `offset` is. */
  offsetAt(offset: number): SourcePosition;
}

/**
 * Creates a {@link SourceLocator} over `document`, parsed from `text`. Lines are counted here, by
 * `\n` (so `\r\n` too), rather than by yaml's `LineCounter`, which only learns the line breaks its
 * lexer reaches as tokens and misplaces positions after some syntax errors. Columns count UTF-16
 * code units, as editors do, and do not count a byte order mark at the start.
 * @internal
 */
export function createSourceLocator(document: Document.Parsed | undefined, text: string): SourceLocator {
  const bom = text.startsWith('\uFEFF');
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  const offsetAt = (offset: number): SourcePosition => {
    const clamped = Math.min(Math.max(0, offset), text.length);
    // The last line start at or before the offset (binary search).
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    // A byte order mark is not a character an editor shows: columns of the first line skip it.
    const skipped = low === 0 && bom && clamped > 0 ? 1 : 0;
    return { line: low + 1, column: clamped - lineStarts[low]! + 1 - skipped };
  };

  /** The chain of nodes along `segments` (and their keys), as far as it goes. */
  function walk(segments: readonly string[]): {
    nodes: Array<Node | undefined>;
    keys: Array<Node | undefined>;
  } {
    const nodes: Array<Node | undefined> = [];
    const keys: Array<Node | undefined> = [];
    let node: unknown = document?.contents ?? undefined;
    for (const segment of segments) {
      node = resolve(node);
      let next: unknown;
      let key: unknown;
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === segment);
        if (pair === undefined) break;
        next = pair.value;
        key = pair.key;
      } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
        next = node.items[Number(segment)];
        if (next === undefined) break;
      } else {
        break;
      }
      nodes.push(asNode(next));
      keys.push(asNode(key));
      node = next;
    }
    return { nodes, keys };
  }

  function resolve(node: unknown, depth = 0): unknown {
    if (document !== undefined && isAlias(node) && depth < 100) {
      return resolve(node.resolve(document), depth + 1);
    }
    return node;
  }

  function start(node: Node | undefined): number | undefined {
    return node?.range?.[0];
  }

  const documentStart = (): number => start(asNode(document?.contents)) ?? 0;

  return {
    valueAt(segments) {
      const { nodes, keys } = walk(segments);
      for (let index = nodes.length - 1; index >= 0; index--) {
        const offset = start(nodes[index]) ?? start(keys[index]);
        if (offset !== undefined) return offsetAt(offset);
      }
      return offsetAt(documentStart());
    },
    keyAt(segments) {
      const { nodes, keys } = walk(segments);
      for (let index = nodes.length - 1; index >= 0; index--) {
        const offset = start(keys[index]) ?? start(nodes[index]);
        if (offset !== undefined) return offsetAt(offset);
      }
      return offsetAt(documentStart());
    },
    offsetAt,
  };
}

/** The text of a map key as `toJS` makes it a property name; `undefined` for collection keys. @internal */
export function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

function asNode(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' && 'range' in value ? (value as Node) : undefined;
}
