import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** More pages on the same port (the admin console): answers a request and says whether it did. */
export type ExtraRoutes = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export interface Probe {
  /** Why the worker is not healthy, or undefined when it is. */
  problem(): Promise<string | undefined>;
}

/** `/healthz` (200 `ok`, or 503 with the problem) and `/metrics` (Prometheus text) on loopback or any host. */
export async function startHttpServer(options: {
  readonly port: number;
  readonly host?: string;
  readonly probe: Probe;
  readonly registry: Registry;
  /** Asked first for every path but `/healthz` and `/metrics`. */
  readonly routes?: ExtraRoutes | undefined;
}): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (options.routes !== undefined && path !== '/healthz' && path !== '/metrics') {
      void options.routes(request, response).then((handled) => {
        if (handled) return;
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found: try /healthz or /metrics\n');
      });
      return;
    }
    const answer = async () => {
      if (request.method !== 'GET') return [405, 'text/plain', 'method not allowed\n'] as const;
      if (path === '/healthz') {
        const problem = await options.probe.problem();
        return problem === undefined
          ? ([200, 'text/plain', 'ok\n'] as const)
          : ([503, 'text/plain', `unhealthy: ${problem}\n`] as const);
      }
      if (path === '/metrics')
        return [200, options.registry.contentType, await options.registry.metrics()] as const;
      return [404, 'text/plain', 'not found: try /healthz or /metrics\n'] as const;
    };
    void answer()
      .catch((error: unknown) => [500, 'text/plain', `error: ${(error as Error).message}\n`] as const)
      .then(([status, type, body]) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
