import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { setDispatcher } from 'jsforce/lib/request.js';
import { Agent, type Dispatcher } from 'undici';

/**
 * Passes an answer on only once its body has fully arrived. jsforce (3.10) pipes each fetch body into its parser
 * with no error handler, so a connection that breaks mid-body would throw out of the process instead of failing
 * the call. Held back until complete, a broken answer fails the fetch itself: jsforce then retries a read, and
 * a write comes back to the connector as a lost answer, which it settles without writing twice. jsforce parses
 * every answer whole anyway, so holding it costs no memory it would not use.
 */
class WholeAnswer implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  #start: { statusCode: number; headers: IncomingHttpHeaders; statusMessage: string | undefined } | undefined;
  readonly #chunks: Buffer[] = [];

  constructor(handler: Dispatcher.DispatchHandler) {
    this.#handler = handler;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    // Interim answers (1xx) pass at once; the final one waits for its body.
    if (statusCode < 200) this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
    else this.#start = { statusCode, headers, statusMessage };
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    const start = this.#start;
    if (start !== undefined)
      this.#handler.onResponseStart?.(controller, start.statusCode, start.headers, start.statusMessage);
    if (this.#chunks.length > 0) this.#handler.onResponseData?.(controller, Buffer.concat(this.#chunks));
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }
}

let installed = false;

/**
 * Makes every jsforce request in this process go through a dispatcher that hands answers over whole (jsforce
 * keeps one dispatcher per process); idempotent.
 */
export function installWholeAnswers(): void {
  if (installed) return;
  installed = true;
  const agent = new Agent({ connect: { allowH2: false } }).compose(
    (dispatch) => (options, handler) => dispatch(options, new WholeAnswer(handler)),
  );
  setDispatcher(agent);
}
