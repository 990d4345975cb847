import type { IncomingMessage } from 'node:http';
import type { Session } from './auth.ts';
import type { Html } from './html.ts';

/** A request the console answers, once its session is known. */
export interface ConsoleRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  /** The url-encoded body of a POST (empty for a GET). */
  readonly form: URLSearchParams;
  readonly session: Session;
  /** Whether htmx asked (it wants the fragment, not the whole page). */
  readonly htmx: boolean;
  readonly raw: IncomingMessage;
}

/** What a route answers. */
export type Reply =
  | { readonly html: Html; readonly status?: number }
  | { readonly json: unknown; readonly status?: number }
  | { readonly redirect: string };

export interface Route {
  readonly method: 'GET' | 'POST';
  /** The whole path; its groups are handed to `handle`. */
  readonly path: RegExp;
  /** Whether it changes anything (a read-only session is refused it). */
  readonly changes: boolean;
  /** How long it may take before the page says what did not answer (default: the console's page timeout). */
  readonly timeoutMs?: number;
  handle(request: ConsoleRequest, params: readonly string[]): Promise<Reply>;
}

/** The route for a method and path, with the path's groups. */
export function match(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | 'wrong-method' | undefined {
  let other = false;
  for (const route of routes) {
    const found = route.path.exec(path);
    if (found === null) continue;
    if (route.method !== method) {
      other = true;
      continue;
    }
    return { route, params: found.slice(1).map((p) => decodeURIComponent(p ?? '')) };
  }
  return other ? 'wrong-method' : undefined;
}
