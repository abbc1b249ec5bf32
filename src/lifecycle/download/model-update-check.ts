import type { DownloadResult } from './download-result.js';

/** What {@link Downloader.checkForUpdates} found. */
export interface ModelUpdateCheck {
  readonly modelId: string;
  /** The revision checked (a branch or a tag; a commit never changes). */
  readonly revision: string;
  /** The commit the cache holds for the revision; `undefined` when it was never downloaded. */
  readonly localCommit: string | undefined;
  /** The commit the Hub has for the revision now. */
  readonly remoteCommit: string;
  /** Whether the cache holds the revision at another commit than the Hub's. */
  readonly updateAvailable: boolean;
  /** The new snapshot, when the `'auto'` policy downloaded it. */
  readonly downloaded: DownloadResult | undefined;
}
