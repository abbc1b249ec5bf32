import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the streaming replay server received. */
export interface StreamingRecordedRequest {
  readonly method: string;
  /** Path with query string, e.g. `'/api/chat'`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as text (`''` when none). */
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/** One canned answer. */
export type StreamingReplayResponse =
  /** A whole JSON body. */
  | { readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly json: unknown }
  /**
   * A streamed body: each chunk is written separately (chunked transfer encoding), then the
   * response ends — or, with `ending: 'close'`, the connection is destroyed after the last chunk
   * (a server dying mid-stream), or, with `ending: 'hang'`, it stays open without ending.
   */
  | {
      readonly status?: number;
      readonly contentType: string;
      readonly chunks: readonly string[];
      readonly ending?: 'end' | 'close' | 'hang';
    }
  /** Never answers (until the server closes). */
  | { readonly behavior: 'hang' };

/** Answers a request; `undefined` means 404. */
export type StreamingReplayHandler = (
  request: StreamingRecordedRequest,
) => StreamingReplayResponse | undefined;

/** A running streaming replay server. */
export interface StreamingReplayServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: StreamingRecordedRequest[];
  /** Connections currently open (to check that clients release theirs). */
  openConnections(): number;
  /** Resolves once no connection is open. */
  allConnectionsClosed(): Promise<void>;
  /** Stops the server and destroys open connections (hanging ones included). */
  close(): Promise<void>;
}

function send(response: ServerResponse, answer: StreamingReplayResponse): void {
  if ('behavior' in answer) return;
  if ('json' in answer) {
    const text = JSON.stringify(answer.json);
    response.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      connection: 'close',
      ...answer.headers,
    });
    response.end(text);
    return;
  }
  response.writeHead(answer.status ?? 200, {
    'content-type': answer.contentType,
    'cache-control': 'no-cache',
    connection: 'close',
  });
  response.flushHeaders();
  const ending = answer.ending ?? 'end';
  const chunks = [...answer.chunks];
  const writeNext = (): void => {
    const chunk = chunks.shift();
    if (chunk === undefined) {
      if (ending === 'end') response.end();
      else if (ending === 'close') response.socket?.destroy();
      return;
    }
    // The next chunk goes out once this one was handed to the socket, so chunks arrive separately.
    response.write(chunk, () => writeNext());
  };
  writeNext();
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port) that answers through `handler`, streaming
 * bodies chunk by chunk, and records every request: the base of the Ollama and OpenAI replay
 * servers. It can also end a stream by destroying the connection or by hanging. Every response
 * says `Connection: close`, so no keep-alive pool holds a connection open and a test can check,
 * with `allConnectionsClosed()`, that a client released the connection of a failed call.
 */
export async function createStreamingReplayServer(
  handler: StreamingReplayHandler,
): Promise<StreamingReplayServer> {
  const requests: StreamingRecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let waiters: (() => void)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: StreamingRecordedRequest = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body,
        json,
      };
      requests.push(recorded);
      send(
        response,
        handler(recorded) ?? {
          status: 404,
          json: { error: `no route for ${recorded.method} ${recorded.path}` },
        },
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        const resolved = waiters;
        waiters = [];
        for (const resolve of resolved) resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    openConnections: () => sockets.size,
    allConnectionsClosed: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
