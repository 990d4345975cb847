import { ConnectorFailure } from './errors.ts';
import type { ApiUsage } from './types.ts';

/** One rolling window of a shared call budget: at most `limit` calls in any `windowMs`. */
export interface GateWindow {
  /** Names the window for every process sharing the gate, e.g. `hubspot:<connection>:burst`; never a secret. */
  readonly name: string;
  /** Calls allowed in any window. */
  readonly limit: number;
  /** The window's length. */
  readonly windowMs: number;
}

/** An allocation's use as shared: `seq` orders the readings published under one name, the newest highest. */
export interface SharedReading extends ApiUsage {
  readonly seq: number;
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
  /**
   * Shares a reading of the allocation named `allocation` (e.g. `salesforce:<connection>:daily`) that this process
   * has just seen in an answer; returns the sequence number it was published under.
   */
  publish(allocation: string, reading: ApiUsage): Promise<number>;
  /** The reading any process published last under `allocation`, if one was published in the last day. */
  latest(allocation: string): Promise<SharedReading | undefined>;
}

/**
 * The key naming a connector's account in a shared gate (the connection's name). A connector given a gate without
 * one would share its budget under no name: refused as a wiring mistake. `account` says what the key names.
 */
export function requireGateKey(gateKey: string | undefined, system: string, account: string): string {
  if (!gateKey) {
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `a ${system} connector with a shared call gate needs a gateKey naming its ${account}`,
    });
  }
  return gateKey;
}
