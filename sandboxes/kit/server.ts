import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, FaultInjector } from './faults.ts';
import { seededRandom } from './random.ts';

/** A request as a sandbox route sees it. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  /** The raw body text ('' when none). */
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** Path parameters captured by the route pattern. */
  readonly params: Readonly<Record<string, string>>;
}

export interface SandboxResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send `body` as this content type instead of JSON (e.g. SOAP XML). */
  readonly contentType?: string;
}

export type Handler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** The endpoint name under which calls are counted, e.g. `POST /composite/sobjects`. */
  readonly endpoint: string;
  readonly handler: Handler;
}

export interface SandboxServerOptions {
  /** Seed for fault injection draws. */
  readonly seed?: number;
  /** How the provider answers an injected fault (status, body, headers), per fault kind. */
  readonly faultResponse: (
    fault: Exclude<Fault, 'reset' | 'timeout' | 'cut'>,
    request: SandboxRequest,
  ) => SandboxResponse;
  /** Runs before routing; a response short-circuits it (auth checks, rate limits). */
  readonly before?: (request: SandboxRequest, endpoint: string) => SandboxResponse | undefined;
  /** How long an injected timeout holds a request before resetting it. */
  readonly timeoutMs?: number;
  /**
   * The provider's clock (ms), for the `Date` header every answer carries, as the real APIs' do; the one that
   * stamps its records, so that a test that moves it moves both. Node's clock without it.
   */
  readonly clock?: () => number;
}

/**
 * A minimal in-process HTTP server for emulating a provider's API on loopback: routing with `:param` patterns,
 * JSON bodies, a call counter per endpoint, and reproducible fault injection.
 */
export class SandboxServer {
  readonly #routes: Route[] = [];
  readonly #server: Server;
  readonly #options: SandboxServerOptions;
  readonly faults: FaultInjector;
  /** API calls served, by endpoint name (faulted calls included: the client paid for them). */
  readonly calls = new Map<string, number>();
  #url = '';

  constructor(options: SandboxServerOptions) {
    this.#options = options;
    this.faults = new FaultInjector(seededRandom(options.seed ?? 1));
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `sandbox error: ${String(error)}` }));
      });
    });
    this.#server.keepAliveTimeout = 1000;
  }

  /** Registers a route; `path` may hold `:name` segments and a trailing `*rest`. */
  route(method: string, path: string, handler: Handler, endpoint = `${method} ${path}`): this {
    const names: string[] = [];
    const source = path
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*(\w+)$/, (_, name: string) => {
        names.push(name);
        return '(.+)';
      })
      .replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), names, endpoint, handler });
    return this;
  }

  /** Total calls served. */
  totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this.#url;
  }

  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Node sends a `Date` of its own clock unless one is set.
    if (this.#options.clock) res.setHeader('date', new Date(this.#options.clock()).toUTCString());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const base = { method, url, headers: req.headers, text, json };
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? '');
      });
      const request: SandboxRequest = { ...base, params };
      this.calls.set(route.endpoint, (this.calls.get(route.endpoint) ?? 0) + 1);
      const early = this.#options.before?.(request, route.endpoint);
      if (early) return send(res, early);
      const fault = this.faults.draw(method !== 'GET');
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === 'timeout') {
        setTimeout(() => req.socket.destroy(), this.#options.timeoutMs ?? 2000).unref();
        return;
      }
      if (fault === 'cut') return sendCut(res, await route.handler(request));
      if (fault) return send(res, this.#options.faultResponse(fault, request));
      return send(res, await route.handler(request));
    }
    send(res, {
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: `no sandbox route for ${method} ${url.pathname}` }],
    });
  }
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const { headers, payload } = encode(response);
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Sends the headers (with the whole body's length) and the first half of the body, then closes the connection. */
function sendCut(res: ServerResponse, response: SandboxResponse): void {
  const { headers, payload } = encode(response);
  const bytes = Buffer.from(payload, 'utf8');
  res.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

function encode(response: SandboxResponse): { headers: Record<string, string>; payload: string } {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined) {
    headers['content-type'] = response.contentType ?? 'application/json;charset=UTF-8';
    payload =
      typeof response.body === 'string' && response.contentType
        ? response.body
        : JSON.stringify(response.body);
  }
  return { headers, payload };
}
