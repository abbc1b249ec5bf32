import type { EventEmitter } from 'eventemitter3';
import { HTTP_CLIENT_DEFAULTS, type HttpClientOptions } from '../../discovery/providers/http-json.js';
import type { DownloadFileSystem } from './download-file-system.js';
import type { DownloaderEvents } from './downloader-events.js';

/**
 * What `checkForUpdates` does when the Hub has a newer commit of a branch or tag:
 * - `'pinned'`: nothing but report it; and `download` of a branch or tag already in the cache
 *   stays at the cached commit (it only fetches files that commit still lacks);
 * - `'notify'`: report it and emit `update_available`;
 * - `'auto'`: emit `update_available` and download the new commit.
 */
export type UpdatePolicy = 'pinned' | 'notify' | 'auto';

/**
 * Options of {@link createDownloader}. Retries follow {@link HttpClientOptions}: `maxAttempts`,
 * `initialDelayMs`, `maxDelayMs` (exponential backoff with jitter from `random`), `sleep`, and
 * `timeoutMs`, which for file transfers is the longest wait for the next bytes.
 */
export interface DownloaderOptions extends HttpClientOptions {
  /**
   * The Hub (or a Hub-compatible server such as `createLocalHub`'s URL, or a mirror) to download from.
   * @default 'https://huggingface.co'
   */
  readonly hubUrl?: string;
  /**
   * The Hugging Face cache folder to download into (the one holding `models--org--name/`).
   * @default `HF_HUB_CACHE`, else `HF_HOME/hub`, else `XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`
   */
  readonly cacheDirectory?: string;
  /**
   * A Hugging Face access token (`hf_…`) for gated and private models. Sent only to `hubUrl`;
   * never logged, and removed from every error message.
   */
  readonly accessToken?: string;
  /** Files transferred at the same time, across all downloads of this downloader. @default 4 */
  readonly concurrency?: number;
  /**
   * Resolve from the cache only, never calling the Hub; a revision the cache lacks is a
   * `DownloadError` with reason `'offline'`.
   * @default whether `HF_HUB_OFFLINE` is `1`, `true`, `yes` or `on`
   */
  readonly offline?: boolean;
  /**
   * Whether pickle weights (`.bin`, `.pt`, `.pth`, `.pkl`, `.ckpt`) may be downloaded. Loading a
   * pickle can run arbitrary code; keep the default unless you trust the repository.
   * @default false
   */
  readonly allowPickle?: boolean;
  /**
   * Snapshots kept per model after a successful download: older ones (by last download) are
   * removed with the refs pointing to them and the blobs no kept snapshot links to.
   * `Infinity` keeps them all.
   * @default 2
   */
  readonly keepRevisions?: number;
  /**
   * Models (`'org/name'`) or revisions (`'org/name@v1'`, `'org/name@<commit>'`) that the
   * `keepRevisions` cleanup never removes, in the cache manager's `pins` format: a pinned model
   * keeps every snapshot; a pinned revision keeps its snapshot and ref, beside the kept ones.
   * @default []
   */
  readonly pins?: readonly string[];
  /** What `checkForUpdates` does about a newer commit (see {@link UpdatePolicy}). @default 'notify' */
  readonly updatePolicy?: UpdatePolicy;
  /** Shortest interval between two progress events of one transfer. @default 250 */
  readonly progressIntervalMs?: number;
  /** How long to wait for another process's lock on a file before failing with `'locked'`. @default 600_000 */
  readonly lockTimeoutMs?: number;
  /**
   * Every write to the cache goes through it; wrap it to watch or to inject failures in tests.
   * @default nodeDownloadFileSystem (`node:fs/promises`)
   */
  readonly fileSystem?: DownloadFileSystem;
  /** Where `HF_HUB_CACHE`, `HF_HOME` and `HF_HUB_OFFLINE` are read. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Where events go. @default a new emitter */
  readonly events?: EventEmitter<DownloaderEvents>;
}

/** Defaults of {@link DownloaderOptions} (the cache folder and `offline` come from the environment). */
export const DOWNLOADER_DEFAULTS = Object.freeze({
  hubUrl: 'https://huggingface.co',
  concurrency: 4,
  allowPickle: false,
  keepRevisions: 2,
  pins: Object.freeze([]) as readonly string[],
  updatePolicy: 'notify',
  progressIntervalMs: 250,
  lockTimeoutMs: 600_000,
  timeoutMs: HTTP_CLIENT_DEFAULTS.timeoutMs,
  maxAttempts: HTTP_CLIENT_DEFAULTS.maxAttempts,
  initialDelayMs: HTTP_CLIENT_DEFAULTS.initialDelayMs,
  maxDelayMs: HTTP_CLIENT_DEFAULTS.maxDelayMs,
} as const);
