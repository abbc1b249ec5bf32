import { EventEmitter } from 'eventemitter3';
import pLimit from 'p-limit';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { unlessAborted } from '../../core/unless-aborted.js';
import { assertKnownKeys } from '../../core/validate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ProviderError } from '../../errors/provider-error.js';
import type { DiscoveryEvents } from '../../events.js';
import { type CandidateIndex, createCandidateIndex } from '../search/candidate-index.js';
import { assertCandidateQuery } from '../search/validate-query.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { getFromProvider, listFromProvider } from './call-provider.js';
import { type DiscoveryOptions, resolveDiscoveryOptions } from './discovery-options.js';
import type {
  DiscoverOptions,
  DiscoveryChanges,
  DiscoveryGetModelOptions,
  DiscoveryQuery,
  DiscoveryResult,
  ModelLookup,
  ProviderListingSummary,
} from './discovery-result.js';
import { ListingCache, type ProviderListing } from './listing-cache.js';
import { mergeCandidates } from './merge-candidates.js';
import { combineChanges, type ModelChange, ModelInventory } from './model-inventory.js';
import { SharedCalls } from './shared-calls.js';

/**
 * Finds models across providers: lists them concurrently, merges the same Hugging Face repository
 * found by several providers, caches listings, filters, ranks and pages with a candidate index,
 * and reports what changed as events.
 */
export interface DiscoveryService {
  /** The providers' names, in order of precedence. */
  readonly providerNames: readonly string[];
  /**
   * The candidates matching `query`, merged across providers, ordered and paged, with facets.
   * Providers are asked concurrently (at most `concurrency` calls at once), each with `text`,
   * `task`, `modality` and `library` passed down; a listing younger than `ttlMs` is reused. A
   * provider that fails, times out or returns malformed candidates is reported in `errors`
   * (falling back to its last listing when `staleIfError`); it never fails the call.
   *
   * @throws {InvalidArgumentError} for a malformed query, or a `provider` no provider is named.
   * @throws {ContradictoryConstraintsError} for a query nothing could match.
   * Rejects with the signal's reason when `options.signal` aborts.
   */
  discover(query?: DiscoveryQuery, options?: DiscoverOptions): Promise<DiscoveryResult>;
  /** One model by id from every provider (or one), merged; providers that fail are in `errors`. */
  getModel(id: string, options?: DiscoveryGetModelOptions): Promise<ModelLookup>;
  /**
   * Lists every provider again (unfiltered, bypassing the cache) and returns what changed since
   * the models were last listed; also emitted as `model_added`, `model_updated`, `model_removed`.
   * Cached filtered listings of the providers that answered are dropped.
   */
  refresh(options?: { readonly signal?: AbortSignal }): Promise<DiscoveryChanges>;
  /** Every model listed so far (by any query), merged across providers. */
  knownModels(): readonly ModelCandidate[];
  /** Forgets cached listings (known models are kept, so the next listing still reports changes). */
  clearCache(): void;
  /**
   * `model_added`, `model_updated`, `model_removed` (whenever a listing changes what is known)
   * and `provider_started` / `provider_finished` (progress, per provider call).
   */
  readonly events: EventEmitter<DiscoveryEvents>;
}

type PushedQuery = Omit<ProviderQuery, 'signal' | 'limit'>;

interface ListingOutcome {
  readonly listing: ProviderListing;
  readonly malformed?: ProviderError;
  readonly changes: readonly ModelChange[];
}

interface ProviderAnswer {
  readonly summary: ProviderListingSummary;
  readonly listing?: ProviderListing;
  readonly error?: ProviderError;
  readonly changes: readonly ModelChange[];
}

const DISCOVER_OPTION_KEYS = ['signal', 'bypassCache'];
const GET_MODEL_OPTION_KEYS = ['revision', 'provider', 'signal'];

/** The part of a query passed down to providers, without blank or missing fields. */
function pushDown(query: DiscoveryQuery): PushedQuery {
  const text = query.text?.trim();
  const pushed: { -readonly [K in keyof PushedQuery]: PushedQuery[K] } = {};
  if (text) pushed.text = text;
  if (query.task !== undefined) pushed.task = query.task;
  if (query.modality !== undefined) pushed.modality = query.modality;
  if (query.library !== undefined) pushed.library = query.library;
  return pushed;
}

const queryKey = (query: PushedQuery) =>
  JSON.stringify([query.text ?? null, query.task ?? null, query.modality ?? null, query.library ?? null]);

const UNFILTERED_KEY = queryKey({});

const isUnfiltered = (query: PushedQuery) =>
  query.text === undefined &&
  query.task === undefined &&
  query.modality === undefined &&
  query.library === undefined;

function assertOptions(argument: string, options: unknown, keys: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  assertKnownKeys(argument, options, keys);
  const { signal } = options as { signal?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError({
      argument: `${argument}.signal`,
      value: signal,
      message: 'must be an AbortSignal',
    });
  }
}

/**
 * Creates a {@link DiscoveryService} over `options.providers`.
 *
 * @example
 * ```ts
 * const discovery = createDiscoveryService({ providers: [huggingFace(), hfCache()] });
 * const { candidates, facets, errors } = await discovery.discover({ task: 'text-classification', library: 'transformers.js', limit: 10 });
 * ```
 * @throws {InvalidArgumentError} for invalid options or providers with the same name.
 */
export function createDiscoveryService(options: DiscoveryOptions): DiscoveryService {
  return setUpDiscoveryService(options, new EventEmitter<DiscoveryEvents>());
}

/** Builds a discovery service that emits on `events` (the scout passes its own emitter). @internal */
export function setUpDiscoveryService(
  options: DiscoveryOptions,
  events: EventEmitter<DiscoveryEvents>,
  argumentNames: { readonly options: string; readonly providers: string } = {
    options: 'options',
    providers: 'options.providers',
  },
): DiscoveryService {
  const settings = resolveDiscoveryOptions(options, argumentNames);
  const { providers, clock, providerTimeoutMs: timeoutMs } = settings;
  const providerNames = Object.freeze(providers.map((provider) => provider.name));
  const limit = pLimit(settings.concurrency);
  const cache = new ListingCache(settings.maxCachedListings);
  const listings = new SharedCalls<ListingOutcome>();
  const inventory = new ModelInventory(providerNames, settings.repositoryProviders);
  let lastIndex:
    | { readonly listings: readonly ProviderListing[]; readonly index: CandidateIndex }
    | undefined;

  function emitChanges(changes: readonly ModelChange[]): void {
    for (const change of changes) {
      if (change.kind === 'added') {
        if (events.listenerCount('model_added') > 0)
          events.emit('model_added', { candidate: change.candidate });
      } else if (change.kind === 'updated') {
        if (events.listenerCount('model_updated') > 0) {
          events.emit('model_updated', { candidate: change.candidate, previous: change.previous });
        }
      } else if (events.listenerCount('model_removed') > 0) {
        events.emit('model_removed', { candidate: change.candidate });
      }
    }
  }

  function finished(
    provider: ModelProvider,
    operation: 'listModels' | 'getModel',
    started: number,
    count: number,
    truncated: boolean,
    error: ProviderError | undefined,
  ): void {
    if (events.listenerCount('provider_finished') === 0) return;
    events.emit('provider_finished', {
      provider: provider.name,
      operation,
      count,
      durationMs: Math.max(0, clock.now() - started),
      truncated,
      ...(error === undefined ? {} : { error }),
    });
  }

  /** One listing, run under the concurrency limit: lists, caches, records in the inventory, emits. */
  async function runListing(
    provider: ModelProvider,
    query: PushedQuery,
    cacheKey: string,
    signal: AbortSignal,
  ): Promise<ListingOutcome> {
    signal.throwIfAborted();
    const started = clock.now();
    if (events.listenerCount('provider_started') > 0) {
      events.emit('provider_started', { provider: provider.name, operation: 'listModels', query });
    }
    let result: Awaited<ReturnType<typeof listFromProvider>>;
    try {
      result = await listFromProvider(provider, query, settings.maxCandidatesPerProvider, {
        timeoutMs,
        signal,
      });
    } catch (error) {
      if (ProviderError.isInstance(error)) finished(provider, 'listModels', started, 0, false, error);
      throw error;
    }
    const listedAt = clock.now();
    const listing: ProviderListing = {
      provider: provider.name,
      candidates: result.candidates,
      truncated: result.truncated,
      listedAt,
    };
    if (settings.ttlMs > 0) cache.set(cacheKey, listing, listedAt + settings.ttlMs);
    const complete = isUnfiltered(query) && !result.truncated && result.malformed === undefined;
    const changes = inventory.apply(provider.name, result.candidates, complete);
    emitChanges(changes);
    finished(provider, 'listModels', started, result.candidates.length, result.truncated, result.malformed);
    return result.malformed === undefined
      ? { listing, changes }
      : { listing, malformed: result.malformed, changes };
  }

  async function answer(
    provider: ModelProvider,
    query: PushedQuery,
    signal: AbortSignal | undefined,
    bypassCache: boolean,
  ): Promise<ProviderAnswer> {
    const key = `${provider.name}\u0000${queryKey(query)}`;
    if (!bypassCache) {
      const cached = cache.fresh(key, clock.now());
      if (cached !== undefined) {
        return { summary: summaryOf(cached, 'cached'), listing: cached, changes: [] };
      }
    }
    try {
      const outcome = await listings.run(
        key,
        (shared) => limit(() => runListing(provider, query, key, shared)),
        signal,
      );
      return {
        summary: summaryOf(outcome.listing, 'listed'),
        listing: outcome.listing,
        changes: outcome.changes,
        ...(outcome.malformed === undefined ? {} : { error: outcome.malformed }),
      };
    } catch (error) {
      if (!ProviderError.isInstance(error)) throw error;
      const stale = settings.staleIfError ? cache.last(key) : undefined;
      if (stale !== undefined)
        return { summary: summaryOf(stale, 'stale'), listing: stale, error, changes: [] };
      return {
        summary: {
          provider: provider.name,
          status: 'failed',
          count: 0,
          truncated: false,
          listedAt: undefined,
        },
        error,
        changes: [],
      };
    }
  }

  function summaryOf(
    listing: ProviderListing,
    status: ProviderListingSummary['status'],
  ): ProviderListingSummary {
    return {
      provider: listing.provider,
      status,
      count: listing.candidates.length,
      truncated: listing.truncated,
      listedAt: listing.listedAt,
    };
  }

  function indexOf(used: readonly ProviderListing[]): CandidateIndex {
    if (
      lastIndex !== undefined &&
      lastIndex.listings.length === used.length &&
      lastIndex.listings.every((listing, index) => listing === used[index])
    ) {
      return lastIndex.index;
    }
    const merged = mergeCandidates(used, settings.repositoryProviders);
    const index = createCandidateIndex(merged.map((entry) => entry.candidate));
    lastIndex = { listings: used, index };
    return index;
  }

  function providersNamed(name: string | undefined, argument: string): readonly ModelProvider[] {
    if (name === undefined) return providers;
    const named = providers.filter((provider) => provider.name === name);
    if (named.length === 0) {
      throw new InvalidArgumentError({
        argument,
        value: name,
        message: `is not the name of a provider; the providers are ${providerNames.map((known) => `'${known}'`).join(', ') || 'none'}`,
      });
    }
    return named;
  }

  async function discover(
    query: DiscoveryQuery = {},
    options: DiscoverOptions = {},
  ): Promise<DiscoveryResult> {
    assertOptions('options', options, DISCOVER_OPTION_KEYS);
    assertCandidateQuery(query);
    const { signal, bypassCache = false } = options;
    signal?.throwIfAborted();
    const asked = providersNamed(query.provider, 'query.provider');
    const pushed = pushDown(query);
    const answers = await Promise.all(asked.map((provider) => answer(provider, pushed, signal, bypassCache)));
    const used = answers.flatMap((entry) => (entry.listing === undefined ? [] : [entry.listing]));
    const { provider: _provider, ...searched } = query;
    const found = indexOf(used).search(searched);
    return {
      ...found,
      errors: answers.flatMap((entry) => (entry.error === undefined ? [] : [entry.error])),
      providers: answers.map((entry) => entry.summary),
    };
  }

  async function getModel(id: string, options: DiscoveryGetModelOptions = {}): Promise<ModelLookup> {
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidArgumentError({ argument: 'id', value: id, message: 'must be a non-empty string' });
    }
    assertOptions('options', options, GET_MODEL_OPTION_KEYS);
    const { revision, signal } = options;
    if (revision !== undefined && (typeof revision !== 'string' || revision.length === 0)) {
      throw new InvalidArgumentError({
        argument: 'options.revision',
        value: revision,
        message: 'must be a non-empty string',
      });
    }
    signal?.throwIfAborted();
    const asked = providersNamed(options.provider, 'options.provider');
    const answers = await Promise.all(
      asked.map(async (provider) => {
        const call = limit(async () => {
          signal?.throwIfAborted();
          const started = clock.now();
          if (events.listenerCount('provider_started') > 0) {
            events.emit('provider_started', {
              provider: provider.name,
              operation: 'getModel',
              query: {},
              id,
            });
          }
          try {
            const candidate = await getFromProvider(provider, id, revision, { timeoutMs, signal });
            finished(provider, 'getModel', started, candidate === undefined ? 0 : 1, false, undefined);
            return { provider: provider.name, candidate };
          } catch (error) {
            if (!ProviderError.isInstance(error)) throw error;
            finished(provider, 'getModel', started, 0, false, error);
            return { provider: provider.name, error };
          }
        });
        return unlessAborted(call, signal);
      }),
    );
    const found = answers.flatMap((entry) =>
      'candidate' in entry && entry.candidate !== undefined
        ? [{ provider: entry.provider, candidates: [entry.candidate] }]
        : [],
    );
    return {
      candidates: mergeCandidates(found, settings.repositoryProviders).map((entry) => entry.candidate),
      errors: answers.flatMap((entry) =>
        'error' in entry && entry.error !== undefined ? [entry.error] : [],
      ),
    };
  }

  async function refresh(options: { readonly signal?: AbortSignal } = {}): Promise<DiscoveryChanges> {
    assertOptions('options', options, ['signal']);
    const { signal } = options;
    signal?.throwIfAborted();
    const answers = await Promise.all(providers.map((provider) => answer(provider, {}, signal, true)));
    for (const entry of answers) {
      if (entry.summary.status !== 'listed') continue;
      const prefix = `${entry.summary.provider}\u0000`;
      cache.deleteWhere((key) => key.startsWith(prefix) && key !== `${prefix}${UNFILTERED_KEY}`);
    }
    const added: ModelCandidate[] = [];
    const updated: { candidate: ModelCandidate; previous: ModelCandidate }[] = [];
    const removed: ModelCandidate[] = [];
    for (const change of combineChanges(answers.flatMap((entry) => entry.changes))) {
      if (change.kind === 'added') added.push(change.candidate);
      else if (change.kind === 'updated')
        updated.push({ candidate: change.candidate, previous: change.previous });
      else removed.push(change.candidate);
    }
    return {
      added,
      updated,
      removed,
      errors: answers.flatMap((entry) => (entry.error === undefined ? [] : [entry.error])),
    };
  }

  return {
    providerNames,
    discover,
    getModel,
    refresh,
    knownModels: () => inventory.candidates(),
    clearCache() {
      cache.clear();
      lastIndex = undefined;
    },
    events,
  };
}
