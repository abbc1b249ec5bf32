import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the replay server received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, e.g. `'/api/tags'`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as text (`''` when none). */
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/** One canned answer. */
export type ReplayResponse =
  | {
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Sent as JSON. */
      readonly json?: unknown;
      /** Sent as is (for malformed bodies). */
      readonly text?: string;
    }
  /** Never answers (until the server closes). */
  | { readonly behavior: 'hang' }
  /** Sends the status line, headers and part of the body, then destroys the connection. */
  | { readonly behavior: 'close-mid-body' };

/**
 * What a route answers: one response every time; a sequence (one per call, the last repeated);
 * or a function of the request.
 */
export type ReplayRoute =
  | ReplayResponse
  | readonly ReplayResponse[]
  | ((request: RecordedRequest) => ReplayResponse);

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Stops the server and destroys open connections (hanging ones included). */
  close(): Promise<void>;
}

/** Routes keyed by `'METHOD /path'` (path without query string). Unknown routes answer 404. */
export type ReplayRoutes = Readonly<Record<string, ReplayRoute>>;

function send(response: ServerResponse, answer: ReplayResponse): void {
  if ('behavior' in answer) {
    if (answer.behavior === 'hang') return;
    const body = JSON.stringify({ models: [{ name: 'partial' }], padding: 'x'.repeat(64) });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(body.length * 4),
    });
    response.write(body.slice(0, 20), () => response.socket?.destroy());
    return;
  }
  const text = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
  response.writeHead(answer.status ?? 200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  response.end(text);
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port) that answers canned JSON per method and path
 * and records every request: the test double of Ollama, OpenAI-compatible servers and OpenRouter.
 */
export async function createReplayServer(routes: ReplayRoutes): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, number>();
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
      const path = request.url ?? '/';
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path,
        headers: request.headers,
        body,
        json,
      };
      requests.push(recorded);
      const key = `${recorded.method} ${path.split('?')[0]}`;
      const route = routes[key];
      const call = calls.get(key) ?? 0;
      calls.set(key, call + 1);
      let answer: ReplayResponse;
      if (route === undefined) answer = { status: 404, json: { error: `no route for ${key}` } };
      else if (typeof route === 'function') answer = route(recorded);
      else if (Array.isArray(route)) answer = route[Math.min(call, route.length - 1)] ?? { status: 500 };
      else answer = route as ReplayResponse;
      send(response, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
