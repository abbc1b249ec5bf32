import path from 'node:path';
import { type Clock, systemClock } from '../../clock/clock.js';
import { isValidModelId, isValidRevision } from '../../discovery/local-hub/model-id.js';
import { defaultHuggingFaceCacheDirectory } from '../../discovery/providers/hf-cache-layout.js';
import { abortableSleep, type HttpClientOptions } from '../../discovery/providers/http-json.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { RandomSource } from '../../random/random-source.js';
import { seededRandom } from '../../random/seeded-random.js';
import { type CachePin, parsePins } from '../cache/cache-pins.js';
import type { DownloadOptions } from '../spec.js';
import { type DownloadFileSystem, nodeDownloadFileSystem } from './download-file-system.js';
import { DOWNLOADER_DEFAULTS, type DownloaderOptions, type UpdatePolicy } from './downloader-options.js';
import type { FileSelectionOptions } from './file-selection.js';
import { isHuggingFaceOffline } from './offline-mode.js';

/** {@link DownloaderOptions} checked, with every default applied. */
export interface DownloaderSettings {
  /** Without a trailing slash. */
  readonly hubUrl: string;
  /** Absolute. */
  readonly cacheDirectory: string;
  readonly accessToken: string | undefined;
  readonly concurrency: number;
  readonly keepRevisions: number;
  /** Parsed `pins`. */
  readonly pins: readonly CachePin[];
  readonly updatePolicy: UpdatePolicy;
  readonly progressIntervalMs: number;
  readonly lockTimeoutMs: number;
  readonly offline: boolean;
  readonly allowPickle: boolean;
  readonly fileSystem: DownloadFileSystem;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  readonly fetch: typeof globalThis.fetch;
  /** Attempts, backoff, timeouts and the test hooks, for the Hub calls and the transfers. */
  readonly http: HttpClientOptions;
  /** The strings to keep out of error messages (the token). */
  readonly secrets: readonly string[];
  /** `Authorization: Bearer …` when there is a token. */
  readonly authorization: Readonly<Record<string, string>>;
}

const UPDATE_POLICIES: readonly UpdatePolicy[] = ['pinned', 'notify', 'auto'];

function positiveInteger(argument: string, value: number, allowInfinity = false): number {
  if ((allowInfinity && value === Number.POSITIVE_INFINITY) || (Number.isInteger(value) && value >= 1)) {
    return value;
  }
  throw new InvalidArgumentError({
    argument,
    value,
    message: allowInfinity ? 'must be a positive integer or Infinity' : 'must be a positive integer',
  });
}

function nonNegative(argument: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new InvalidArgumentError({ argument, value, message: 'must be a finite number ≥ 0' });
}

function positiveDuration(argument: string, value: number): number {
  if (value > 0 && !Number.isNaN(value)) return value;
  throw new InvalidArgumentError({
    argument,
    value,
    message: 'must be a number of milliseconds > 0 (or Infinity)',
  });
}

function patterns(argument: string, value: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((pattern) => typeof pattern !== 'string' || pattern === '')) {
    throw new InvalidArgumentError({
      argument,
      value,
      message: 'must be an array of non-empty glob patterns',
    });
  }
  return value;
}

/**
 * Checks {@link DownloaderOptions} and applies the defaults ({@link DOWNLOADER_DEFAULTS}, the
 * cache folder and offline mode from the environment).
 *
 * @throws InvalidArgumentError for an invalid option (never echoing the access token).
 */
export function resolveDownloaderSettings(options: DownloaderOptions): DownloaderSettings {
  const environment = options.environment ?? process.env;
  const hubUrlOption = options.hubUrl ?? DOWNLOADER_DEFAULTS.hubUrl;
  let parsedHubUrl: URL | undefined;
  try {
    parsedHubUrl = new URL(hubUrlOption);
  } catch {
    parsedHubUrl = undefined;
  }
  if (!parsedHubUrl || (parsedHubUrl.protocol !== 'http:' && parsedHubUrl.protocol !== 'https:')) {
    throw new InvalidArgumentError({
      argument: 'hubUrl',
      value: hubUrlOption,
      message: 'must be an http(s) URL',
    });
  }
  const { accessToken } = options;
  if (accessToken !== undefined && (typeof accessToken !== 'string' || !/^hf_\S+$/.test(accessToken))) {
    // The value is not kept on the error: it is a secret.
    throw new InvalidArgumentError({ argument: 'accessToken', message: "must start with 'hf_'" });
  }
  const updatePolicy = options.updatePolicy ?? DOWNLOADER_DEFAULTS.updatePolicy;
  if (!UPDATE_POLICIES.includes(updatePolicy)) {
    throw new InvalidArgumentError({
      argument: 'updatePolicy',
      value: updatePolicy,
      message: `must be one of ${UPDATE_POLICIES.join(', ')}`,
    });
  }
  const clock = options.clock ?? systemClock;
  const random = options.random ?? seededRandom();
  const sleep = options.sleep ?? abortableSleep;
  const fetch = options.fetch ?? globalThis.fetch;
  return {
    hubUrl: hubUrlOption.replace(/\/+$/, ''),
    cacheDirectory: path.resolve(options.cacheDirectory ?? defaultHuggingFaceCacheDirectory(environment)),
    accessToken,
    concurrency: positiveInteger('concurrency', options.concurrency ?? DOWNLOADER_DEFAULTS.concurrency),
    keepRevisions: positiveInteger(
      'keepRevisions',
      options.keepRevisions ?? DOWNLOADER_DEFAULTS.keepRevisions,
      true,
    ),
    pins: parsePins('pins', options.pins ?? DOWNLOADER_DEFAULTS.pins),
    updatePolicy,
    progressIntervalMs: nonNegative(
      'progressIntervalMs',
      options.progressIntervalMs ?? DOWNLOADER_DEFAULTS.progressIntervalMs,
    ),
    lockTimeoutMs: nonNegative('lockTimeoutMs', options.lockTimeoutMs ?? DOWNLOADER_DEFAULTS.lockTimeoutMs),
    offline: options.offline ?? isHuggingFaceOffline(environment),
    allowPickle: options.allowPickle ?? DOWNLOADER_DEFAULTS.allowPickle,
    fileSystem: options.fileSystem ?? nodeDownloadFileSystem,
    clock,
    random,
    sleep,
    fetch,
    http: {
      fetch,
      timeoutMs: positiveDuration('timeoutMs', options.timeoutMs ?? DOWNLOADER_DEFAULTS.timeoutMs),
      maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? DOWNLOADER_DEFAULTS.maxAttempts),
      initialDelayMs: nonNegative(
        'initialDelayMs',
        options.initialDelayMs ?? DOWNLOADER_DEFAULTS.initialDelayMs,
      ),
      maxDelayMs: nonNegative('maxDelayMs', options.maxDelayMs ?? DOWNLOADER_DEFAULTS.maxDelayMs),
      sleep,
      random,
      clock,
    },
    secrets: accessToken === undefined ? [] : [accessToken],
    authorization: accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` },
  };
}

/**
 * Checks the model id, the revision (`'main'` when omitted), the dtype and the glob patterns of
 * one download, and returns the revision and the file selection.
 *
 * @throws InvalidArgumentError for an id, revision, dtype or pattern that could not be valid.
 */
export function validateDownloadRequest(
  modelId: string,
  request: DownloadOptions,
  allowPickle: boolean,
): { readonly revision: string; readonly selection: FileSelectionOptions } {
  if (typeof modelId !== 'string' || !isValidModelId(modelId)) {
    throw new InvalidArgumentError({
      argument: 'modelId',
      value: modelId,
      message: "must be 'name' or 'org/name'",
    });
  }
  const revision = request.revision ?? 'main';
  if (typeof revision !== 'string' || !isValidRevision(revision)) {
    throw new InvalidArgumentError({
      argument: 'revision',
      value: revision,
      message: 'must be a branch, a tag or a commit sha',
    });
  }
  const { dtype } = request;
  if (dtype !== undefined && (typeof dtype !== 'string' || !/^[a-z0-9]+$/i.test(dtype))) {
    throw new InvalidArgumentError({
      argument: 'dtype',
      value: dtype,
      message: "must be a dtype such as 'q8'",
    });
  }
  const allow = patterns('allow', request.allow);
  const ignore = patterns('ignore', request.ignore);
  return {
    revision,
    selection: {
      ...(dtype === undefined ? {} : { dtype }),
      ...(allow === undefined ? {} : { allow }),
      ...(ignore === undefined ? {} : { ignore }),
      allowPickle,
    },
  };
}
