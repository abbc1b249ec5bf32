import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EventEmitter } from 'eventemitter3';
import pLimit from 'p-limit';
import { unlessAborted } from '../../core/unless-aborted.js';
import { resolveCachedCommit } from '../../discovery/providers/hf-cache-layout.js';
import { hubFetch } from '../../discovery/providers/hub-fetch.js';
import type { DownloadError } from '../../errors/download-error.js';
import type { DownloadOptions } from '../spec.js';
import { acquireBlobLock, type BlobLock } from './blob-lock.js';
import { transferBlob } from './blob-transfer.js';
import {
  BLOB_ID_PATTERN,
  COMMIT_PATTERN,
  INCOMPLETE_SUFFIX,
  type RepositoryCachePaths,
  repositoryCachePaths,
} from './cache-paths.js';
import { downloadError, type FailureContext, toDownloadError } from './download-failure.js';
import type { DownloadedFile, DownloadResult } from './download-result.js';
import type { DownloaderEvents } from './downloader-events.js';
import type { DownloaderOptions, UpdatePolicy } from './downloader-options.js';
import { resolveDownloaderSettings, validateDownloadRequest } from './downloader-settings.js';
import { escapeGlob, type RemoteFile, selectFiles } from './file-selection.js';
import { type HubConnection, listRemoteFiles, resolveRemoteCommit, resolveUrl } from './hub-listing.js';
import { linkedSignal } from './linked-signal.js';
import { isSafeListingPath } from './listing-path.js';
import type { ModelUpdateCheck } from './model-update-check.js';
import { removeOldRevisions } from './revision-cleanup.js';
import { linkSnapshotFile, readSnapshotEntries, writeRef } from './snapshot-links.js';
import { createTransferMeter, type TransferMeter } from './transfer-meter.js';

/** Downloads Hugging Face models into the Hugging Face cache layout. */
export interface Downloader {
  /** The cache folder it writes to (absolute). */
  readonly cacheDirectory: string;
  /**
   * `download_started`, `file_started`, `file_progress`, `download_progress`, `file_finished`,
   * `download_finished`, `download_failed`, `update_available`, `revisions_removed`, `cleanup_failed`.
   */
  readonly events: EventEmitter<DownloaderEvents>;
  /**
   * Downloads the files of `modelId` at `revision` (a branch, a tag or a commit; `'main'` when
   * omitted) that the options select, into `models--org--name/{blobs,refs,snapshots}`, and
   * resolves to the snapshot folder. Blobs already in the cache are not fetched again; a partial
   * blob is resumed. The snapshot's links and the ref are written only once every blob is
   * verified, so a failed download leaves no link to a missing or bad blob. Offline, or when the
   * Hub cannot be reached, a revision the cache holds is resolved from the cache alone
   * (`fromCache: true`).
   *
   * @throws InvalidArgumentError for an invalid model id, revision or pattern.
   * @throws DownloadError for every failure (see its `reason`), after emitting `download_failed`.
   */
  download(modelId: string, options?: DownloadOptions): Promise<DownloadResult>;
  /**
   * Compares the commit the cache holds for `revision` (default `'main'`) with the Hub's, then
   * acts on the downloader's {@link UpdatePolicy}: `'notify'` emits `update_available`,
   * `'auto'` also downloads the new commit (with the file options given, or else the same file
   * paths as the cached snapshot), `'pinned'` only reports.
   *
   * @throws DownloadError (`'offline'` in offline mode).
   */
  checkForUpdates(modelId: string, options?: DownloadOptions): Promise<ModelUpdateCheck>;
}

/** The files of one blob (several files may have the same content). */
interface BlobGroup {
  readonly blob: string;
  readonly sizeBytes: number;
  readonly paths: string[];
}

/** What bringing a blob into the cache did. */
interface BlobOutcome {
  readonly downloaded: boolean;
  readonly bytesReceived: number;
}

/** One download in progress: what its blob jobs share. */
interface DownloadRun {
  readonly context: FailureContext;
  readonly paths: RepositoryCachePaths;
  readonly connection: HubConnection;
  readonly commit: string;
  readonly signal: AbortSignal | undefined;
  /** Aborted with the first failure, so the other transfers stop. */
  readonly stop: AbortSignal;
  readonly totalMeter: TransferMeter;
  filesFinished: number;
  readonly filesTotal: number;
}

/**
 * Creates a {@link Downloader}: downloads of Hugging Face models (from the Hub or any
 * Hub-compatible server) into the Hugging Face cache layout, as `huggingface_hub` lays it out, so
 * `hfCache()`, transformers.js (from the snapshot folder) and Python tools all find them:
 * - `models--org--name/blobs/{etag}` holds each content once, named by its sha256 (Git LFS files)
 *   or Git blob sha1, verified against it; `snapshots/{commit}/…` entries are relative links to
 *   the blobs (sub-folders such as `onnx/` included); `refs/{branch-or-tag}` holds the commit;
 * - only the files asked for: `allow` / `ignore` globs, a `dtype` (its ONNX weights and external
 *   data, and every file that is not a weight), never pickle weights unless `allowPickle`;
 * - file names from the listing that would leave the cache (`../`, absolute, `\`, `%2e%2e`) fail
 *   the download before anything is written;
 * - transfers run `concurrency` at a time, retry with backoff, resume `{etag}.incomplete` with a
 *   `Range` request, and hold a cross-process lock per blob (under `<cache>/.locks/`), so two
 *   processes downloading the same model share the work and never corrupt a file;
 * - after a successful download, only the `keepRevisions` most recent snapshots are kept.
 *
 * @throws InvalidArgumentError for invalid options.
 */
export function createDownloader(options: DownloaderOptions = {}): Downloader {
  const settings = resolveDownloaderSettings(options);
  const {
    hubUrl,
    cacheDirectory,
    accessToken,
    keepRevisions,
    updatePolicy,
    progressIntervalMs,
    lockTimeoutMs,
    offline,
    allowPickle,
    fileSystem,
    clock,
    random,
    sleep,
    http,
    secrets,
    authorization,
  } = settings;
  const fetchFunction = settings.fetch;
  const events = options.events ?? new EventEmitter<DownloaderEvents>();
  const limit = pLimit(settings.concurrency);
  /** Blobs being brought in by this process, so two downloads of one blob share the transfer. */
  const inFlight = new Map<string, Promise<BlobOutcome>>();

  const connection = (signal: AbortSignal | undefined): HubConnection => ({
    hubUrl,
    fetch: hubFetch({ ...http, ...(signal ? { signal } : {}) }),
    ...(accessToken === undefined ? {} : { accessToken }),
  });

  const lockBlob = async (
    paths: RepositoryCachePaths,
    blob: string,
    signal: AbortSignal | undefined,
    timeoutMs = lockTimeoutMs,
  ): Promise<BlobLock | 'timed-out'> =>
    acquireBlobLock({
      directory: paths.locks,
      blob,
      fileSystem,
      clock,
      random,
      sleep,
      timeoutMs,
      ...(signal ? { signal } : {}),
    });

  const isComplete = async (blobPath: string, sizeBytes: number): Promise<boolean> => {
    const stats = await stat(blobPath).catch(() => undefined);
    return stats?.isFile() === true && stats.size === sizeBytes;
  };

  /**
   * Runs `task` in its turn under the downloader's concurrency limit. A download that stops
   * while its task still waits for a turn rejects at once (the task then does nothing when its
   * turn comes); a task that started runs to its end (it honors the signals itself).
   */
  function queued<T>(run: DownloadRun, task: () => Promise<T>): Promise<T> {
    let started = false;
    const waiting = linkedSignal(run.stop, run.signal);
    const turn = limit(async () => {
      started = true;
      waiting.release();
      run.signal?.throwIfAborted();
      return task();
    });
    const wait = new Promise<never>((_, reject) => {
      const onAbort = () => {
        if (!started) reject(toDownloadError(waiting.signal.reason, run.context, waiting.signal));
      };
      if (waiting.signal.aborted) onAbort();
      else waiting.signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([turn, wait]).finally(() => waiting.release());
  }

  /** Brings one blob into `blobs/` under its lock; a blob already there is not fetched. */
  async function ensureBlob(run: DownloadRun, group: BlobGroup): Promise<BlobOutcome> {
    const blobPath = path.join(run.paths.blobs, group.blob);
    for (;;) {
      const other = inFlight.get(blobPath);
      if (!other) break;
      // Another download of this process is fetching the blob: wait for it, unless this one stops.
      const waiting = linkedSignal(run.stop, run.signal);
      const outcome = await unlessAborted(
        other.then(
          () => true,
          () => false,
        ),
        waiting.signal,
      )
        .catch((error: unknown) => {
          throw toDownloadError(
            error,
            { ...run.context, path: group.paths[0]! },
            run.signal?.aborted ? run.signal : waiting.signal,
          );
        })
        .finally(() => waiting.release());
      if (outcome && (await isComplete(blobPath, group.sizeBytes)))
        return { downloaded: false, bytesReceived: 0 };
    }
    const pending = fetchBlob(run, group, blobPath);
    inFlight.set(blobPath, pending);
    try {
      return await pending;
    } finally {
      if (inFlight.get(blobPath) === pending) inFlight.delete(blobPath);
    }
  }

  async function fetchBlob(run: DownloadRun, group: BlobGroup, blobPath: string): Promise<BlobOutcome> {
    const context: FailureContext = { ...run.context, path: group.paths[0]! };
    const waiting = linkedSignal(run.stop, run.signal);
    const lock = await lockBlob(run.paths, group.blob, waiting.signal)
      .catch((error: unknown) => {
        throw toDownloadError(error, context, run.signal?.aborted ? run.signal : waiting.signal);
      })
      .finally(() => waiting.release());
    if (lock === 'timed-out') {
      throw downloadError(
        context,
        'locked',
        `another process held the lock of blob ${group.blob} for ${lockTimeoutMs} ms`,
      );
    }
    // Stops the transfer when the download stops or the lock is lost.
    const stop = linkedSignal(run.stop);
    const onLost = () =>
      stop.abort(downloadError(context, 'locked', 'the lock of the blob was lost (taken over as stale)'));
    lock.lost.addEventListener('abort', onLost, { once: true });
    try {
      if (await isComplete(blobPath, group.sizeBytes)) return { downloaded: false, bytesReceived: 0 };
      try {
        await fileSystem.makeDirectory(run.paths.blobs);
        // A blob of the wrong size is not the content its name says: fetch it again.
        await fileSystem.remove(blobPath);
      } catch (error) {
        throw toDownloadError(error, context, undefined);
      }
      const filePath = group.paths[0]!;
      let fileMeter: TransferMeter | undefined;
      let onDisk = 0;
      const result = await transferBlob({
        url: resolveUrl(hubUrl, run.context.modelId, run.commit, filePath),
        headers: authorization,
        blob: group.blob,
        sizeBytes: group.sizeBytes,
        blobPath,
        incompletePath: `${blobPath}${INCOMPLETE_SUFFIX}`,
        fileSystem,
        fetch: fetchFunction,
        http,
        random,
        context,
        signal: run.signal,
        stop: stop.signal,
        onAttempt: ({ bytesOnDisk }) => {
          if (fileMeter === undefined) {
            fileMeter = createTransferMeter({
              clock,
              totalBytes: group.sizeBytes,
              startBytes: bytesOnDisk,
              intervalMs: progressIntervalMs,
            });
            events.emit('file_started', {
              modelId: run.context.modelId,
              path: filePath,
              blob: group.blob,
              totalBytes: group.sizeBytes,
              resumedFromBytes: bytesOnDisk,
            });
          } else {
            fileMeter.skip(bytesOnDisk - onDisk);
          }
          run.totalMeter.skip(bytesOnDisk - onDisk);
          onDisk = bytesOnDisk;
        },
        onBytes: (count) => {
          onDisk += count;
          const fileStatus = fileMeter?.add(count);
          if (fileStatus)
            events.emit('file_progress', { modelId: run.context.modelId, path: filePath, ...fileStatus });
          const totalStatus = run.totalMeter.add(count);
          if (totalStatus) {
            events.emit('download_progress', {
              modelId: run.context.modelId,
              filesFinished: run.filesFinished,
              filesTotal: run.filesTotal,
              ...totalStatus,
            });
          }
        },
      });
      return { downloaded: true, bytesReceived: result.bytesReceived };
    } finally {
      lock.lost.removeEventListener('abort', onLost);
      stop.release();
      await lock.release();
    }
  }

  /** Links the files of a blob into the snapshot, under the blob's lock; a blob removed meanwhile is fetched again. */
  async function linkGroup(run: DownloadRun, group: BlobGroup): Promise<void> {
    const blobPath = path.join(run.paths.blobs, group.blob);
    const context: FailureContext = { ...run.context, path: group.paths[0]! };
    for (let attempt = 0; attempt < 3; attempt++) {
      const lock = await lockBlob(run.paths, group.blob, run.signal);
      if (lock === 'timed-out') {
        throw downloadError(
          context,
          'locked',
          `another process held the lock of blob ${group.blob} for ${lockTimeoutMs} ms`,
        );
      }
      try {
        if (await isComplete(blobPath, group.sizeBytes)) {
          for (const filePath of group.paths) {
            const linked = await linkSnapshotFile(fileSystem, run.paths, run.commit, filePath, group.blob);
            if (!linked)
              throw downloadError(context, 'unsafe-path', 'the file would leave the snapshot folder');
          }
          return;
        }
      } finally {
        await lock.release();
      }
      await ensureBlob(run, group);
    }
    throw downloadError(context, 'disk', `blob ${group.blob} kept disappearing from the cache`);
  }

  /** The snapshot of `revision` from the cache alone: offline mode, or the Hub unreachable. */
  async function fromCache(
    modelId: string,
    revision: string,
    selection: Parameters<typeof selectFiles>[1],
    started: number,
  ): Promise<DownloadResult> {
    const paths = repositoryCachePaths(cacheDirectory, modelId);
    const context: FailureContext = { modelId, revision, secrets };
    const commit = await resolveCachedCommit({ id: modelId, directory: paths.repository }, revision);
    if (commit === undefined) {
      throw downloadError(
        context,
        'offline',
        `offline, and the cache has no snapshot of revision '${revision}'`,
      );
    }
    const entries = await readSnapshotEntries(paths, commit);
    const selected = selectFiles(entries, selection);
    if (selected.kind === 'refused') {
      throw downloadError(
        context,
        selected.reason === 'pickle-refused' ? 'pickle-refused' : 'offline',
        selected.reason === 'pickle-refused'
          ? selected.message
          : `offline, and the cached snapshot has ${selected.message}`,
        selected.path === undefined ? {} : { path: selected.path },
      );
    }
    const snapshotPath = path.join(paths.snapshots, commit);
    const files = selected.files.map((file) => ({ ...file, downloaded: false }));
    events.emit('download_finished', {
      modelId,
      revision,
      commit,
      path: snapshotPath,
      files: files.length,
      bytesDownloaded: 0,
      durationMs: clock.now() - started,
      fromCache: true,
    });
    return {
      modelId,
      path: snapshotPath,
      commit,
      revision,
      files,
      bytesDownloaded: 0,
      removedRevisions: [],
      fromCache: true,
    };
  }

  async function headBlob(
    context: FailureContext,
    url: string,
    signal: AbortSignal | undefined,
  ): Promise<{ blob: string; sizeBytes: number }> {
    const response = await fetchFunction(url, {
      method: 'HEAD',
      headers: { ...authorization, 'Accept-Encoding': 'identity' },
      redirect: 'manual',
      ...(signal ? { signal } : {}),
    });
    const etag = (response.headers.get('X-Linked-Etag') ?? response.headers.get('ETag') ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '')
      .toLowerCase();
    const sizeBytes = Number(response.headers.get('X-Linked-Size') ?? response.headers.get('Content-Length'));
    if (response.status >= 400) {
      throw downloadError(
        context,
        response.status === 404 ? 'not-found' : 'network',
        `HEAD answered ${response.status}`,
      );
    }
    if (!BLOB_ID_PATTERN.test(etag) || !Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw downloadError(
        context,
        'malformed',
        'the listing and the file headers give no valid etag and size',
      );
    }
    return { blob: etag, sizeBytes };
  }

  /**
   * Commits being downloaded in this process, per repository folder (with a count): the
   * `keepRevisions` cleanup of another download never removes them.
   */
  const activeCommits = new Map<string, Map<string, number>>();

  function holdCommit(repository: string, commit: string): () => void {
    const commits = activeCommits.get(repository) ?? new Map<string, number>();
    activeCommits.set(repository, commits);
    commits.set(commit, (commits.get(commit) ?? 0) + 1);
    return () => {
      const count = (commits.get(commit) ?? 1) - 1;
      if (count > 0) commits.set(commit, count);
      else commits.delete(commit);
      if (commits.size === 0) activeCommits.delete(repository);
    };
  }

  async function fromHub(
    modelId: string,
    revision: string,
    selection: Parameters<typeof selectFiles>[1],
    signal: AbortSignal | undefined,
    started: number,
    holds: (() => void)[],
  ): Promise<DownloadResult> {
    const paths = repositoryCachePaths(cacheDirectory, modelId);
    const context: FailureContext = { modelId, revision, secrets };
    const hub = connection(signal);
    let commit: string | undefined;
    if (updatePolicy === 'pinned' && !COMMIT_PATTERN.test(revision)) {
      commit = await resolveCachedCommit({ id: modelId, directory: paths.repository }, revision);
    }
    let listed: Awaited<ReturnType<typeof listRemoteFiles>>;
    try {
      commit ??= await resolveRemoteCommit(hub, modelId, revision);
      if (commit === undefined) {
        throw downloadError(context, 'malformed', 'the Hub gave no commit sha for the revision');
      }
      holds.push(holdCommit(paths.repository, commit));
      listed = await listRemoteFiles(hub, modelId, commit);
    } catch (error) {
      const failure = toDownloadError(error, context, signal);
      // The Hub cannot be reached: a revision the cache holds is used as it is (as huggingface_hub does).
      if (failure.reason !== 'network') throw failure;
      return await fromCache(modelId, revision, selection, started).catch(() => {
        throw failure;
      });
    }
    for (const file of listed) {
      if (!isSafeListingPath(file.path)) {
        throw downloadError(
          context,
          'unsafe-path',
          `the listing names an unsafe path ${JSON.stringify(file.path)}`,
          {
            path: file.path,
          },
        );
      }
      if (file.sizeBytes < 0) {
        throw downloadError(context, 'malformed', 'the listing gives no valid size', { path: file.path });
      }
    }
    const selected = selectFiles(
      listed.map((file) => ({ path: file.path, sizeBytes: file.sizeBytes, blob: file.blob ?? '' })),
      selection,
    );
    if (selected.kind === 'refused') {
      throw downloadError(
        context,
        selected.reason,
        selected.message,
        selected.path === undefined ? {} : { path: selected.path },
      );
    }
    const files: RemoteFile[] = [];
    for (const file of selected.files) {
      if (file.blob !== '') files.push(file);
      else {
        const fileContext = { ...context, path: file.path };
        files.push({
          path: file.path,
          ...(await headBlob(fileContext, resolveUrl(hubUrl, modelId, commit, file.path), signal)),
        });
      }
    }
    const groups = new Map<string, BlobGroup>();
    for (const file of files) {
      const group = groups.get(file.blob);
      if (group) group.paths.push(file.path);
      else groups.set(file.blob, { blob: file.blob, sizeBytes: file.sizeBytes, paths: [file.path] });
    }
    let totalBytes = 0;
    for (const group of groups.values()) {
      if (!(await isComplete(path.join(paths.blobs, group.blob), group.sizeBytes)))
        totalBytes += group.sizeBytes;
    }
    events.emit('download_started', { modelId, revision, commit, files: files.length, totalBytes });
    const stopController = new AbortController();
    const run: DownloadRun = {
      context,
      paths,
      connection: hub,
      commit,
      signal,
      stop: stopController.signal,
      totalMeter: createTransferMeter({ clock, totalBytes, intervalMs: progressIntervalMs }),
      filesFinished: 0,
      filesTotal: files.length,
    };
    const outcomes = new Map<string, BlobOutcome>();
    const settled = await Promise.allSettled(
      [...groups.values()].map((group) =>
        queued(run, async () => {
          if (stopController.signal.aborted) throw stopController.signal.reason;
          const outcome = await ensureBlob(run, group);
          outcomes.set(group.blob, outcome);
          run.filesFinished += group.paths.length;
          group.paths.forEach((filePath, index) => {
            events.emit('file_finished', {
              modelId,
              path: filePath,
              blob: group.blob,
              sizeBytes: group.sizeBytes,
              downloaded: outcome.downloaded,
              bytesReceived: index === 0 ? outcome.bytesReceived : 0,
            });
          });
        }).catch((error: unknown) => {
          const failure = toDownloadError(error, { ...context, path: group.paths[0]! }, signal);
          if (!stopController.signal.aborted) stopController.abort(failure);
          throw failure;
        }),
      ),
    );
    if (settled.some((outcome) => outcome.status === 'rejected')) {
      throw stopController.signal.reason;
    }
    for (const group of [...groups.values()].sort((a, b) => (a.paths[0]! < b.paths[0]! ? -1 : 1))) {
      await linkGroup(run, group);
    }
    const snapshotPath = path.join(paths.snapshots, commit);
    try {
      await fileSystem.makeDirectory(snapshotPath);
      await writeRef(fileSystem, paths, revision, commit);
      await fileSystem.setTimes(snapshotPath, clock.now());
    } catch (error) {
      throw toDownloadError(error, context, signal);
    }
    const bytesDownloaded = [...outcomes.values()].reduce(
      (total, outcome) => total + outcome.bytesReceived,
      0,
    );
    const result: DownloadedFile[] = files
      .map((file) => ({
        path: file.path,
        sizeBytes: file.sizeBytes,
        blob: file.blob,
        downloaded: outcomes.get(file.blob)?.downloaded ?? false,
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    events.emit('download_finished', {
      modelId,
      revision,
      commit,
      path: snapshotPath,
      files: result.length,
      bytesDownloaded,
      durationMs: clock.now() - started,
      fromCache: false,
    });
    const removedRevisions = await cleanup(paths, modelId, commit, context);
    return {
      modelId,
      path: snapshotPath,
      commit,
      revision,
      files: result,
      bytesDownloaded,
      removedRevisions,
      fromCache: false,
    };
  }

  async function cleanup(
    paths: RepositoryCachePaths,
    modelId: string,
    commit: string,
    context: FailureContext,
  ): Promise<readonly string[]> {
    if (!Number.isFinite(keepRevisions)) return [];
    try {
      const removed = await removeOldRevisions({
        paths,
        keep: keepRevisions,
        current: commit,
        pinnedRevisions: [
          ...settings.pins.filter((pin) => pin.modelId === modelId).map((pin) => pin.revision),
          // Another download of this process may be linking these right now.
          ...(activeCommits.get(paths.repository)?.keys() ?? []),
        ],
        fileSystem,
        lockBlob: async (blob) => {
          const lock = await lockBlob(paths, blob, undefined, Math.min(lockTimeoutMs, 5_000));
          return lock === 'timed-out' ? undefined : lock;
        },
      });
      if (removed.commits.length > 0) {
        events.emit('revisions_removed', {
          modelId,
          commits: removed.commits,
          blobs: removed.blobs.length,
          bytesFreed: removed.bytesFreed,
        });
      }
      return removed.commits;
    } catch (error) {
      events.emit('cleanup_failed', { modelId, error: toDownloadError(error, context, undefined) });
      return [];
    }
  }

  const download = async (modelId: string, request: DownloadOptions = {}): Promise<DownloadResult> => {
    const { revision, selection } = validateDownloadRequest(modelId, request, allowPickle);
    const { signal } = request;
    const started = clock.now();
    const context: FailureContext = { modelId, revision, secrets };
    const holds: (() => void)[] = [];
    try {
      signal?.throwIfAborted();
      return offline
        ? await fromCache(modelId, revision, selection, started)
        : await fromHub(modelId, revision, selection, signal, started, holds);
    } catch (error) {
      const failure: DownloadError = toDownloadError(error, context, signal);
      events.emit('download_failed', { modelId, revision, error: failure });
      throw failure;
    } finally {
      for (const release of holds) release();
    }
  };

  /**
   * The file options of an automatic update: the ones given, or else the paths of the cached
   * snapshot (so an update of a q8 download stays a q8 download, not the whole repository).
   */
  async function sameFilesAs(
    modelId: string,
    commit: string,
    request: DownloadOptions,
  ): Promise<Pick<DownloadOptions, 'allow'>> {
    if (request.dtype !== undefined || request.allow !== undefined || request.ignore !== undefined) return {};
    const entries = await readSnapshotEntries(repositoryCachePaths(cacheDirectory, modelId), commit);
    return entries.length === 0 ? {} : { allow: entries.map((entry) => escapeGlob(entry.path)) };
  }

  return {
    cacheDirectory,
    events,
    download,
    async checkForUpdates(modelId, request = {}) {
      const { revision } = validateDownloadRequest(modelId, request, allowPickle);
      const context: FailureContext = { modelId, revision, secrets };
      const { signal } = request;
      let remoteCommit: string | undefined;
      let localCommit: string | undefined;
      try {
        signal?.throwIfAborted();
        if (offline) throw downloadError(context, 'offline', 'offline: the Hub cannot be asked for updates');
        const paths = repositoryCachePaths(cacheDirectory, modelId);
        localCommit = await resolveCachedCommit({ id: modelId, directory: paths.repository }, revision);
        remoteCommit = await resolveRemoteCommit(connection(signal), modelId, revision);
        if (remoteCommit === undefined) {
          throw downloadError(context, 'malformed', 'the Hub gave no commit sha for the revision');
        }
      } catch (error) {
        throw toDownloadError(error, context, signal);
      }
      const updateAvailable = localCommit !== undefined && localCommit !== remoteCommit;
      let downloaded: DownloadResult | undefined;
      if (updateAvailable && localCommit !== undefined && updatePolicy !== 'pinned') {
        events.emit('update_available', { modelId, revision, localCommit, remoteCommit });
        if (updatePolicy === 'auto') {
          downloaded = await download(modelId, {
            ...request,
            revision,
            ...(await sameFilesAs(modelId, localCommit, request)),
          });
        }
      }
      return { modelId, revision, localCommit, remoteCommit, updateAvailable, downloaded };
    },
  };
}
