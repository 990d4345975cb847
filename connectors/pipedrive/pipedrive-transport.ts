/**
 * The HTTP transport the SDK's request functions are handed in place of an axios instance. The SDK's own axios
 * instances unwrap every answer to its body and every error to the error body, dropping the status and the
 * rate-limit headers the connector paces itself by; its request functions take any object with axios's
 * `request(config)`, so this one sends the request the SDK built (path, query, auth header, JSON body) with
 * Node's fetch and keeps the status and headers.
 */

/** The part of an axios request config the SDK's request functions fill in. */
export interface SdkRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly data?: unknown;
}

/** A non-2xx answer: its status, body and the headers a caller needs to decide what to do. */
export class PipedriveHttpError extends Error {
  override readonly name = 'PipedriveHttpError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: unknown, headers: Readonly<Record<string, string>>) {
    // Never the URL: with `api_token` in the query it would carry the token.
    super(`Pipedrive answered ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** The request took longer than the caller allows. */
export class PipedriveTimeout extends Error {
  override readonly name = 'PipedriveTimeout';
}

export interface Transport {
  request(config: SdkRequest): Promise<unknown>;
}

/**
 * Sends SDK-built requests with fetch: resolves with the parsed JSON body of a 2xx answer, rejects with a
 * `PipedriveHttpError` otherwise (or a `PipedriveTimeout`, or fetch's network error). Every answer's headers go
 * to `onAnswer` first, 429s and errors included.
 */
export function fetchTransport(
  timeoutMs: number,
  onAnswer: (status: number, headers: Readonly<Record<string, string>>) => void,
): Transport {
  return {
    async request(config) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(config.headers ?? {})) {
        if (value !== undefined && value !== null) headers[name] = String(value);
      }
      let response: Response;
      let text: string;
      try {
        response = await fetch(config.url, {
          method: (config.method ?? 'GET').toUpperCase(),
          headers,
          ...(config.data === undefined
            ? {}
            : { body: typeof config.data === 'string' ? config.data : JSON.stringify(config.data) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
          throw new PipedriveTimeout(`no answer within ${timeoutMs} ms (timed out)`);
        }
        throw error;
      }
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answerHeaders[name] = value;
      });
      onAnswer(response.status, answerHeaders);
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON (a proxy's error page): kept as text for the error message.
      }
      if (!response.ok) throw new PipedriveHttpError(response.status, body, answerHeaders);
      return body;
    },
  };
}
