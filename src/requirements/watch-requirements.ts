import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { systemClock } from '../clock/clock.js';
import { isTimerClock, type TimerClock } from '../clock/timer-clock.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { changedTasks } from './changed-tasks.js';
import { createDebouncer } from './debounce.js';
import { type LoadRequirementsOptions, readRequirementsText } from './load-requirements.js';
import { parseWithOptions, resolveParseOptions } from './parse-requirements.js';
import type { Requirements } from './requirements.js';

/** Options of {@link watchRequirements}. */
export interface WatchRequirementsOptions extends LoadRequirementsOptions {
  /**
   * How long the file must stay quiet before it is read again, in milliseconds: editors write a
   * file in several steps (truncate, write, rename), and each step is reported.
   * @default 100
   */
  readonly debounceMs?: number;
  /** The clock the debounce waits on; a `manualClock` in tests. @default systemClock */
  readonly clock?: TimerClock;
  /**
   * Whether watching keeps the Node process alive. Like modelscout's timers, it does not by
   * default: a host that has nothing else to do may exit.
   * @default false
   */
  readonly persistent?: boolean;
  /** Closes the watcher when aborted (and aborts the first read). @default undefined (closed by `close()` only) */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link WatchRequirementsOptions} (besides those of {@link REQUIREMENTS_DEFAULTS}). */
export const REQUIREMENTS_WATCH_DEFAULTS = Object.freeze({
  debounceMs: 100,
  persistent: false,
} as const);

/** Emitted when the file changed and its new version is valid and differs from the one in effect. */
export interface RequirementsChangedEvent {
  /** The new requirements, now in effect. */
  readonly requirements: Requirements;
  /** The requirements in effect before. */
  readonly previous: Requirements;
  /**
   * Names of the tasks that differ: added or changed ones in the new file's order, then removed
   * ones. Never empty (a change that alters no task emits nothing).
   */
  readonly changedTasks: readonly string[];
}

/** Events of a {@link RequirementsWatcher}. */
export interface RequirementsWatcherEvents {
  /** A new valid version of the file is in effect. */
  config_changed: [event: RequirementsChangedEvent];
  /**
   * The file changed but cannot be used (invalid, unreadable, removed), or the folder can no longer
   * be watched. The last valid requirements stay in effect.
   */
  config_error: [error: ConfigurationError];
}

/** Watches a requirements file; created by {@link watchRequirements}. */
export interface RequirementsWatcher {
  /** `config_changed` and `config_error`. */
  readonly events: EventEmitter<RequirementsWatcherEvents>;
  /** The requirements in effect: the last valid version of the file. */
  readonly requirements: Requirements;
  /** Whether {@link RequirementsWatcher.close} was called (or the signal aborted). */
  readonly closed: boolean;
  /**
   * Reads the file now, without waiting for a change to be reported, and emits what a change
   * would. Resolves with the requirements in effect afterwards. Reads never overlap.
   */
  reload(): Promise<Requirements>;
  /** Stops watching; no event is emitted afterwards. Resolves once a read under way has finished. */
  close(): Promise<void>;
}

/**
 * Loads a requirements file, then watches it: each time it changes (and has stayed quiet for
 * `debounceMs`), it is read again; a valid new version replaces the one in effect and emits
 * `config_changed` with the names of the changed tasks, an invalid one emits `config_error` and
 * the last valid version stays in effect. The file's folder is watched (with `fs.watch`), so
 * editors that save by writing another file and renaming it over this one are followed.
 *
 * @example
 * ```ts
 * const watcher = await watchRequirements('requirements.yaml');
 * watcher.events.on('config_changed', ({ changedTasks }) => console.log('changed:', changedTasks));
 * watcher.events.on('config_error', (error) => console.error(error.message));
 * // …
 * await watcher.close();
 * ```
 *
 * @throws {ConfigurationError} (rejects) when the file is not valid to begin with.
 * @throws {InvalidArgumentError} when `path` or an option is invalid.
 */
export async function watchRequirements(
  path: string,
  options: WatchRequirementsOptions = {},
): Promise<RequirementsWatcher> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError({ argument: 'path', value: path, message: 'must be a non-empty string' });
  }
  const {
    debounceMs = REQUIREMENTS_WATCH_DEFAULTS.debounceMs,
    clock = systemClock,
    persistent = REQUIREMENTS_WATCH_DEFAULTS.persistent,
    signal,
    ...parseOptions
  } = options ?? {};
  if (typeof debounceMs !== 'number' || !Number.isFinite(debounceMs) || debounceMs < 0) {
    throw new InvalidArgumentError({
      argument: 'options.debounceMs',
      value: debounceMs,
      message: 'must be a finite number ≥ 0',
    });
  }
  if (clock === null || typeof clock !== 'object' || !isTimerClock(clock)) {
    throw new InvalidArgumentError({
      argument: 'options.clock',
      value: clock,
      message: 'must be a TimerClock',
    });
  }
  if (typeof persistent !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'options.persistent',
      value: persistent,
      message: 'must be a boolean',
    });
  }
  const resolved = resolveParseOptions({ ...parseOptions, file: path }, 'options');
  const fileName = basename(path);
  const events = new EventEmitter<RequirementsWatcherEvents>();

  let closed = false;
  let lastText: string | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const debouncer = createDebouncer(clock, debounceMs, () => {
    enqueue().catch((error: unknown) => {
      // Only a listener can make a read fail: report it the way a throwing listener of a timer would.
      queueMicrotask(() => {
        throw error;
      });
    });
  });

  // Watch before the first read, so that a change made while reading is not missed.
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(resolve(path)), { persistent }, (_, changed) => {
      if (closed) return;
      if (changed === null || changed === fileName || changed.toString() === fileName) debouncer.trigger();
    });
  } catch (error) {
    throw asConfigurationError(error, path);
  }
  watcher.on('error', (error) => {
    if (closed) return;
    watcher?.close();
    watcher = undefined;
    debouncer.cancel();
    events.emit(
      'config_error',
      new ConfigurationError({
        file: path,
        problems: [
          {
            kind: 'unreadable',
            message: `the folder can no longer be watched: ${error.message}`,
            path: '',
            line: 1,
            column: 1,
          },
        ],
        cause: error,
      }),
    );
  });

  let current: Requirements;
  // The first read is the first in the queue: a change reported while it is under way is read
  // after it (with the requirements it found in effect), never alongside it.
  const first = (async () => {
    const text = await readRequirementsText(path, resolved, signal);
    current = parseWithOptions(text, resolved);
    lastText = text;
  })();
  running = first.catch(() => undefined);
  try {
    await first;
  } catch (error) {
    closed = true;
    watcher?.close();
    debouncer.cancel();
    throw error;
  }

  async function readOnce(): Promise<void> {
    if (closed) return;
    let next: Requirements;
    try {
      const text = await readRequirementsText(path, resolved);
      if (closed || text === lastText) return;
      lastText = text;
      next = parseWithOptions(text, resolved);
    } catch (error) {
      if (closed) return;
      // A file that cannot be read is read again on the next change, even with the same text.
      if (ConfigurationError.isInstance(error) && error.kind === 'unreadable') lastText = undefined;
      events.emit('config_error', asConfigurationError(error, path));
      return;
    }
    const changed = changedTasks(current, next);
    const previous = current;
    current = next;
    if (changed.length > 0 && !closed) {
      events.emit('config_changed', { requirements: next, previous, changedTasks: Object.freeze(changed) });
    }
  }

  function enqueue(): Promise<Requirements> {
    const next = running.then(readOnce).then(() => current);
    running = next.catch(() => undefined);
    return next;
  }

  async function close(): Promise<void> {
    closed = true;
    debouncer.cancel();
    watcher?.close();
    watcher = undefined;
    signal?.removeEventListener('abort', onAbort);
    await running;
  }

  function onAbort(): void {
    void close();
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) void close();

  return {
    events,
    get requirements() {
      return current;
    },
    get closed() {
      return closed;
    },
    reload: enqueue,
    close,
  };
}

function asConfigurationError(error: unknown, file: string): ConfigurationError {
  if (ConfigurationError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message =
    code === 'ENOENT' ? 'no such folder' : error instanceof Error ? error.message : String(error);
  return new ConfigurationError({
    file,
    problems: [
      { kind: 'unreadable', message: `cannot watch the file: ${message}`, path: '', line: 1, column: 1 },
    ],
    cause: error,
  });
}
