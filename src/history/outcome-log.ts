import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import { isTimerClock, type TimerHandle } from '../clock/timer-clock.js';
import { redactSecrets } from '../errors/redact-secrets.js';
import { StoreError } from '../errors/store-error.js';
import { timeStamp } from '../lifecycle/upkeep/availability-history.js';
import type { Context } from '../selection/context.js';
import type { JsonValue, Store } from '../store/spec.js';
import type { ResolvedWindow, TimeWindow } from './time-window.js';

/** One outcome as the outcome log keeps it. */
export interface OutcomeLogEntry {
  /** When it was recorded, in clock milliseconds. */
  readonly at: number;
  readonly modelId: string;
  /** The request's context, as given to `recordOutcome`. */
  readonly context?: Context;
  /** The quality learned, in [0, 1]. */
  readonly reward?: number;
  readonly latencyMs?: number;
  readonly costUsd?: number;
  /** The error's message: secrets redacted, at most 500 characters. */
  readonly error?: string;
}

/** Options of {@link History.outcomes}: a window (the last 7 days by default), a model, a limit. */
export interface OutcomeQuery extends TimeWindow {
  /** Only outcomes of this model. */
  readonly modelId?: string;
  /** Most entries returned (the newest). @default 1000 */
  readonly limit?: number;
}

/** Default of {@link OutcomeQuery.limit}. @internal */
export const OUTCOME_QUERY_LIMIT = 1000;

/** Longest error message kept in an entry. @internal */
export const OUTCOME_ERROR_LENGTH = 500;

/** Chunks' worth of entries kept while the store fails; older ones are dropped beyond it. @internal */
export const OUTCOME_BUFFER_CHUNKS = 16;

/** `modelscout:{namespace}:outcomes:`. @internal */
export function outcomeLogPrefix(namespace: string): string {
  return `modelscout:${namespace}:outcomes:`;
}

/** The message an entry keeps of `error`: redacted and truncated. @internal */
export function outcomeErrorMessage(error: unknown): string {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  return message.length > OUTCOME_ERROR_LENGTH ? `${message.slice(0, OUTCOME_ERROR_LENGTH - 1)}…` : message;
}

/** What happened when a chunk could not be written. @internal */
export interface OutcomeLogFailure {
  readonly error: StoreError;
  /** Entries waiting to be written. */
  readonly bufferedOutcomes: number;
  /** Oldest entries dropped because the buffer was full. */
  readonly droppedOutcomes: number;
}

/** @internal */
export interface OutcomeLogSettings {
  readonly store: Store;
  readonly namespace: string;
  readonly clock: Clock;
  /** Entries per chunk document. */
  readonly chunkSize: number;
  /** Longest time an entry waits in the buffer (on a clock with timers); 0 for no timer. */
  readonly flushIntervalMs: number;
  /** Time to live of each chunk. */
  readonly retentionMs: number;
  readonly onFailure: (failure: OutcomeLogFailure) => void;
}

/**
 * A chunk of entries on its way to the store; `sequence` orders chunks by their entries' age.
 * Its `nonce` is drawn once, so that every attempt writes the same document: a write that failed
 * after the store applied it (a dropped connection) is replaced by its retry, not duplicated.
 */
interface PendingChunk {
  readonly sequence: number;
  readonly nonce: string;
  readonly entries: OutcomeLogEntry[];
}

interface StoredChunk {
  readonly from: number;
  readonly to: number;
  /** The log that wrote it (one per scout), and its chunk number there: orders entries of equal times. */
  readonly writer?: string;
  readonly sequence?: number;
  readonly entries: readonly OutcomeLogEntry[];
}

/**
 * The outcome log of one scout: entries are buffered and appended as chunk documents
 * `modelscout:{namespace}:outcomes:{time of the newest entry, 15 digits}-{nonce}` holding
 * `{ from, to, writer, sequence, entries }`, each with a time to live of the retention. A chunk
 * is written when the buffer holds `chunkSize` entries, when its oldest entry has waited
 * `flushIntervalMs` (on a clock with timers), and on `flush()`. Every chunk is a new document:
 * processes sharing a store never overwrite each other's. A chunk that fails is kept and written
 * again, to the same key, with the next ones (at most 16 chunks' worth of entries are kept; older
 * entries are then dropped and reported).
 * @internal
 */
export class OutcomeLog {
  private buffer: OutcomeLogEntry[] = [];
  /** Chunks whose write failed, oldest first (by `sequence`), written again with the next ones. */
  private failed: PendingChunk[] = [];
  private sequence = 0;
  /** Names this log in its chunks. */
  private readonly writer = randomUUID();
  private readonly writes = new Set<Promise<void>>();
  private timer: TimerHandle | undefined;
  /** Set by `close()`: no timer is armed any more (a flush still writes). */
  private closed = false;

  constructor(private readonly settings: OutcomeLogSettings) {}

  /** Entries not written yet. */
  get bufferedOutcomes(): number {
    let count = this.buffer.length;
    for (const chunk of this.failed) count += chunk.entries.length;
    return count;
  }

  /** Buffers one entry; writes a chunk once `chunkSize` are buffered. */
  append(entry: OutcomeLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= this.settings.chunkSize) this.writeBuffer();
    else if (this.buffer.length === 1) this.armTimer();
  }

  /** Writes every buffered entry and waits for every chunk in flight. Never rejects. */
  async flush(): Promise<void> {
    this.writeBuffer();
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  /**
   * Writes what is buffered, then arms no timer any more: chunks that still fail are not retried
   * on their own (a later `flush()` still tries them). Never rejects.
   */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private armTimer(): void {
    const { clock, flushIntervalMs } = this.settings;
    if (this.closed || this.timer !== undefined || flushIntervalMs <= 0 || !isTimerClock(clock)) return;
    this.timer = clock.setTimer(() => {
      this.timer = undefined;
      this.writeBuffer();
    }, flushIntervalMs);
  }

  /** Starts writing the chunks that failed, then the buffer in chunks of at most `chunkSize`. */
  private writeBuffer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const retried = this.failed;
    this.failed = [];
    for (const chunk of retried) this.startWrite(chunk);
    const entries = this.buffer;
    this.buffer = [];
    const { chunkSize } = this.settings;
    for (let start = 0; start < entries.length; start += chunkSize) {
      this.startWrite({
        sequence: this.sequence++,
        nonce: randomUUID().slice(0, 8),
        entries: entries.slice(start, start + chunkSize),
      });
    }
  }

  private startWrite(chunk: PendingChunk): void {
    const write = this.writeChunk(chunk).finally(() => {
      this.writes.delete(write);
    });
    this.writes.add(write);
  }

  private async writeChunk(chunk: PendingChunk): Promise<void> {
    const { store, namespace, retentionMs } = this.settings;
    const { entries } = chunk;
    let from = entries[0]!.at;
    let to = from;
    for (const entry of entries) {
      if (entry.at < from) from = entry.at;
      if (entry.at > to) to = entry.at;
    }
    const key = `${outcomeLogPrefix(namespace)}${timeStamp(to)}-${chunk.nonce}`;
    const stored: StoredChunk = { from, to, writer: this.writer, sequence: chunk.sequence, entries };
    try {
      await store.setDocument(key, stored as unknown as JsonValue, { ttlMs: retentionMs });
    } catch (error) {
      this.keep(chunk, error);
    }
  }

  /** Keeps a chunk whose write failed, in order, dropping the oldest entries beyond the bound. */
  private keep(chunk: PendingChunk, error: unknown): void {
    const { store, chunkSize } = this.settings;
    const position = this.failed.findIndex((other) => other.sequence > chunk.sequence);
    this.failed.splice(position < 0 ? this.failed.length : position, 0, chunk);
    let excess = this.bufferedOutcomes - OUTCOME_BUFFER_CHUNKS * chunkSize;
    const droppedOutcomes = excess > 0 ? excess : 0;
    while (excess > 0) {
      const oldest = this.failed[0]!;
      if (oldest.entries.length <= excess) {
        this.failed.shift();
        excess -= oldest.entries.length;
      } else {
        this.failed[0] = { ...oldest, entries: oldest.entries.slice(excess) };
        excess = 0;
      }
    }
    this.armTimer();
    this.settings.onFailure({
      error: StoreError.isInstance(error)
        ? error
        : new StoreError({
            store: store.name,
            message: `writing the outcome log failed: ${error instanceof Error ? error.message : String(error)}`,
            cause: error,
            isRetryable: true,
          }),
      bufferedOutcomes: this.bufferedOutcomes,
      droppedOutcomes,
    });
  }
}

function isChunk(value: JsonValue): value is JsonValue & StoredChunk {
  const chunk = value as Partial<StoredChunk> | null;
  return (
    chunk !== null &&
    typeof chunk === 'object' &&
    typeof chunk.from === 'number' &&
    typeof chunk.to === 'number' &&
    Array.isArray(chunk.entries)
  );
}

function isEntry(value: unknown): value is OutcomeLogEntry {
  const entry = value as Partial<OutcomeLogEntry> | null;
  return (
    entry !== null &&
    typeof entry === 'object' &&
    typeof entry.at === 'number' &&
    typeof entry.modelId === 'string'
  );
}

/**
 * The stored entries in `window` (of `modelId` when given), newest first, at most `limit`.
 * @internal
 */
export async function readOutcomes(
  store: Store,
  namespace: string,
  window: ResolvedWindow,
  modelId: string | undefined,
  limit: number,
): Promise<OutcomeLogEntry[]> {
  const found: { entry: OutcomeLogEntry; writer: string; sequence: number; index: number }[] = [];
  for await (const [key, value] of store.scanDocuments(outcomeLogPrefix(namespace))) {
    if (!isChunk(value) || value.to < window.since || value.from > window.until) continue;
    // A chunk without its writer (not written by this version) is ordered as a writer of its own.
    const writer = typeof value.writer === 'string' ? value.writer : key;
    const sequence = typeof value.sequence === 'number' ? value.sequence : 0;
    value.entries.forEach((entry, index) => {
      if (!isEntry(entry) || entry.at < window.since || entry.at > window.until) return;
      if (modelId === undefined || entry.modelId === modelId) found.push({ entry, writer, sequence, index });
    });
  }
  // Newest first. Entries of the same time: those of one writer in the reverse of the order they
  // were recorded (by chunk, then place in it); writers apart (their order is unknown) by name.
  found.sort(
    (left, right) =>
      right.entry.at - left.entry.at ||
      (left.writer < right.writer ? -1 : left.writer > right.writer ? 1 : 0) ||
      right.sequence - left.sequence ||
      right.index - left.index,
  );
  return found.slice(0, limit).map(({ entry }) => entry);
}
