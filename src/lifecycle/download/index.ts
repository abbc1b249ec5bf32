export { createDownloader, type Downloader } from './create-downloader.js';
export {
  type DownloadFileSystem,
  nodeDownloadFileSystem,
  type WritableFile,
} from './download-file-system.js';
export type { DownloadedFile, DownloadResult } from './download-result.js';
export type {
  CleanupFailedEvent,
  DownloaderEvents,
  DownloadFailedEvent,
  DownloadFinishedEvent,
  DownloadProgressEvent,
  DownloadStartedEvent,
  FileFinishedEvent,
  FileProgressEvent,
  FileStartedEvent,
  RevisionsRemovedEvent,
  UpdateAvailableEvent,
} from './downloader-events.js';
export { DOWNLOADER_DEFAULTS, type DownloaderOptions, type UpdatePolicy } from './downloader-options.js';
export { isPickleFile, PICKLE_EXTENSIONS } from './file-selection.js';
export type { ModelUpdateCheck } from './model-update-check.js';
export { isHuggingFaceOffline } from './offline-mode.js';
export type { TransferStatus } from './transfer-meter.js';
