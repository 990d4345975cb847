import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { csrfValid, overTls, type Session, Sessions, sessionCookie } from './auth.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { loginPage } from './pages/login.ts';
import { type ConsoleRequest, match, type Reply } from './router.ts';
import { consoleRoutes } from './routes.ts';

/** A request handler that answers the console's paths and says whether it did (the worker serves the others). */
export type ConsoleHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

const MAX_BODY = 256 * 1024;

const STATIC: Record<string, { file: URL; type: string }> = {
  // Found where Node finds the package (hoisted or not), so that a build in dist/ and an installed package serve it.
  '/static/htmx.min.js': {
    file: pathToFileURL(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js')),
    type: 'text/javascript; charset=utf-8',
  },
  '/static/console.css': {
    file: new URL('./static/console.css', import.meta.url),
    type: 'text/css; charset=utf-8',
  },
};

/** Headers every answer carries: nothing framed, nothing cached, no script but the console's own files. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Links into the CRMs carry no referrer; the console's own forms keep their Origin (no-referrer would make it null).
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The console's request handler: sign-in with a token, a session cookie, a CSRF token on every state-changing
 * request, and the read-only role refused anything that changes state. Every page and API needs a session.
 */
export function consoleHandler(deps: ConsoleDeps): ConsoleHandler {
  const sessions = new Sessions(deps.tokens);
  const routes = consoleRoutes(deps);
  const paths = /^\/(?:$|login$|logout$|static\/|api\/|quarantine|replay|mapping|explain|dry-run|health)/;

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
    if (!paths.test(path)) return false;
    const send = (
      status: number,
      type: string,
      body: string | Buffer,
      extra: Record<string, string> = {},
    ) => {
      response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
      response.end(body);
    };
    const sendReply = (reply: Reply) => {
      if ('redirect' in reply) send(303, 'text/plain; charset=utf-8', '', { location: reply.redirect });
      else if ('json' in reply)
        send(reply.status ?? 200, 'application/json; charset=utf-8', JSON.stringify(reply.json, null, 2));
      else send(reply.status ?? 200, 'text/html; charset=utf-8', reply.html.text);
    };
    try {
      const asset = STATIC[path];
      if (asset !== undefined && request.method === 'GET') {
        send(200, asset.type, await readFile(asset.file), { 'cache-control': 'private, max-age=300' });
        return true;
      }
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'POST') {
        send(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, POST' });
        return true;
      }
      const form = method === 'POST' ? await readForm(request) : new URLSearchParams();
      if (form === undefined) {
        send(413, 'text/plain; charset=utf-8', 'the request body is too large or not a form\n');
        return true;
      }
      const session = sessions.of(request);
      const secure = overTls(request);

      if (path === '/login') {
        if (method === 'GET') {
          if (session !== undefined) sendReply({ redirect: '/' });
          else sendReply({ html: loginPage(undefined, safeNext(url.searchParams.get('next'))) });
          return true;
        }
        if (!sameOrigin(request)) {
          send(403, 'text/plain; charset=utf-8', 'refused: the sign-in came from another site\n');
          return true;
        }
        if (sessions.throttled()) {
          send(429, 'text/plain; charset=utf-8', 'too many wrong tokens: try again in a minute\n', {
            'retry-after': '60',
          });
          return true;
        }
        const signedIn = sessions.signIn(form.get('token') ?? '');
        if (signedIn === undefined) {
          // A wrong token costs a second, so that guessing one is slow.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          sendReply({
            html: loginPage('That token is not accepted.', safeNext(form.get('next'))),
            status: 401,
          });
          return true;
        }
        send(303, 'text/plain; charset=utf-8', '', {
          location: safeNext(form.get('next')),
          'set-cookie': sessionCookie(signedIn.id, secure),
        });
        return true;
      }

      if (session === undefined) {
        if (path.startsWith('/api/') || method !== 'GET' || request.headers['hx-request'] === 'true')
          send(401, 'application/json; charset=utf-8', JSON.stringify({ error: 'sign in first' }));
        else sendReply({ redirect: `/login?next=${encodeURIComponent(path + url.search)}` });
        return true;
      }
      if (method === 'POST' && !csrfValid(session, request, form)) {
        send(
          403,
          'text/plain; charset=utf-8',
          'refused: the form is missing its CSRF token; reload the page\n',
        );
        return true;
      }
      if (path === '/logout' && method === 'POST') {
        sessions.signOut(session);
        send(303, 'text/plain; charset=utf-8', '', {
          location: '/login',
          'set-cookie': sessionCookie(undefined, secure),
        });
        return true;
      }
      const found = match(routes, method, path);
      if (found === undefined) {
        sendReply({ html: page('Not found', session, '', html`<p>No such page.</p>`), status: 404 });
        return true;
      }
      if (found === 'wrong-method') {
        send(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, POST' });
        return true;
      }
      if (found.route.changes && session.role !== 'admin') {
        send(403, 'text/plain; charset=utf-8', 'refused: a read-only session changes nothing\n');
        return true;
      }
      const consoleRequest: ConsoleRequest = {
        path,
        query: url.searchParams,
        form,
        session,
        htmx: request.headers['hx-request'] === 'true',
        raw: request,
      };
      const timeoutMs = found.route.timeoutMs ?? deps.pageTimeoutMs ?? 20_000;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, 'late');
      });
      const reply = await Promise.race([found.route.handle(consoleRequest, found.params), late]).finally(() =>
        clearTimeout(timer),
      );
      if (reply === 'late') {
        const seconds = Math.round(timeoutMs / 1000);
        send(
          503,
          'text/html; charset=utf-8',
          errorPage(
            session,
            `No answer within ${seconds} s: the state store or Redis (${deps.redis.status === 'ready' ? 'connected' : `connection ${deps.redis.status}`}) is not answering. Try again once it is back.`,
          ).text,
          { 'retry-after': '10' },
        );
        return true;
      }
      sendReply(reply);
    } catch (error) {
      const message = deps.scrub((error as Error).message ?? String(error));
      if (!response.headersSent)
        send(500, 'text/html; charset=utf-8', errorPage(sessions.of(request), message).text);
      else response.end();
    }
    return true;
  };
}

function errorPage(session: Session | undefined, message: string) {
  return page(
    'Something went wrong',
    session,
    '',
    html`<p class="error" role="alert">${message}</p><p><a href="/">Back to sync health</a></p>`,
  );
}

/** Only a path on this console, never another site, is followed after sign-in. */
function safeNext(next: string | null): string {
  return next !== null && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/';
}

/** A sign-in posted from this console's own page (browsers send Origin with a POST). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return request.headers['sec-fetch-site'] !== 'cross-site';
  if (origin === 'null') return request.headers['sec-fetch-site'] === 'same-origin';
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** The url-encoded body of a request, or undefined when it is too large or of another type. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = request.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return new URLSearchParams();
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The console on its own HTTP server (`crm-bridge console`), on loopback unless told otherwise. */
export async function startConsoleServer(
  deps: ConsoleDeps,
  options: { readonly port: number; readonly host?: string },
): Promise<{ readonly port: number; readonly host: string; close(): Promise<void> }> {
  const handle = consoleHandler(deps);
  const server = createServer((request, response) => {
    void handle(request, response).then((handled) => {
      if (handled) return;
      response.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found\n');
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
