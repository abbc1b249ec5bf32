import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** A value in a request context: strings and booleans are categorical, numbers are numeric features. */
export type ContextValue = string | number | boolean;

/**
 * What is known about a request when choosing, e.g. `{ taskType: 'json', tier: 'free', promptTokens: 812 }`.
 * Categorical values (strings, booleans) partition the learned statistics; numeric values feed
 * linear (contextual) strategies.
 */
export type Context = Readonly<Record<string, ContextValue>>;

/** The global partition: statistics over every context. */
export const GLOBAL_PARTITION = '*';

/** A context split into what the learning state needs. @internal */
export interface ParsedContext {
  /** Partition of the full categorical combination; {@link GLOBAL_PARTITION} without categorical values. */
  readonly partition: string;
  /** Partitions of each categorical pair alone, when there are two or more pairs (else empty). */
  readonly singlePartitions: readonly string[];
  /** `[1, ...numeric values in key order]`. */
  readonly features: readonly number[];
  /** The numeric keys in order, joined: identifies the feature space. */
  readonly featureSignature: string;
}

const EMPTY: ParsedContext = Object.freeze({
  partition: GLOBAL_PARTITION,
  singlePartitions: Object.freeze([]) as readonly string[],
  features: Object.freeze([1]) as readonly number[],
  featureSignature: '',
});

/**
 * Validates and splits contexts, remembering the kind of each key: a key first seen numeric must
 * stay numeric (and a categorical key categorical), or its statistics would silently split.
 * @internal
 */
export class ContextParser {
  private readonly kinds = new Map<string, 'categorical' | 'numeric'>();
  private lastContext: Context | undefined;
  private lastParsed: ParsedContext = EMPTY;

  parse(context: Context | undefined): ParsedContext {
    if (context === undefined) return EMPTY;
    if (context === this.lastContext) return this.lastParsed;
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      throw new InvalidArgumentError({
        argument: 'context',
        value: context,
        message: 'must be a plain object',
      });
    }
    const keys = Object.keys(context).sort();
    const kinds = keys.map((key) => this.kindOf(key, context[key]));
    // Check every key before remembering any kind, so that a rejected context changes nothing.
    for (const [index, key] of keys.entries()) {
      const known = this.kinds.get(key);
      if (known !== undefined && known !== kinds[index]) {
        throw new InvalidArgumentError({
          argument: `context.${key}`,
          value: context[key],
          message: `was ${known} in earlier requests and is ${kinds[index]} now; a key must keep one kind`,
        });
      }
    }
    const pairs: string[] = [];
    const features: number[] = [1];
    const numericKeys: string[] = [];
    for (const [index, key] of keys.entries()) {
      const value = context[key]!;
      this.kinds.set(key, kinds[index]!);
      if (kinds[index] === 'numeric') {
        features.push(value as number);
        numericKeys.push(key);
      } else {
        pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
      }
    }
    const parsed: ParsedContext = {
      partition: pairs.length === 0 ? GLOBAL_PARTITION : pairs.join('&'),
      singlePartitions: pairs.length >= 2 ? pairs : [],
      features,
      featureSignature: numericKeys.map(encodeURIComponent).join(','),
    };
    if (Object.isFrozen(context)) {
      this.lastContext = context;
      this.lastParsed = parsed;
    }
    return parsed;
  }

  private kindOf(key: string, value: unknown): 'categorical' | 'numeric' {
    if (typeof value === 'string' || typeof value === 'boolean') return 'categorical';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new InvalidArgumentError({
          argument: `context.${key}`,
          value,
          message: 'numbers must be finite',
        });
      }
      return 'numeric';
    }
    throw new InvalidArgumentError({
      argument: `context.${key}`,
      value,
      message: `must be a string, a number or a boolean, not ${value === null ? 'null' : typeof value}`,
    });
  }
}
