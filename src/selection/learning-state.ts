import { randomUUID } from 'node:crypto';
import type { LinearStatistics } from '../bandit/linear-statistics.js';
import type { Clock } from '../clock/clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import type { CounterIncrement, CounterRecord, Store } from '../store/spec.js';
import { GLOBAL_PARTITION, type ParsedContext } from './context.js';
import { Decay } from './decay.js';
import { createLayout, type StatisticsLayout, StatisticsTable, shrinkToward } from './statistics-table.js';

/** The scalar metrics learned per arm. @internal */
export const SCALAR_METRICS = ['reward', 'latencyMs', 'costUsd'] as const;
/** One of {@link SCALAR_METRICS}. @internal */
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

/** Fields per scalar metric: count, sum, sum of squares. @internal */
export const SCALAR_FIELDS_PER_METRIC = 3;

const SCALAR_LAYOUT = createLayout(
  SCALAR_METRICS.flatMap((metric) => [`${metric}.count`, `${metric}.sum`, `${metric}.sumOfSquares`]),
  SCALAR_METRICS.map((_, index) => ({
    countIndex: index * SCALAR_FIELDS_PER_METRIC,
    start: index * SCALAR_FIELDS_PER_METRIC,
    end: (index + 1) * SCALAR_FIELDS_PER_METRIC,
  })),
);
const SCALAR_SIZE = SCALAR_LAYOUT.fieldNames.length;

/** Fields per arm in a packed scalar statistics array. @internal */
export const SCALAR_FIELDS_PER_ARM = SCALAR_SIZE;

/** Offset of `metric`'s count within an arm's packed fields (sum and sum of squares follow). @internal */
export function metricOffset(metric: ScalarMetric): number {
  return SCALAR_METRICS.indexOf(metric) * SCALAR_FIELDS_PER_METRIC;
}

function linearLayout(dimension: number): StatisticsLayout {
  const names = ['count', 'sum', 'sumOfSquares'];
  for (let row = 0; row < dimension; row++)
    for (let column = 0; column < dimension; column++) names.push(`gram.${row}.${column}`);
  for (let row = 0; row < dimension; row++) names.push(`featureReward.${row}`);
  return createLayout(names, [{ countIndex: 0, start: 0, end: names.length }]);
}

const SCALAR_TABLE = 'scalar';
const LINEAR_TABLE_PREFIX = 'linear(';

/** Scalar statistics of several arms, packed: arm i's fields start at i · 9; `pulls[i]` its own count. @internal */
export interface Packed {
  readonly values: number[];
  readonly pulls: number[];
}

/** Values of one outcome; each is optional. @internal */
export type OutcomeValues = Partial<Record<ScalarMetric, number>>;

/** @internal */
export interface LearningStateOptions {
  readonly store: Store;
  readonly namespace: string;
  readonly clock: Clock;
  readonly halfLifeMs: number | undefined;
  readonly backoffStrength: number;
  readonly linear: boolean;
  readonly refreshIntervalMs: number;
  readonly onStoreError: (error: StoreError, pendingIncrements: number) => void;
  readonly onStoreRecovered: () => void;
}

/**
 * Learned state of one namespace: additive statistics per (partition, arm), kept in a local view
 * for synchronous reads and sent to the store as increments. A failed write keeps its increments
 * queued (and in the local view) and retries them on the next write, `flush()` or `refresh()`, so
 * nothing learned is lost while a store is away.
 * @internal
 */
export class LearningState {
  private scalar = new StatisticsTable(SCALAR_LAYOUT);
  private linear = new Map<string, StatisticsTable>();
  private readonly knownArms = new Set<string>();
  private readonly decay: Decay;
  private readonly prefix: string;
  private pending: CounterIncrement[] = [];
  /** The batch being written. */
  private inFlight: Batch | undefined;
  /** The batch whose write failed: the next one written, with the same id and increments. */
  private failed: FailedBatch | undefined;
  /** Callers of `flush()` waiting for the next batch (or, during a refresh, for its end). */
  private waiting: Array<() => void> = [];
  /**
   * Batch ids are `{random per state}:{sequence}`: unique across processes sharing a store. Not
   * from the seeded random source, which repeats across processes started with the same seed.
   */
  private readonly batchPrefix = `${randomUUID()}:`;
  private batchSequence = 0;
  private flushing: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private storeFailing = false;
  private lastRefresh = Number.NEGATIVE_INFINITY;
  // Plain arrays, not typed arrays: V8 allocates typed arrays over 64 bytes off-heap, which is
  // slow on hot paths; plain arrays of numbers are packed doubles on the heap.
  private readonly scratch: Packed = { values: [], pulls: [] };
  private readonly parentScratch: number[] = growWithZeros([], SCALAR_SIZE * 3);

  constructor(private readonly options: LearningStateOptions) {
    this.decay = new Decay(options.halfLifeMs);
    this.prefix = `modelscout:${options.namespace}:statistics:`;
  }

  /** Resolves once the store's statistics are in the view; `undefined` when they already are (fast path). */
  ready(): Promise<void> | undefined {
    if (this.loaded) {
      const interval = this.options.refreshIntervalMs;
      if (
        interval > 0 &&
        this.refreshing === undefined &&
        this.options.clock.now() - this.lastRefresh >= interval
      ) {
        this.refresh().catch(() => undefined);
      }
      return undefined;
    }
    // A failed first load is not kept: the next call tries again.
    this.loading ??= this.refresh().then(
      () => {
        this.loaded = true;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /** Remembers that `arm` was offered, so later outcomes for it are accepted. */
  remember(arm: string): void {
    this.knownArms.add(arm);
  }

  /** Whether `arm` was offered, declared or has statistics. */
  knows(arm: string): boolean {
    return this.knownArms.has(arm) || this.scalar.hasArm(arm);
  }

  /** Records an outcome of `arm` in every partition of `context`, locally at once and in the store. */
  record(
    arm: string,
    context: ParsedContext,
    values: OutcomeValues,
    features?: readonly number[],
  ): Promise<void> {
    const now = this.options.clock.now();
    const weight = this.decay.weightAt(now);
    const epoch = this.decay.epochOf(now);
    const deltas: Record<string, number> = {};
    for (const metric of SCALAR_METRICS) {
      const value = values[metric];
      if (value === undefined) continue;
      deltas[`${metric}.count`] = weight;
      deltas[`${metric}.sum`] = weight * value;
      deltas[`${metric}.sumOfSquares`] = weight * value * value;
      if (!Number.isFinite(deltas[`${metric}.sumOfSquares`])) {
        // Queued, it would be refused by the store on every retry and hold back every later write.
        throw new InvalidArgumentError({
          argument: metric,
          value,
          message: 'is too large: its statistics overflow a 64-bit float',
        });
      }
    }
    const increments: CounterIncrement[] = [];
    const partitions = this.partitionsOf(context);
    for (const partition of partitions) {
      increments.push({ key: this.key(SCALAR_TABLE, epoch, partition, arm), deltas });
    }
    if (this.options.linear && values.reward !== undefined && features !== undefined) {
      const linearDeltas = linearObservation(features, values.reward, weight);
      for (const value of Object.values(linearDeltas)) {
        if (!Number.isFinite(value)) {
          throw new InvalidArgumentError({
            argument: 'context',
            value: features,
            message: 'has numeric values too large: their products overflow a 64-bit float',
          });
        }
      }
      const table = `${LINEAR_TABLE_PREFIX}${context.featureSignature})`;
      for (const partition of new Set([GLOBAL_PARTITION, context.partition])) {
        increments.push({ key: this.key(table, epoch, partition, arm), deltas: linearDeltas });
      }
    }
    const tables = this.tables();
    for (const increment of increments) applyCounter(tables, this.prefix, increment.key, increment.deltas);
    this.knownArms.add(arm);
    this.pending.push(...increments);
    return this.flush();
  }

  /**
   * Backed-off, decayed scalar statistics of each arm for `context`, packed in one array:
   * arm `i`'s fields start at `i · 9` (reward, latency, cost × count, sum, sum of squares).
   * `pulls[i]` is the arm's own (decayed) reward count in the context's partition.
   * Written into `into` when given (a result to keep), else into arrays reused by the next call.
   */
  scalarStatistics(arms: readonly string[], context: ParsedContext, into: Packed = this.scratch): Packed {
    const { values, pulls } = into;
    growWithZeros(values, arms.length * SCALAR_SIZE);
    growWithZeros(pulls, arms.length);
    const factors = this.decay.factorsAt(this.options.clock.now());
    const strength = this.options.backoffStrength;
    const parents = this.parentScratch;
    const global = 0;
    const average = SCALAR_SIZE;
    const single = 2 * SCALAR_SIZE;
    const globalArms = this.scalar.partition(GLOBAL_PARTITION);
    const contextArms = this.scalar.partition(context.partition);
    for (let armIndex = 0; armIndex < arms.length; armIndex++) {
      const arm = arms[armIndex]!;
      const offset = armIndex * SCALAR_SIZE;
      if (context.partition === GLOBAL_PARTITION) {
        this.scalar.read(globalArms, arm, factors, values, offset);
        pulls[armIndex] = values[offset]!;
        continue;
      }
      this.scalar.read(globalArms, arm, factors, parents, global);
      this.scalar.read(contextArms, arm, factors, values, offset);
      pulls[armIndex] = values[offset]!;
      const singles = context.singlePartitions;
      if (singles.length === 0) {
        shrinkToward(SCALAR_LAYOUT, values, offset, parents, global, strength);
        continue;
      }
      parents.fill(0, average, average + SCALAR_SIZE);
      for (const partition of singles) {
        this.scalar.read(partition, arm, factors, parents, single);
        shrinkToward(SCALAR_LAYOUT, parents, single, parents, global, strength);
        for (let index = 0; index < SCALAR_SIZE; index++) {
          parents[average + index]! += parents[single + index]! / singles.length;
        }
      }
      shrinkToward(SCALAR_LAYOUT, values, offset, parents, average, strength);
    }
    return { values, pulls };
  }

  /** Backed-off, decayed linear statistics of each arm for `context` (full partition backed off to global). */
  linearStatistics(arms: readonly string[], context: ParsedContext): LinearStatistics[] {
    const dimension = context.features.length;
    const table = this.linear.get(context.featureSignature);
    const layout = table?.layout ?? linearLayout(dimension);
    const size = layout.fieldNames.length;
    const factors = this.decay.factorsAt(this.options.clock.now());
    const result: LinearStatistics[] = [];
    const parent = growWithZeros([], size);
    for (const arm of arms) {
      const values = growWithZeros([], size);
      if (table !== undefined) {
        table.read(context.partition, arm, factors, values, 0);
        if (context.partition !== GLOBAL_PARTITION) {
          table.read(GLOBAL_PARTITION, arm, factors, parent, 0);
          shrinkToward(layout, values, 0, parent, 0, this.options.backoffStrength);
        }
      }
      result.push({
        dimension,
        count: values[0]!,
        sum: values[1]!,
        sumOfSquares: values[2]!,
        gramMatrix: values.slice(3, 3 + dimension * dimension),
        featureRewardSums: values.slice(3 + dimension * dimension, 3 + dimension * dimension + dimension),
      });
    }
    return result;
  }

  /**
   * Sends queued increments to the store. Never rejects: failures are reported and kept queued.
   * Resolves once everything queued now has been written, or has failed and stays queued.
   *
   * Writes are group commits: one batch is in flight at a time, and what is recorded meanwhile
   * goes together in the next one, started as soon as the batch in flight settles. A batch that
   * failed stays the next one to write, with the same `batchId` and the same increments, so a
   * store that cannot tell whether the failed call was applied (a connection dropped after the
   * write was sent) applies it at most once.
   *
   * Invariants: no batch starts while a refresh is going (it writes what is queued at its end,
   * and the next batch starts when it ends, whether it succeeded or failed). A caller is resolved
   * when a batch holding its increments was written, when a write failed (what it queued stays
   * queued), or when nothing is left to write: never while its increments wait unwritten behind
   * a healthy store.
   */
  flush(): Promise<void> {
    if (!this.hasQueued() && this.refreshing === undefined) return this.flushing ?? Promise.resolve();
    const written = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.writeNext();
    return written;
  }

  /**
   * Queues increments of other records (e.g. the performance history) on the same write path,
   * without writing: they go with the next batch (the next `record()` or `flush()`), and are kept
   * and retried with it while the store fails.
   */
  queue(increments: readonly CounterIncrement[]): void {
    for (const increment of increments) this.pending.push(increment);
  }

  /**
   * Starts the next batch for the callers waiting, unless one is in flight or a refresh is going
   * (each calls this again when it ends); resolves them when nothing is left to write. Without
   * callers, nothing starts: increments queued alone go with the next write.
   */
  private writeNext(): void {
    if (this.waiting.length === 0 || this.flushing !== undefined || this.refreshing !== undefined) return;
    if (this.hasQueued()) {
      this.startWrite();
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Writes the failed batch when there is one, else what is pending, for the callers waiting now.
   * `flushing` settles (never rejects) once the batch's outcome is handled.
   */
  private startWrite(): void {
    const resolvers = this.waiting;
    this.waiting = [];
    const retry = this.failed !== undefined;
    const batch: Batch = this.failed ?? {
      id: `${this.batchPrefix}${this.batchSequence++}`,
      increments: coalesce(this.pending),
    };
    if (!retry) this.pending = [];
    this.failed = undefined;
    this.inFlight = batch;
    this.flushing = incrementBatch(this.options.store, batch).then(
      () => {
        this.inFlight = undefined;
        this.flushing = undefined;
        // The callers of a retried batch also wait for what they queued behind it: the next batch.
        if (retry && this.pending.length > 0) this.waiting.push(...resolvers);
        else for (const resolve of resolvers) resolve();
        if (this.storeFailing) {
          this.storeFailing = false;
          this.report(() => this.options.onStoreRecovered());
        }
        this.writeNext();
      },
      (error: unknown) => {
        const storeError = asStoreError(this.options.store, error);
        this.inFlight = undefined;
        this.flushing = undefined;
        this.failed = { id: batch.id, increments: batch.increments, error: storeError };
        this.storeFailing = true;
        // Nothing is lost: everything stays queued for the next write, flush() or refresh().
        for (const resolve of resolvers) resolve();
        const waiting = this.waiting;
        this.waiting = [];
        for (const resolve of waiting) resolve();
        this.report(() => this.options.onStoreError(storeError, this.pendingIncrements));
      },
    );
  }

  /** Calls a host's callback (an event emitter's `emit`); what its listeners throw is ignored, as the state is settled. */
  private report(callback: () => void): void {
    try {
      callback();
    } catch {
      // A listener's failure must not leave callers waiting nor a refresh half done.
    }
  }

  /** Whether something is waiting to be written (a failed batch, or increments not yet in a batch). */
  private hasQueued(): boolean {
    return this.failed !== undefined || this.pending.length > 0;
  }

  /** Why the batch waiting to be retried failed; `undefined` when no write has failed since the last success. */
  get writeError(): StoreError | undefined {
    return this.failed?.error;
  }

  /** Increments not yet confirmed by the store (non-zero while it is unreachable). */
  get pendingIncrements(): number {
    return (
      this.pending.length + (this.inFlight?.increments.length ?? 0) + (this.failed?.increments.length ?? 0)
    );
  }

  /**
   * Rebuilds the local view from the store (picking up what other processes learned), keeping
   * the increments not yet written. Rejects with a `StoreError` when the store cannot be read, or
   * when a batch whose write failed still cannot be written; the local view is then left as it was.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = undefined;
      // What was recorded during the refresh and not written at its end (it failed, or it was
      // recorded during that last write) goes now.
      this.writeNext();
    });
    return this.refreshing;
  }

  /**
   * Scans the store into fresh tables while the old view keeps serving (and recording: outcomes
   * recorded meanwhile are queued, not written), then adds the queued increments and swaps.
   */
  private async reload(): Promise<void> {
    // No batch starts during a refresh, so once the one in flight is done, the scan sees every
    // increment that is not queued.
    while (this.flushing !== undefined) await this.flushing;
    // A batch that failed is retried first (with its id), so that the scan includes it. If it
    // fails again, the scan could include it (a write applied, then reported as failed) or not:
    // adding it to the scan could count it twice, leaving it out could lose it. The view stays.
    if (this.failed !== undefined) {
      this.startWrite();
      await this.flushing;
      if (this.failed !== undefined) {
        this.lastRefresh = this.options.clock.now();
        throw this.failed.error;
      }
    }
    const tables: Tables = { scalar: new StatisticsTable(SCALAR_LAYOUT), linear: new Map() };
    try {
      for await (const [key, record] of this.options.store.scanCounters(this.prefix)) {
        applyCounter(tables, this.prefix, key, record);
      }
    } catch (error) {
      // Back off: a periodic refresh tries again after a full interval, not on every call.
      this.lastRefresh = this.options.clock.now();
      this.storeFailing = true;
      const storeError = asStoreError(this.options.store, error);
      this.report(() => this.options.onStoreError(storeError, this.pendingIncrements));
      throw storeError;
    }
    for (const increment of this.pending) applyCounter(tables, this.prefix, increment.key, increment.deltas);
    this.scalar = tables.scalar;
    this.linear = tables.linear;
    this.lastRefresh = this.options.clock.now();
    if (!this.hasQueued() && this.storeFailing) {
      this.storeFailing = false;
      this.report(() => this.options.onStoreRecovered());
    }
    if (this.hasQueued()) {
      this.startWrite();
      await this.flushing;
    }
  }

  private tables(): Tables {
    return { scalar: this.scalar, linear: this.linear };
  }

  private partitionsOf(context: ParsedContext): string[] {
    if (context.partition === GLOBAL_PARTITION) return [GLOBAL_PARTITION];
    return [GLOBAL_PARTITION, ...context.singlePartitions, context.partition];
  }

  private key(table: string, epoch: number, partition: string, arm: string): string {
    return `${this.prefix}${table}:${epoch}:${partition}:${arm}`;
  }
}

/** Increments written in one store call, named for retries. */
interface Batch {
  readonly id: string;
  readonly increments: CounterIncrement[];
}

/** A batch whose write failed, with the failure. */
interface FailedBatch extends Batch {
  readonly error: StoreError;
}

/** Writes `batch`; a store that throws instead of rejecting is treated as one that rejects. */
function incrementBatch(store: Store, batch: Batch): Promise<void> {
  try {
    return store.increment(batch.increments, { batchId: batch.id });
  } catch (error) {
    return Promise.reject(error);
  }
}

interface Tables {
  readonly scalar: StatisticsTable;
  readonly linear: Map<string, StatisticsTable>;
}

/** Applies a stored (or queued) counter to `tables`. Keys of unknown shape are ignored. */
function applyCounter(tables: Tables, prefix: string, key: string, record: CounterRecord): void {
  if (!key.startsWith(prefix)) return;
  const rest = key.slice(prefix.length);
  const tableEnd = rest.indexOf(':');
  const epochEnd = rest.indexOf(':', tableEnd + 1);
  const partitionEnd = rest.indexOf(':', epochEnd + 1);
  if (tableEnd < 0 || epochEnd < 0 || partitionEnd < 0) return;
  const table = tableFor(tables, rest.slice(0, tableEnd));
  const epoch = Number(rest.slice(tableEnd + 1, epochEnd));
  const partition = flatString(rest.slice(epochEnd + 1, partitionEnd));
  const arm = flatString(rest.slice(partitionEnd + 1));
  if (table === undefined || !Number.isInteger(epoch) || arm.length === 0) return;
  const deltas = new Float64Array(table.layout.fieldNames.length);
  for (const [field, value] of Object.entries(record)) {
    const index = table.layout.fieldIndex.get(field);
    if (index !== undefined && Number.isFinite(value)) deltas[index] = value;
  }
  table.add(partition, arm, epoch, deltas);
}

function tableFor(tables: Tables, name: string): StatisticsTable | undefined {
  if (name === SCALAR_TABLE) return tables.scalar;
  if (!name.startsWith(LINEAR_TABLE_PREFIX) || !name.endsWith(')')) return undefined;
  const signature = name.slice(LINEAR_TABLE_PREFIX.length, -1);
  let table = tables.linear.get(signature);
  if (table === undefined) {
    const dimension = signature === '' ? 1 : signature.split(',').length + 1;
    table = new StatisticsTable(linearLayout(dimension));
    tables.linear.set(signature, table);
  }
  return table;
}

/**
 * A flat copy of `text`. `slice` returns a view into the longer key, and V8 compares such views
 * character by character on every Map lookup (about 100 ns instead of 15 ns): the tables' keys
 * are made flat once, here. A computed property key is interned, hence flat.
 */
function flatString(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}

/**
 * `increments` with those of the same key merged into one (their deltas added), in order of
 * first appearance: a batch of outcomes that arrived while a write was in flight touches each
 * (partition, arm) hash once, so the store's work grows with the arms served, not the outcomes.
 * The deltas objects given are never changed (record() shares one among partitions).
 */
function coalesce(increments: CounterIncrement[]): CounterIncrement[] {
  if (increments.length < 2) return increments;
  const byKey = new Map<string, { deltas: CounterRecord; owned: boolean }>();
  for (const { key, deltas } of increments) {
    const merged = byKey.get(key);
    if (merged === undefined) {
      byKey.set(key, { deltas, owned: false });
      continue;
    }
    const sums: Record<string, number> = merged.owned
      ? (merged.deltas as Record<string, number>)
      : { ...merged.deltas };
    for (const field in deltas) sums[field] = (sums[field] ?? 0) + deltas[field]!;
    merged.deltas = sums;
    merged.owned = true;
  }
  if (byKey.size === increments.length) return increments;
  const result: CounterIncrement[] = [];
  for (const [key, { deltas }] of byKey) result.push({ key, deltas });
  return result;
}

/** Appends zeros to `values` until it has at least `length` entries (pushes keep it a packed array). */
function growWithZeros(values: number[], length: number): number[] {
  while (values.length < length) values.push(0);
  return values;
}

function linearObservation(
  features: readonly number[],
  reward: number,
  weight: number,
): Record<string, number> {
  const deltas: Record<string, number> = {
    count: weight,
    sum: weight * reward,
    sumOfSquares: weight * reward * reward,
  };
  const dimension = features.length;
  for (let row = 0; row < dimension; row++) {
    for (let column = 0; column < dimension; column++) {
      deltas[`gram.${row}.${column}`] = weight * features[row]! * features[column]!;
    }
    deltas[`featureReward.${row}`] = weight * features[row]! * reward;
  }
  return deltas;
}

function asStoreError(store: Store, error: unknown): StoreError {
  if (StoreError.isInstance(error)) return error;
  return new StoreError({
    store: store.name,
    message: error instanceof Error ? error.message : String(error),
    cause: error,
    isRetryable: true,
  });
}

/** Reads one scalar metric of arm `index` out of a packed statistics array. @internal */
export function metricStatistics(
  values: readonly number[],
  index: number,
  metric: ScalarMetric,
): { count: number; sum: number; sumOfSquares: number } {
  const offset = index * SCALAR_SIZE + metricOffset(metric);
  return { count: values[offset]!, sum: values[offset + 1]!, sumOfSquares: values[offset + 2]! };
}
