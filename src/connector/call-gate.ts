/** One rolling window of a shared call budget: at most `limit` calls in any `windowMs`. */
export interface GateWindow {
  /** Names the window for every process sharing the gate, e.g. `hubspot:<connection>:burst`; never a secret. */
  readonly name: string;
  /** Calls allowed in any window. */
  readonly limit: number;
  /** The window's length. */
  readonly windowMs: number;
}

/** Ends a call's hold on its slots once its answer is in; calling it again does nothing. */
export type GateRelease = () => Promise<void>;

/**
 * A call budget shared by every process calling the same account (the workers keep theirs in Redis). A call
 * holds its slots while in flight and is then dated by when its answer came back: the API counted it on arrival,
 * which is no later than that, so however late a request left its process, the windows can only over-count it.
 */
export interface CallGate {
  /**
   * Resolves once one more call fits in every given window, having taken a slot in all of them at once (taking
   * them one after another would hold the first while waiting for the next). `signal` gives up waiting.
   */
  take(windows: readonly GateWindow[], signal?: AbortSignal): Promise<GateRelease>;
  /** After a 429: no process starts a call through the named window for `ms` (a longer pause is kept). */
  pause(window: string, ms: number): Promise<void>;
}
