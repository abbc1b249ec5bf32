import type { ModelCandidate } from '../../core/model-candidate.js';
import { unlessAborted } from '../../core/unless-aborted.js';
import { ProviderError, type ProviderOperation } from '../../errors/provider-error.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { candidateProblem } from './candidate-problem.js';

/** The abort reason of a provider call that ran out of time. */
class ProviderTimeout {}

/** What one provider listing produced. */
export interface ListingResult {
  readonly candidates: readonly ModelCandidate[];
  readonly truncated: boolean;
  /** Set when malformed candidates were skipped (the valid ones are in `candidates`). */
  readonly malformed?: ProviderError;
}

interface CallLimits {
  /** Milliseconds the whole call may take. */
  readonly timeoutMs: number;
  /** Aborts the call: it then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `body` with a signal that aborts when `limits.signal` aborts or `timeoutMs` passes, and
 * stops waiting for a provider that ignores it. A timeout becomes a `'timed-out'`
 * {@link ProviderError}, the caller's abort rejects with its reason, and anything else the provider
 * throws becomes a `'failed'` one.
 */
async function withLimits<Value>(
  provider: ModelProvider,
  operation: ProviderOperation,
  { timeoutMs, signal }: CallLimits,
  body: (signal: AbortSignal) => Promise<Value>,
): Promise<Value> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const timeout = new ProviderTimeout();
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => controller.abort(timeout), timeoutMs)
    : undefined;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await unlessAborted(
      Promise.resolve().then(() => body(controller.signal)),
      controller.signal,
    );
  } catch (error) {
    if (controller.signal.aborted) {
      if (controller.signal.reason === timeout) {
        throw new ProviderError({
          provider: provider.name,
          operation,
          reason: 'timed-out',
          detail: `no answer within ${timeoutMs} ms`,
        });
      }
      throw controller.signal.reason;
    }
    if (ProviderError.isInstance(error) && error.provider === provider.name) throw error;
    throw new ProviderError({ provider: provider.name, operation, reason: 'failed', cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

type AnyIterator = AsyncIterator<unknown> | Iterator<unknown>;

function iteratorOf(iterable: unknown): AnyIterator | undefined {
  if (iterable === null || (typeof iterable !== 'object' && typeof iterable !== 'function')) return undefined;
  const source = iterable as Record<symbol, unknown>;
  const factory = source[Symbol.asyncIterator] ?? source[Symbol.iterator];
  if (typeof factory !== 'function') return undefined;
  const iterator: unknown = (factory as (this: unknown) => unknown).call(source);
  return iterator !== null &&
    typeof iterator === 'object' &&
    typeof (iterator as AnyIterator).next === 'function'
    ? (iterator as AnyIterator)
    : undefined;
}

/** Closes an iterator that was not run to its end, without waiting for it (it may hang). */
function close(iterator: AnyIterator): void {
  try {
    const closing = iterator.return?.();
    if (closing !== undefined) Promise.resolve(closing).catch(() => {});
  } catch {
    // A provider whose cleanup throws is not our failure.
  }
}

/** The candidate with `provider` set to the provider's name (the name that found it wins). */
function stamped(candidate: ModelCandidate, provider: string): ModelCandidate {
  return candidate.provider === provider ? candidate : { ...candidate, provider };
}

/**
 * Lists `provider` for `query` (`limit` set to `maxCandidates`): follows its iterator until it
 * ends or `maxCandidates` valid candidates arrived (then `truncated`), skipping malformed
 * candidates (reported in `malformed`) and repeated ids. Throws a {@link ProviderError} when the
 * provider fails, times out, or returns no iterable; rejects with the signal's reason on abort.
 */
export function listFromProvider(
  provider: ModelProvider,
  query: Omit<ProviderQuery, 'signal' | 'limit'>,
  maxCandidates: number,
  limits: CallLimits,
): Promise<ListingResult> {
  return withLimits(provider, 'listModels', limits, async (signal) => {
    const iterator = iteratorOf(provider.listModels({ ...query, limit: maxCandidates, signal }));
    if (iterator === undefined) {
      throw new ProviderError({
        provider: provider.name,
        operation: 'listModels',
        reason: 'malformed',
        detail: 'listModels did not return an (async) iterable',
      });
    }
    const candidates: ModelCandidate[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    let firstProblem: string | undefined;
    let finished = false;
    let truncated = false;
    try {
      while (true) {
        const step: unknown = await unlessAborted(Promise.resolve(iterator.next()), signal);
        if (step === null || typeof step !== 'object') {
          throw new ProviderError({
            provider: provider.name,
            operation: 'listModels',
            reason: 'malformed',
            detail: 'its iterator returned a non-object step',
          });
        }
        const { done, value } = step as IteratorResult<unknown>;
        if (done) {
          finished = true;
          break;
        }
        const problem = candidateProblem(value);
        if (problem !== undefined) {
          skipped += 1;
          firstProblem ??= problem;
          continue;
        }
        const candidate = value as ModelCandidate;
        if (seen.has(candidate.id)) continue;
        seen.add(candidate.id);
        candidates.push(stamped(candidate, provider.name));
        if (candidates.length >= maxCandidates) {
          truncated = true;
          break;
        }
      }
    } finally {
      if (!finished) close(iterator);
    }
    const malformed =
      skipped === 0
        ? undefined
        : new ProviderError({
            provider: provider.name,
            operation: 'listModels',
            reason: 'malformed',
            skippedCandidates: skipped,
            detail: `skipped ${skipped} malformed candidate${skipped === 1 ? '' : 's'} (${firstProblem})`,
          });
    return malformed === undefined ? { candidates, truncated } : { candidates, truncated, malformed };
  });
}

/**
 * Asks `provider` for one model. `undefined` when it does not have it; throws a
 * {@link ProviderError} when it fails, times out or answers something that is not a candidate.
 */
export function getFromProvider(
  provider: ModelProvider,
  id: string,
  revision: string | undefined,
  limits: CallLimits,
): Promise<ModelCandidate | undefined> {
  return withLimits(provider, 'getModel', limits, async (signal) => {
    const value: unknown = await provider.getModel(
      id,
      revision === undefined ? { signal } : { revision, signal },
    );
    if (value === undefined) return undefined;
    const problem = candidateProblem(value);
    if (problem !== undefined) {
      throw new ProviderError({
        provider: provider.name,
        operation: 'getModel',
        reason: 'malformed',
        skippedCandidates: 1,
        detail: problem,
      });
    }
    return stamped(value as ModelCandidate, provider.name);
  });
}
