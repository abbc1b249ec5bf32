import type { Clock } from '../../clock/clock.js';

/** How far a transfer is. */
export interface TransferStatus {
  /** Bytes on disk so far (a resumed part included). */
  readonly bytes: number;
  /** Bytes when complete. */
  readonly totalBytes: number;
  /** Bytes per second received in this transfer (a resumed part excluded); 0 before any. */
  readonly bytesPerSecond: number;
  /** Milliseconds left at that rate; `undefined` while the rate is 0. */
  readonly etaMs: number | undefined;
}

/** Measures one transfer (a file, or a whole download) and says when to report it. */
export interface TransferMeter {
  /** Counts `count` more bytes received; returns the status when a report is due (every `intervalMs`, and at the end). */
  add(count: number): TransferStatus | undefined;
  /**
   * Counts `count` bytes that were not received now (a resumed part found on disk; negative for
   * a part dropped to start over): they move the progress, not the rate.
   */
  skip(count: number): void;
  /** The status now. */
  status(): TransferStatus;
}

/**
 * A {@link TransferMeter} of `totalBytes` of which `startBytes` are already there (resumed). The
 * rate is the mean since the meter started, so it is steady enough to show; reports are at
 * least `intervalMs` apart, except the one that reaches `totalBytes`.
 */
export function createTransferMeter({
  clock,
  totalBytes,
  startBytes = 0,
  intervalMs,
}: {
  clock: Clock;
  totalBytes: number;
  startBytes?: number;
  intervalMs: number;
}): TransferMeter {
  const started = clock.now();
  let bytes = startBytes;
  let skipped = startBytes;
  let lastReport = Number.NEGATIVE_INFINITY;
  const status = (): TransferStatus => {
    const elapsedMs = clock.now() - started;
    const received = bytes - skipped;
    const bytesPerSecond = elapsedMs > 0 ? (received * 1000) / elapsedMs : 0;
    const remaining = Math.max(0, totalBytes - bytes);
    return {
      bytes,
      totalBytes,
      bytesPerSecond,
      etaMs: remaining === 0 ? 0 : bytesPerSecond > 0 ? (remaining * 1000) / bytesPerSecond : undefined,
    };
  };
  return {
    add(count) {
      bytes += count;
      const now = clock.now();
      if (bytes < totalBytes && now - lastReport < intervalMs) return undefined;
      lastReport = now;
      return status();
    },
    skip(count) {
      bytes += count;
      skipped += count;
    },
    status,
  };
}
