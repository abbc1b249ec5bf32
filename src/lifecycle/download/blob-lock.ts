import path from 'node:path';
import { lock } from 'proper-lockfile';
import type { Clock } from '../../clock/clock.js';
import type { RandomSource } from '../../random/random-source.js';
import type { DownloadFileSystem } from './download-file-system.js';

/** A held cross-process lock of one blob. */
export interface BlobLock {
  /** Aborts when the lock was lost (its folder was removed or taken over as stale): stop writing. */
  readonly lost: AbortSignal;
  /** Releases the lock. Calling it again does nothing. */
  release(): Promise<void>;
}

/** How to wait for a lock. */
export interface BlobLockOptions {
  /** The lock folder of the repository (`<cache>/.locks/models--org--name`). */
  readonly directory: string;
  /** The blob id the lock is for. */
  readonly blob: string;
  readonly fileSystem: DownloadFileSystem;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** How long to wait for another holder before giving up. */
  readonly timeoutMs: number;
  /** A lock not refreshed for this long is taken over (its holder died). @default 10_000 */
  readonly staleMs?: number;
  readonly signal?: AbortSignal;
}

/** Longest pause between two tries to take a busy lock. */
const MAX_POLL_MS = 500;

/**
 * Takes the cross-process lock of a blob: a `proper-lockfile` lock folder
 * `<directory>/<blob>.modelscout.lock`, refreshed while held and taken over when stale (its
 * holder died). The suffix keeps it apart from `huggingface_hub`'s own `<blob>.lock` files.
 * A busy lock is retried with a growing, jittered pause until `timeoutMs`; then `'timed-out'`.
 */
export async function acquireBlobLock(options: BlobLockOptions): Promise<BlobLock | 'timed-out'> {
  const { directory, blob, fileSystem, clock, random, sleep, timeoutMs, staleMs = 10_000, signal } = options;
  await fileSystem.makeDirectory(directory);
  const target = path.join(directory, blob);
  const lockfilePath = `${target}.modelscout.lock`;
  const started = clock.now();
  const lost = new AbortController();
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const release = await lock(target, {
        realpath: false,
        lockfilePath,
        stale: staleMs,
        retries: 0,
        onCompromised: (error) => lost.abort(error),
      });
      let released = false;
      return {
        lost: lost.signal,
        async release() {
          if (released) return;
          released = true;
          // A compromised lock is no longer ours to remove.
          if (!lost.signal.aborted) await release().catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') throw error;
      if (process.env.DEBUG_LOCK && attempt % 1000 === 0) console.log('ELOCKED', blob, attempt);
    }
    if (clock.now() - started >= timeoutMs) return 'timed-out';
    const pause = Math.min(MAX_POLL_MS, 25 * 2 ** Math.min(attempt, 5));
    await sleep(pause / 2 + (random.next() * pause) / 2, signal);
  }
}
