import type { Task } from '../../core/task.js';
import type { RegistryEntry } from './registry-entry.js';

/** A caller waiting for a load. @internal */
interface FlightWaiter {
  /** Whether the caller takes a lease (the entry is created pinned for it). */
  readonly pin: boolean;
  readonly resolve: (entry: RegistryEntry) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * One load in flight, shared by every caller asking for the same model, task and dtype (single
 * flight). Each caller may abort its own wait; when the last one does, the load is abandoned:
 * its signal aborts and whatever it loads is disposed.
 * @internal
 */
export interface LoadFlight {
  readonly id: string;
  readonly task: Task;
  /** The dtype asked for or chosen; `undefined` when the runner picks. */
  readonly dtype: string | undefined;
  /** The estimate reserved for it until it settles. */
  readonly estimate: number | undefined;
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly waiters: Set<FlightWaiter>;
  /** Every caller gave up, or the registry closed: nobody gets its result. */
  abandoned: boolean;
  /** Settles after the load and the registry's handling of its result. */
  settled: Promise<void>;
}

/** A flight without callers yet. @internal */
export function createFlight(fields: {
  id: string;
  task: Task;
  dtype: string | undefined;
  estimate: number | undefined;
  startedAt: number;
}): LoadFlight {
  return {
    ...fields,
    controller: new AbortController(),
    waiters: new Set(),
    abandoned: false,
    settled: Promise.resolve(),
  };
}

/**
 * Waits for `flight` on behalf of one caller. Aborting `signal` rejects this caller's wait with
 * the signal's reason; when no caller is left, the flight is abandoned and its load aborted.
 * @internal
 */
export function waitForFlight(
  flight: LoadFlight,
  signal: AbortSignal | undefined,
  pin: boolean,
): Promise<RegistryEntry> {
  return new Promise<RegistryEntry>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      abandonWhenUnwanted(flight, signal.reason);
      return;
    }
    let waiter: FlightWaiter;
    const onAbort =
      signal === undefined
        ? undefined
        : () => {
            if (!flight.waiters.delete(waiter)) return;
            reject(signal.reason);
            abandonWhenUnwanted(flight, signal.reason);
          };
    waiter = { pin, resolve, reject, signal, onAbort };
    flight.waiters.add(waiter);
    if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Abandons `flight` when no caller waits for it any more. */
function abandonWhenUnwanted(flight: LoadFlight, reason: unknown): void {
  if (flight.waiters.size > 0 || flight.abandoned) return;
  flight.abandoned = true;
  flight.controller.abort(reason);
}

/** How many of the flight's callers take a lease. @internal */
export function leasesWaiting(flight: LoadFlight): number {
  let count = 0;
  for (const waiter of flight.waiters) if (waiter.pin) count++;
  return count;
}

/** Settles every caller's wait, with the entry or an error, and forgets them. @internal */
export function settleWaiters(
  flight: LoadFlight,
  outcome: { entry: RegistryEntry } | { error: unknown },
): void {
  const waiters = [...flight.waiters];
  flight.waiters.clear();
  for (const waiter of waiters) {
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    if ('entry' in outcome) waiter.resolve(outcome.entry);
    else waiter.reject(outcome.error);
  }
}
