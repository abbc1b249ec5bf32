import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type FaultPlan =
  /** Forward it unchanged. */
  | { readonly kind: 'pass' }
  /** Close the connection without answering. */
  | { readonly kind: 'reset' }
  /** Forward it with every byte of the body changed (same length): the content no longer matches its etag. */
  | { readonly kind: 'corrupt' }
  /** Answer `status` (with a Hub error code) instead of forwarding. */
  | { readonly kind: 'status'; readonly status: number; readonly errorCode?: string }
  /**
   * Forward `afterBytes` bytes of the body, then send nothing more: the connection stays open
   * until {@link FaultProxy.dropStalled} closes it (a connection that breaks off mid-file, at a
   * moment the test chooses: once the client has the bytes) or the proxy closes.
   */
  | { readonly kind: 'stall'; readonly afterBytes: number }
  /** Forward it with its JSON body replaced by `transform(body)`. */
  | { readonly kind: 'json'; readonly transform: (body: unknown) => unknown }
  /** Forward it without its `Range` header (the server answers 200 with the whole file). */
  | { readonly kind: 'drop-range' }
  /** Forward it with its `Content-Range` header replaced. */
  | { readonly kind: 'content-range'; readonly value: string }
  /** Forward the body in `chunkBytes` pieces, `delayMs` apart (a slow server). */
  | { readonly kind: 'throttle'; readonly chunkBytes: number; readonly delayMs: number };

/** A request the proxy saw, and what it sent back. */
export interface ProxiedRequest {
  readonly method: string;
  /** The raw path and query, e.g. `/org/name/resolve/{commit}/onnx/model.onnx`. */
  readonly url: string;
  /** The `Range` header, when sent. */
  readonly range: string | undefined;
  /** The `Authorization` header, when sent. */
  readonly authorization: string | undefined;
  readonly plan: FaultPlan['kind'];
  /** The status answered (`undefined` for a reset). */
  status: number | undefined;
  /** Body bytes sent to the client. */
  bytesSent: number;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Base URL to use as `hubUrl`. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: ProxiedRequest[];
  /** Closes the connections of every stalled response, as a network failure would. */
  dropStalled(): void;
  /** Stops the proxy and closes every connection (stalled ones too). */
  close(): Promise<void>;
}

/** The incoming request, as a plan function sees it. */
export interface FaultRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A real HTTP proxy on 127.0.0.1 in front of a Hub-compatible server (the local hub), which
 * breaks the requests `plan` picks: stalled and dropped connections, resets, corrupted bodies,
 * error statuses, rewritten JSON listings, ignored or wrong ranges, slow bodies. It records every request
 * (`Range`, `Authorization`, status, bytes sent), so tests can assert what the client asked for
 * and how much it transferred. For tests only.
 */
export async function createFaultProxy({
  target,
  plan = () => ({ kind: 'pass' }),
}: {
  /** Base URL of the server to forward to. */
  target: string;
  plan?: (request: FaultRequest) => FaultPlan;
}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const stalled = new Set<ServerResponse>();
  const server = createServer((incoming, response) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const chosen = plan({ method, url, headers: incoming.headers });
    const record: ProxiedRequest = {
      method,
      url,
      range: header(incoming.headers.range),
      authorization: header(incoming.headers.authorization),
      plan: chosen.kind,
      status: undefined,
      bytesSent: 0,
    };
    requests.push(record);
    if (chosen.kind === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (chosen.kind === 'status') {
      const body = Buffer.from(JSON.stringify({ error: `injected ${chosen.status}` }));
      record.status = chosen.status;
      response.writeHead(chosen.status, {
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
        ...(chosen.errorCode ? { 'X-Error-Code': chosen.errorCode } : {}),
      });
      response.end(body);
      record.bytesSent = body.length;
      return;
    }
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host, connection: 'close' };
    if (chosen.kind === 'drop-range') delete headers.range;
    const forward = httpRequest(
      // A new upstream connection per request: a reused keep-alive socket the server just closed
      // would fail a request the test did not mean to fail.
      { hostname: upstream.hostname, port: upstream.port, path: url, method, headers, agent: false },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', () => response.destroy());
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          const outgoing: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers))
            if (value !== undefined) outgoing[name] = value;
          if (chosen.kind === 'json') {
            body = Buffer.from(
              JSON.stringify(chosen.transform(JSON.parse(body.toString('utf8')) as unknown)),
            );
            outgoing['content-length'] = String(body.length);
          }
          if (chosen.kind === 'corrupt') body = Buffer.from(body.map((byte) => byte ^ 0xff));
          if (chosen.kind === 'content-range') outgoing['content-range'] = chosen.value;
          record.status = answer.statusCode ?? 502;
          response.writeHead(record.status, outgoing);
          if (chosen.kind === 'stall') {
            const part = body.subarray(0, Math.min(chosen.afterBytes, body.length));
            record.bytesSent = part.length;
            stalled.add(response);
            response.write(part);
            return;
          }
          send(response, body, chosen, record, timers);
        });
      },
    );
    forward.on('error', () => response.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dropStalled() {
      for (const response of stalled) response.socket?.destroy();
      stalled.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function send(
  response: ServerResponse,
  body: Buffer,
  plan: FaultPlan,
  record: ProxiedRequest,
  timers: Set<ReturnType<typeof setTimeout>>,
): void {
  if (plan.kind === 'throttle') {
    let offset = 0;
    const next = () => {
      if (response.destroyed) return;
      if (offset >= body.length) {
        response.end();
        return;
      }
      const part = body.subarray(offset, offset + plan.chunkBytes);
      offset += part.length;
      record.bytesSent += part.length;
      response.write(part);
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, plan.delayMs);
      timers.add(timer);
    };
    next();
    return;
  }
  record.bytesSent = body.length;
  response.end(body);
}
