import type { Clock } from '../../clock/clock.js';
import { systemClock } from '../../clock/clock.js';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ModelProvider } from '../spec.js';
import type { RepositoryRole } from './merge-candidates.js';

/** Options of {@link createDiscoveryService}. */
export interface DiscoveryOptions {
  /** The providers to ask, each with a distinct `name`. Their order is the order of precedence when merging. */
  readonly providers: readonly ModelProvider[];
  /**
   * The most provider calls in flight at once, across every call of the service. Lower it when
   * providers share a rate limit; raise it when there are many local providers.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Milliseconds one provider may take for a whole listing (every page) or one `getModel`. A
   * provider that takes longer is abandoned and reported as `'timed-out'`; the others are kept.
   * `Infinity` waits for ever.
   * @default 30_000
   */
  readonly providerTimeoutMs?: number;
  /**
   * Milliseconds a provider's listing is reused for the same provider query (text, task,
   * modality, library) before it is listed again. 0 disables the cache.
   * @default 300_000 (5 minutes)
   */
  readonly ttlMs?: number;
  /**
   * The most candidates taken from one provider per listing. A listing that reaches it is
   * `truncated`, and never removes models. Raise it for large local mirrors; the Hugging Face Hub
   * lists millions of models, so pass filters (task, library, text) rather than a huge limit.
   * @default 1000
   */
  readonly maxCandidatesPerProvider?: number;
  /** The most provider listings kept in the cache (least recently used ones go first). @default 256 */
  readonly maxCachedListings?: number;
  /**
   * Whether a provider that fails falls back to its last listing for the same query, even when
   * that listing is older than `ttlMs`. The failure is reported in `errors` either way.
   * @default true
   */
  readonly staleIfError?: boolean;
  /**
   * Providers whose ids are Hugging Face repository ids, and whether they describe the Hub (or a
   * mirror) or copies on this machine. Candidates of these providers with the same id (ignoring
   * case) or alias become one candidate: the Hub's metadata, plus `localCopies`, `localPath` and
   * `providers`. Other providers' candidates are never merged.
   * @default { huggingface: 'hub', 'hf-cache': 'local', 'local-directory': 'local' }
   */
  readonly repositoryProviders?: Readonly<Record<string, RepositoryRole>>;
  /** Reads the time for the cache's TTL and for durations. @default systemClock */
  readonly clock?: Clock;
}

/** Defaults of {@link DiscoveryOptions}. */
export const DISCOVERY_DEFAULTS = Object.freeze({
  concurrency: 4,
  providerTimeoutMs: 30_000,
  ttlMs: 300_000,
  maxCandidatesPerProvider: 1000,
  maxCachedListings: 256,
  staleIfError: true,
  repositoryProviders: Object.freeze({
    huggingface: 'hub',
    'hf-cache': 'local',
    'local-directory': 'local',
  } as const satisfies Readonly<Record<string, RepositoryRole>>),
});

/** The longest delay `setTimeout` accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** @internal */
export const DISCOVERY_OPTION_KEYS = [
  'providers',
  'concurrency',
  'providerTimeoutMs',
  'ttlMs',
  'maxCandidatesPerProvider',
  'maxCachedListings',
  'staleIfError',
  'repositoryProviders',
  'clock',
] as const;

/** {@link DiscoveryOptions} with every default applied. @internal */
export interface DiscoverySettings {
  readonly providers: readonly ModelProvider[];
  readonly concurrency: number;
  readonly providerTimeoutMs: number;
  readonly ttlMs: number;
  readonly maxCandidatesPerProvider: number;
  readonly maxCachedListings: number;
  readonly staleIfError: boolean;
  readonly repositoryProviders: Readonly<Record<string, RepositoryRole>>;
  readonly clock: Clock;
}

function assertProviders(
  providers: unknown,
  argument: string,
): asserts providers is readonly ModelProvider[] {
  if (!Array.isArray(providers)) {
    throw new InvalidArgumentError({
      argument,
      value: providers,
      message: 'must be an array of ModelProviders',
    });
  }
  const names = new Set<string>();
  for (const [index, provider] of providers.entries()) {
    const candidate = provider as Partial<ModelProvider> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      candidate.specificationVersion !== 'v1' ||
      typeof candidate.listModels !== 'function' ||
      typeof candidate.getModel !== 'function'
    ) {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}]`,
        value: candidate?.name,
        message: "must be a ModelProvider of specificationVersion 'v1' (with listModels and getModel)",
      });
    }
    if (typeof candidate.name !== 'string' || candidate.name.length === 0) {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}].name`,
        value: candidate.name,
        message: 'must be a non-empty string',
      });
    }
    if (names.has(candidate.name)) {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}].name`,
        value: candidate.name,
        message: `duplicate provider name '${candidate.name}': give each provider a distinct name (wrap one to rename it)`,
      });
    }
    names.add(candidate.name);
  }
}

function assertRoles(
  roles: unknown,
  argument: string,
): asserts roles is Readonly<Record<string, RepositoryRole>> {
  if (roles === null || typeof roles !== 'object' || Array.isArray(roles)) {
    throw new InvalidArgumentError({
      argument,
      value: roles,
      message: "must map provider names to 'hub' or 'local'",
    });
  }
  for (const [name, role] of Object.entries(roles)) {
    if (role !== 'hub' && role !== 'local') {
      throw new InvalidArgumentError({
        argument: `${argument}.${name}`,
        value: role,
        message: "must be 'hub' or 'local'",
      });
    }
  }
}

function assertDuration(argument: string, value: number, minimum: number): void {
  if (value === Number.POSITIVE_INFINITY) return;
  assertNumber(argument, value, { minimum, maximum: MAX_TIMER_MS, integer: true });
}

/** Validates {@link DiscoveryOptions} and applies the defaults. @internal */
export function resolveDiscoveryOptions(
  options: DiscoveryOptions,
  { options: argument, providers: providersArgument } = {
    options: 'options',
    providers: 'options.providers',
  },
): DiscoverySettings {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  assertKnownKeys(argument, options, DISCOVERY_OPTION_KEYS);
  const {
    providers,
    concurrency = DISCOVERY_DEFAULTS.concurrency,
    providerTimeoutMs = DISCOVERY_DEFAULTS.providerTimeoutMs,
    ttlMs = DISCOVERY_DEFAULTS.ttlMs,
    maxCandidatesPerProvider = DISCOVERY_DEFAULTS.maxCandidatesPerProvider,
    maxCachedListings = DISCOVERY_DEFAULTS.maxCachedListings,
    staleIfError = DISCOVERY_DEFAULTS.staleIfError,
    repositoryProviders = DISCOVERY_DEFAULTS.repositoryProviders,
    clock = systemClock,
  } = options;
  assertProviders(providers, providersArgument);
  if (concurrency !== Number.POSITIVE_INFINITY) {
    assertNumber(`${argument}.concurrency`, concurrency, { minimum: 1, integer: true });
  }
  assertDuration(`${argument}.providerTimeoutMs`, providerTimeoutMs, 1);
  if (ttlMs !== Number.POSITIVE_INFINITY) assertNumber(`${argument}.ttlMs`, ttlMs, { minimum: 0 });
  assertNumber(`${argument}.maxCandidatesPerProvider`, maxCandidatesPerProvider, {
    minimum: 1,
    integer: true,
  });
  assertNumber(`${argument}.maxCachedListings`, maxCachedListings, { minimum: 0, integer: true });
  if (typeof staleIfError !== 'boolean') {
    throw new InvalidArgumentError({
      argument: `${argument}.staleIfError`,
      value: staleIfError,
      message: 'must be a boolean',
    });
  }
  assertRoles(repositoryProviders, `${argument}.repositoryProviders`);
  if (clock === null || typeof clock !== 'object' || typeof clock.now !== 'function') {
    throw new InvalidArgumentError({
      argument: `${argument}.clock`,
      value: clock,
      message: 'must be a Clock',
    });
  }
  return {
    providers: [...providers],
    concurrency,
    providerTimeoutMs,
    ttlMs,
    maxCandidatesPerProvider,
    maxCachedListings,
    staleIfError,
    repositoryProviders: { ...repositoryProviders },
    clock,
  };
}
