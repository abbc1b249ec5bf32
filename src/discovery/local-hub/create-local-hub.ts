import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { createFileDigestCache } from './file-digest.js';
import { sendError } from './http-responses.js';
import { createHubContext } from './hub-context.js';
import { handleHubRequest } from './request-handler.js';

/** Options of {@link createLocalHub}. */
export interface LocalHubOptions {
  /**
   * The folder to serve. It may hold plain model folders (`root/org/name/` or `root/name/`, each
   * with a `config.json` or a `.gguf` file) and Hugging Face cache entries (`root/models--org--name/{blobs,refs,snapshots}`),
   * so a `HF_HUB_CACHE` folder can be served as it is.
   */
  readonly root: string;
  /**
   * The port to listen on; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * The interface to listen on. Keep the default unless other machines must reach the hub.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * The most models one page of `GET /api/models` returns (larger `limit`s are capped, and the
   * rest follows through `Link: rel="next"`).
   * @default 1000
   */
  readonly maxPageSize?: number;
}

/** A running local hub. */
export interface LocalHub {
  /** Base URL to use as `hubUrl` (`@huggingface/hub`) or `env.remoteHost` (transformers.js), without a trailing slash. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Defaults of {@link createLocalHub}'s options. */
export const LOCAL_HUB_DEFAULTS = Object.freeze({ port: 0, host: '127.0.0.1', maxPageSize: 1000 } as const);

/**
 * Serves a folder of models over the subset of the Hugging Face Hub API that `@huggingface/hub`
 * and transformers.js use: `GET /api/models` (search, author, pipeline_tag, filter, sort,
 * direction, limit, expand, cursor pagination with `Link`), `GET /api/models/{id}` and
 * `/revision/{rev}`, `/tree/{rev}[/path]`, `POST /paths-info/{rev}`, and `GET|HEAD
 * /{id}/resolve/{rev}/{path}` (ETag, X-Repo-Commit, X-Linked-Size, Range). It never serves a file
 * outside `root`. Use it as an air-gapped mirror or as a test bed.
 *
 * @throws {InvalidArgumentError} when `root` is not a folder or `port` / `maxPageSize` are invalid.
 */
export async function createLocalHub({
  root,
  port = LOCAL_HUB_DEFAULTS.port,
  host = LOCAL_HUB_DEFAULTS.host,
  maxPageSize = LOCAL_HUB_DEFAULTS.maxPageSize,
}: LocalHubOptions): Promise<LocalHub> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError({
      argument: 'port',
      value: port,
      message: 'must be an integer in [0, 65535]',
    });
  }
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) {
    throw new InvalidArgumentError({
      argument: 'maxPageSize',
      value: maxPageSize,
      message: 'must be a positive integer',
    });
  }
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot || !(await stat(realRoot)).isDirectory()) {
    throw new InvalidArgumentError({ argument: 'root', value: root, message: 'must be an existing folder' });
  }
  const context = createHubContext({ realRoot, digests: createFileDigestCache(), maxPageSize });
  let url = '';
  const server = createServer((request, response) => {
    handleHubRequest(context, request, response, url).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else
        sendError(response, 500, 'InternalError', error instanceof Error ? error.message : 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${hostname}:${address.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
