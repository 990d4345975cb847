import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { setDispatcher } from 'jsforce/lib/request.js';
import { Agent, type Dispatcher } from 'undici';
import { AnswerTooLarge, MAX_ANSWER_BYTES } from '../../src/connector/answer-limit.ts';
import type { ServerClock } from '../../src/connector/server-clock.ts';

/**
 * The clock of the org a request is made for. jsforce sends every connection's requests through one dispatcher
 * per process, so the connector's session runs its calls inside `answerClock.run(clock, …)`, and each request
 * takes the clock of the call that made it: every answer's `Date` goes to its own org's clock.
 */
export const answerClock = new AsyncLocalStorage<ServerClock>();

/**
 * Passes an answer on only once its body has fully arrived. jsforce (3.10) pipes each fetch body into its parser
 * with no error handler, so a connection that breaks mid-body would throw out of the process instead of failing
 * the call. Held back until complete, a broken answer fails the fetch itself: jsforce then retries a read, and
 * a write comes back to the connector as a lost answer, which it settles without writing twice. jsforce parses
 * every answer whole anyway, so holding it costs no memory it would not use.
 */
class WholeAnswer implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #limit: number;
  readonly #clock: ServerClock | undefined;
  #start: { statusCode: number; headers: IncomingHttpHeaders; statusMessage: string | undefined } | undefined;
  readonly #chunks: Buffer[] = [];
  #size = 0;

  constructor(handler: Dispatcher.DispatchHandler, limit: number, clock: ServerClock | undefined) {
    this.#handler = handler;
    this.#limit = limit;
    this.#clock = clock;
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
    else {
      this.#start = { statusCode, headers, statusMessage };
      const date = headers.date;
      this.#clock?.observe(Array.isArray(date) ? date[0] : date);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (controller.aborted) return;
    this.#size += chunk.length;
    if (this.#size > this.#limit) {
      // Refused before it is parsed: an answer this large is a fault, not a page of records.
      this.#chunks.length = 0;
      controller.abort(new AnswerTooLarge('Salesforce', this.#limit));
      return;
    }
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
 * Makes every jsforce request in this process go through a dispatcher that hands answers over whole, and refuses
 * those larger than `limit` bytes (jsforce keeps one dispatcher per process: the first call sets it); idempotent.
 */
export function installWholeAnswers(limit = MAX_ANSWER_BYTES): void {
  if (installed) return;
  installed = true;
  const agent = new Agent({ connect: { allowH2: false } }).compose(
    (dispatch) => (options, handler) =>
      dispatch(options, new WholeAnswer(handler, limit, answerClock.getStore())),
  );
  setDispatcher(agent);
}
