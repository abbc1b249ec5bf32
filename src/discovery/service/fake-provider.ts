import type { ModelCandidate } from '../../core/model-candidate.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';

/** Counts calls in flight across several fake providers. @internal */
export interface InFlightCounter {
  current: number;
  maximum: number;
}

/** Options of {@link fakeProvider}. @internal */
export interface FakeProviderOptions {
  readonly name: string;
  /** What it lists (read at each call, so a test can change it between calls). */
  readonly models: () => readonly unknown[];
  /** Shared with other fake providers to measure concurrency. */
  readonly inFlight?: InFlightCounter;
  /** Event-loop turns (`setImmediate`) to yield before answering, so others can start meanwhile. @default 0 */
  readonly turns?: number;
  /**
   * `'throw'`: rejects with `error`; `'hang'`: never answers until aborted; `'ignore-abort'`: never
   * answers at all; `'not-iterable'`: returns a number from `listModels`. @default answers
   */
  readonly behavior?: 'throw' | 'hang' | 'ignore-abort' | 'not-iterable';
  readonly error?: unknown;
  /** Called when a listing starts (e.g. to advance a manual clock). */
  readonly onList?: (query: ProviderQuery) => void;
}

/** A provider for tests, recording its calls. @internal */
export interface FakeProvider extends ModelProvider {
  /** Every listing query received. */
  readonly queries: ProviderQuery[];
  /** Listings whose signal was aborted while running. */
  readonly aborted: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A {@link ModelProvider} over a list of (possibly malformed) records, with scripted failures. @internal */
export function fakeProvider(options: FakeProviderOptions): FakeProvider {
  const { name, models, inFlight, turns = 0, behavior, error, onList } = options;
  const queries: ProviderQuery[] = [];
  let aborted = 0;
  async function* list(query: ProviderQuery): AsyncGenerator<ModelCandidate> {
    queries.push(query);
    query.signal?.addEventListener('abort', () => aborted++, { once: true });
    onList?.(query);
    if (inFlight) {
      inFlight.current += 1;
      inFlight.maximum = Math.max(inFlight.maximum, inFlight.current);
    }
    try {
      for (let turn = 0; turn < turns; turn++) await nextTurn();
      if (behavior === 'throw') throw error;
      if (behavior === 'hang') await untilAborted(query.signal);
      if (behavior === 'ignore-abort') await new Promise<never>(() => {});
      let count = 0;
      for (const model of models()) {
        if (query.limit !== undefined && count >= query.limit) return;
        yield model as ModelCandidate;
        count += 1;
      }
    } finally {
      if (inFlight) inFlight.current -= 1;
    }
  }
  return {
    specificationVersion: 'v1',
    name,
    queries,
    get aborted() {
      return aborted;
    },
    listModels(query) {
      if (behavior === 'not-iterable') return 42 as unknown as AsyncIterable<ModelCandidate>;
      return list(query);
    },
    async getModel(id, { signal } = {}) {
      if (behavior === 'throw') throw error;
      if (behavior === 'hang') return untilAborted(signal);
      return models().find((model) => (model as ModelCandidate | null)?.id === id) as
        | ModelCandidate
        | undefined;
    },
  };
}
