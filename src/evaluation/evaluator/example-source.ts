import type { Task } from '../../core/task.js';
import type { LabeledExample } from '../../core/test-data.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { scoreTask } from '../metrics/index.js';
import type { ScoredExample } from '../task-score.js';
import { DatasetFingerprint } from './dataset-fingerprint.js';

/** Raw rows are read and validated this many at a time (the scorer checks labels per chunk). */
const CHUNK = 64;
const LABEL_ARGUMENT = /^examples\[(\d+)\]\.label$/;

/** Counts of rows left out, shared by every candidate. @internal */
export interface SkipCounts {
  unlabeled: number;
  invalid: number;
}

/** Reads the valid examples of an {@link ExampleSource} from the first one. @internal */
export interface ExampleReader {
  /** Up to `count` next valid examples (fewer at the end of the data or of `maxSamples`; none after). */
  next(count: number): Promise<LabeledExample[]>;
  /** Valid examples returned so far. */
  readonly position: number;
  /** Whether the data holds valid examples beyond `position` (even past `maxSamples`). */
  hasMore(): Promise<boolean>;
}

/**
 * The request's examples, read once and replayable: rows are validated as they are read (an
 * object with `input`, a label present, a label the task's scorer accepts) and the valid ones kept
 * so that each candidate (or each round of a race) reads the same examples. Arrays are hashed up
 * front; streamed data is hashed as it is read.
 * @internal
 */
export class ExampleSource {
  readonly skipped: SkipCounts = { unlabeled: 0, invalid: 0 };
  /** Rows in the data, when it is an array. */
  readonly knownSize: number | undefined;
  /** The task's headline metric (known once a chunk was validated). */
  headlineMetric: string | undefined;
  private readonly valid: LabeledExample[] = [];
  private readonly iterator: Iterator<unknown> | AsyncIterator<unknown>;
  private readonly fingerprint = new DatasetFingerprint();
  private readonly hashedUpFront: boolean;
  private exhausted = false;
  private closed = false;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly task: Task,
    examples: unknown,
    private readonly maxSamples: number,
  ) {
    if (Array.isArray(examples)) {
      this.knownSize = examples.length;
      for (const row of examples) this.fingerprint.add(row);
      this.hashedUpFront = true;
    } else {
      this.knownSize = undefined;
      this.hashedUpFront = false;
    }
    const iterable = examples as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null | undefined;
    const asyncIterator = iterable?.[Symbol.asyncIterator];
    const syncIterator = iterable?.[Symbol.iterator];
    if (typeof asyncIterator === 'function') {
      this.iterator = asyncIterator.call(iterable);
    } else if (typeof syncIterator === 'function' && typeof examples !== 'string') {
      this.iterator = syncIterator.call(iterable);
    } else {
      throw new InvalidArgumentError({
        argument: 'request.data.examples',
        value: examples,
        message: 'must be an array, an iterable or an async iterable of { input, label }',
      });
    }
  }

  /**
   * Lets go of streamed data that was not read to the end (`return()` on its iterator, so a
   * generator's `finally` runs and a file it reads is closed). Never waits: a stream stalled in a
   * read is closed once that read settles.
   */
  close(): void {
    if (this.exhausted || this.closed) return;
    this.closed = true;
    try {
      Promise.resolve(this.iterator.return?.()).catch(() => undefined);
    } catch {
      // An iterator whose return() throws has nothing more to release.
    }
  }

  /** A sha256 of the rows (all of an array; those read so far of streamed data). */
  datasetFingerprint(): string {
    return this.fingerprint.digest();
  }

  /** How many valid examples are known to exist (an upper bound for an array, `undefined` for streams). */
  get expectedSize(): number | undefined {
    if (this.exhausted) return Math.min(this.valid.length, this.maxSamples);
    return this.knownSize === undefined ? undefined : Math.min(this.knownSize, this.maxSamples);
  }

  /** A new reader from the first valid example. */
  reader(): ExampleReader {
    let position = 0;
    return {
      next: async (count) => {
        const end = Math.min(position + count, this.maxSamples);
        if (end <= position) return [];
        await this.fill(end);
        const examples = this.valid.slice(position, end);
        position += examples.length;
        return examples;
      },
      get position() {
        return position;
      },
      hasMore: async () => {
        await this.fill(position + 1);
        return this.valid.length > position;
      },
    };
  }

  /** Reads until `size` valid examples are kept or the data ends. */
  private async fill(size: number): Promise<void> {
    while (this.valid.length < size && !this.exhausted) {
      this.reading ??= this.readChunk().finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
  }

  private async readChunk(): Promise<void> {
    const rows: unknown[] = [];
    while (rows.length < CHUNK) {
      let step: IteratorResult<unknown>;
      try {
        step = await this.iterator.next();
      } catch (error) {
        throw new InvalidArgumentError({
          argument: 'request.data.examples',
          message: `reading the examples failed: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
      }
      if (step.done) {
        this.exhausted = true;
        break;
      }
      rows.push(step.value);
      if (!this.hashedUpFront) this.fingerprint.add(step.value);
    }
    const candidates: LabeledExample[] = [];
    for (const row of rows) {
      if (row === null || typeof row !== 'object' || !('input' in row)) {
        this.skipped.invalid++;
      } else if ((row as LabeledExample).label === undefined || (row as LabeledExample).label === null) {
        this.skipped.unlabeled++;
      } else {
        candidates.push(row as LabeledExample);
      }
    }
    this.valid.push(...this.acceptedByScorer(candidates));
  }

  /**
   * The examples whose label the task's scorer accepts: a chunk is scored with placeholder
   * predictions, and each label it rejects is dropped (counted as invalid). A task without a
   * scorer is an {@link InvalidArgumentError}.
   */
  private acceptedByScorer(examples: LabeledExample[]): LabeledExample[] {
    let remaining = examples;
    while (remaining.length > 0) {
      const scored: ScoredExample[] = remaining.map((example) => ({
        prediction: { output: undefined },
        label: example.label,
      }));
      try {
        const score = scoreTask(this.task, scored, { bootstrapResamples: 1 });
        this.headlineMetric ??= score.quality.metric;
        return remaining;
      } catch (error) {
        if (!InvalidArgumentError.isInstance(error)) throw error;
        const match = LABEL_ARGUMENT.exec(error.argument);
        if (match === null) {
          if (error.argument === 'task') {
            throw new InvalidArgumentError({
              argument: 'request.data.task',
              value: this.task,
              message: error.message,
              cause: error,
            });
          }
          // A constraint of the whole set (e.g. too few examples to score): labels cannot be checked here.
          return remaining;
        }
        const index = Number(match[1]);
        this.skipped.invalid++;
        remaining = remaining.filter((_, each) => each !== index);
      }
    }
    return remaining;
  }
}
