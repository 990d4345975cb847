import type { Handler, SandboxResponse } from '../kit/index.ts';
import type { SandboxStore, StoredRecord } from './store.ts';

/** A live query cursor: the matched records and how far queryMore has read. */
export interface QueryCursor {
  /** The queried object's canonical name. */
  readonly object: string;
  /** The selected fields, canonical names. */
  readonly fields: readonly string[];
  /** Every matched record, in order (a snapshot of references, as a server-side cursor holds). */
  readonly records: readonly StoredRecord[];
  /** Records per page for this cursor. */
  readonly pageSize: number;
}

/** What every route of the Salesforce sandbox shares. */
export interface SandboxContext {
  /** The org's records. */
  readonly store: SandboxStore;
  /** Largest query page the sandbox serves (Salesforce's default and maximum is 2,000). */
  pageSize: number;
  /** The daily API allocation as Sforce-Limit-Info reports it. */
  readonly usage: { used: number; limit: number };
  /** Open query cursors by locator id, until their last page is read. */
  readonly cursors: Map<string, QueryCursor>;
  /** The server's base URL, once listening. */
  baseUrl(): string;
  /** Registers a route, counted under `endpoint`, whose responses carry the usage header. */
  route(method: string, path: string, endpoint: string, handler: Handler): void;
}

/** Salesforce's REST error body: a one-element array of `{ errorCode, message, fields? }`. */
export function restError(
  status: number,
  errorCode: string,
  message: string,
  fields?: readonly string[],
): SandboxResponse {
  return { status, body: [{ errorCode, message, ...(fields ? { fields } : {}) }] };
}

/** The `Sforce-Limit-Info` header Salesforce adds to every REST response. */
export function usageHeader(usage: { used: number; limit: number }): Record<string, string> {
  return { 'Sforce-Limit-Info': `api-usage=${usage.used}/${usage.limit}` };
}
