import type { Random } from './random.ts';

/** Rates (0..1) of injected failures; each request draws once. */
export interface FaultRates {
  /** Answer with the provider's "service unavailable" (5xx). */
  readonly unavailable?: number;
  /** Answer with the provider's rate-limit response (429). */
  readonly rateLimited?: number;
  /** Destroy the socket without an answer (ECONNRESET on the client). */
  readonly reset?: number;
  /** Hold the request without answering for `timeoutMs`, then reset it. */
  readonly timeout?: number;
  /** Provider-specific: e.g. Salesforce's UNABLE_TO_LOCK_ROW on writes. */
  readonly lock?: number;
  /**
   * Carry the request out, then cut its answer off: the headers and half the body are sent, then the connection
   * closes (a write done whose answer is lost, or a read to do again).
   */
  readonly cut?: number;
}

export type Fault = 'unavailable' | 'rateLimited' | 'reset' | 'timeout' | 'lock' | 'cut';

/** Decides, request by request and reproducibly, whether to inject a fault. */
export class FaultInjector {
  #rates: FaultRates = {};
  readonly #random: Random;
  /** How many of each fault were injected. */
  readonly injected: Record<Fault, number> = {
    unavailable: 0,
    rateLimited: 0,
    reset: 0,
    timeout: 0,
    lock: 0,
    cut: 0,
  };

  constructor(random: Random) {
    this.#random = random;
  }

  set(rates: FaultRates): void {
    this.#rates = { ...rates };
  }

  /** The fault to inject for this request, if any; `lock` is only drawn for writes. */
  draw(isWrite: boolean): Fault | undefined {
    const roll = this.#random.next();
    let edge = 0;
    for (const fault of ['unavailable', 'rateLimited', 'reset', 'timeout', 'lock', 'cut'] as const) {
      if (fault === 'lock' && !isWrite) continue;
      edge += this.#rates[fault] ?? 0;
      if (roll < edge) {
        this.injected[fault]++;
        return fault;
      }
    }
    return undefined;
  }
}
