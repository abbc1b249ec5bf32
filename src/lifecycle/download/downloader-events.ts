import type { DownloadError } from '../../errors/download-error.js';
import type { TransferStatus } from './transfer-meter.js';

/** Emitted once a download knows its commit and files, before any transfer. */
export interface DownloadStartedEvent {
  readonly modelId: string;
  readonly revision: string;
  readonly commit: string;
  /** Files selected. */
  readonly files: number;
  /** Bytes of the blobs that are not in the cache yet (what the transfers will bring). */
  readonly totalBytes: number;
}

/** Emitted when a blob transfer starts (once per blob, not per retry). */
export interface FileStartedEvent {
  readonly modelId: string;
  /** The file (the first one, when several files share the blob). */
  readonly path: string;
  readonly blob: string;
  readonly totalBytes: number;
  /** Bytes already on disk from an interrupted transfer (resumed with a `Range` request). */
  readonly resumedFromBytes: number;
}

/** Progress of one file: bytes on disk, its size, the rate and the time left (throttled). */
export interface FileProgressEvent extends TransferStatus {
  readonly modelId: string;
  readonly path: string;
}

/** Progress of a whole download over the blobs it transfers (throttled). */
export interface DownloadProgressEvent extends TransferStatus {
  readonly modelId: string;
  readonly filesFinished: number;
  readonly filesTotal: number;
}

/** Emitted for every selected file once its blob is in the cache (transferred or found). */
export interface FileFinishedEvent {
  readonly modelId: string;
  readonly path: string;
  readonly blob: string;
  readonly sizeBytes: number;
  /** Whether this download transferred it. */
  readonly downloaded: boolean;
  /** Bytes received over the network for it. */
  readonly bytesReceived: number;
}

/** Emitted when a snapshot is complete: every file linked and the ref written. */
export interface DownloadFinishedEvent {
  readonly modelId: string;
  readonly revision: string;
  readonly commit: string;
  /** The snapshot folder. */
  readonly path: string;
  readonly files: number;
  readonly bytesDownloaded: number;
  readonly durationMs: number;
  /** Whether it came from the cache alone (offline, or the Hub unreachable). */
  readonly fromCache: boolean;
}

/** Emitted when a download fails, with the error it rejects with. */
export interface DownloadFailedEvent {
  readonly modelId: string;
  readonly revision: string;
  readonly error: DownloadError;
}

/** Emitted by `checkForUpdates` (policies `'notify'` and `'auto'`) when the Hub has a newer commit. */
export interface UpdateAvailableEvent {
  readonly modelId: string;
  readonly revision: string;
  readonly localCommit: string;
  readonly remoteCommit: string;
}

/** Emitted when old snapshots were removed to keep `keepRevisions`. */
export interface RevisionsRemovedEvent {
  readonly modelId: string;
  readonly commits: readonly string[];
  /** Blobs removed with them (the ones no kept snapshot links to). */
  readonly blobs: number;
  readonly bytesFreed: number;
}

/** Emitted when removing old snapshots failed (the download itself succeeded). */
export interface CleanupFailedEvent {
  readonly modelId: string;
  readonly error: DownloadError;
}

/** Events of a downloader. */
export interface DownloaderEvents {
  download_started: [event: DownloadStartedEvent];
  file_started: [event: FileStartedEvent];
  file_progress: [event: FileProgressEvent];
  download_progress: [event: DownloadProgressEvent];
  file_finished: [event: FileFinishedEvent];
  download_finished: [event: DownloadFinishedEvent];
  download_failed: [event: DownloadFailedEvent];
  update_available: [event: UpdateAvailableEvent];
  revisions_removed: [event: RevisionsRemovedEvent];
  cleanup_failed: [event: CleanupFailedEvent];
}
