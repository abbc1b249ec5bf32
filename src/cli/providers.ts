import { statSync } from 'node:fs';
import path from 'node:path';
import { hfCache } from '../discovery/providers/hf-cache.js';
import { defaultHuggingFaceCacheDirectory } from '../discovery/providers/hf-cache-layout.js';
import { huggingFace } from '../discovery/providers/hugging-face.js';
import { localDirectory } from '../discovery/providers/local-directory.js';
import type { ModelProvider } from '../discovery/spec.js';
import type { CommandLine } from './command-line.js';
import { urlOption } from './option-values.js';
import { UsageError } from './usage-error.js';

/** The Hub when neither `--hub` nor `HF_ENDPOINT` names one. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** The providers chosen by `--hub`, `--local` and `--cache` (or the defaults), and what they point at. */
export interface ProviderSelection {
  readonly providers: readonly ModelProvider[];
  /** The Hub in use, when one is: downloads (evaluation, model cards) come from it. */
  readonly hubUrl: string | undefined;
  /** The access token sent to that Hub, when `HF_TOKEN` is set and the Hub may receive it. */
  readonly accessToken: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Whether `HF_TOKEN` may be sent to `hubUrl`: only over HTTPS, or to a server on this machine, so
 * that a token never crosses a network in clear text nor reaches a plain-HTTP mirror by accident.
 */
export function mayReceiveToken(hubUrl: string): boolean {
  const url = new URL(hubUrl);
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

function folderOption(command: string, commandLine: CommandLine, name: string): string | undefined {
  const folder = commandLine.string(name);
  if (folder === undefined || folder === '') return folder;
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new UsageError({
      command,
      message: `option '--${name}' must name a folder; '${folder}' is not one`,
    });
  }
  return path.resolve(folder);
}

/**
 * The providers a command asks: `--hub <url>` (the Hub API through `huggingFace()`), `--local
 * <dir>` (`localDirectory()`), `--cache[=<dir>]` (`hfCache()`). With none of them: the Hub at
 * `HF_ENDPOINT` (else huggingface.co) and the Hugging Face cache, or the cache alone when
 * `HF_HUB_OFFLINE=1`.
 *
 * @throws {UsageError} for an invalid URL or a folder that does not exist.
 */
export function selectProviders(
  command: string,
  commandLine: CommandLine,
  environment: Readonly<Record<string, string | undefined>>,
): ProviderSelection {
  const hub = urlOption(command, commandLine, 'hub');
  const local = folderOption(command, commandLine, 'local');
  const cache = commandLine.string('cache');
  const token = environment.HF_TOKEN === '' ? undefined : environment.HF_TOKEN;
  const providers: ModelProvider[] = [];
  let hubUrl: string | undefined = hub;
  if (hub === undefined && local === undefined && cache === undefined) {
    const offline = ['1', 'true', 'yes', 'on'].includes((environment.HF_HUB_OFFLINE ?? '').toLowerCase());
    if (!offline) hubUrl = (environment.HF_ENDPOINT ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    if (hubUrl !== undefined && !isHttpUrl(hubUrl)) {
      throw new UsageError({
        command,
        message: `HF_ENDPOINT must be an http(s) URL such as https://huggingface.co, not '${hubUrl}'`,
      });
    }
  }
  const accessToken =
    hubUrl !== undefined && token !== undefined && mayReceiveToken(hubUrl) ? token : undefined;
  // Said here, naming the variable (the provider would name its own option), never with the value.
  if (accessToken !== undefined && !accessToken.startsWith('hf_')) {
    throw new UsageError({ command, message: 'HF_TOKEN must be a Hugging Face access token (hf_…)' });
  }
  if (hubUrl !== undefined) {
    providers.push(huggingFace({ hubUrl, ...(accessToken === undefined ? {} : { accessToken }) }));
  }
  if (local !== undefined) providers.push(localDirectory({ root: local }));
  if (cache !== undefined || (hub === undefined && local === undefined)) {
    const cacheDir =
      cache === undefined || cache === ''
        ? defaultHuggingFaceCacheDirectory(environment)
        : path.resolve(cache);
    providers.push(hfCache({ cacheDir }));
  }
  return { providers, hubUrl, accessToken };
}
