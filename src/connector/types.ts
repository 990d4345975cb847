import type { EntityName } from '../model/index.ts';
import type { ConnectorError } from './errors.ts';

/** An external object type as the CRM names it: `Lead`, `Contact`, `Account`, `Opportunity`, `contacts`, `deals`… */
export type ObjectType = string;

/** A record as the CRM returned it, with its field values untouched (the mappers do every conversion). */
export interface ExternalRecord {
  readonly object: ObjectType;
  readonly id: string;
  /** Field (property) name → value exactly as the API returned it. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** ISO timestamp of the last change as the CRM tracks it (SystemModstamp, hs_lastmodifieddate). */
  readonly modifiedAt: string;
  readonly createdAt?: string;
  /** True for a deleted (Salesforce) or archived (HubSpot) record. */
  readonly deleted?: boolean;
  /** The id of the record this one was merged into. */
  readonly mergedInto?: string;
  /** For a converted lead: what it became (it stays, read-only, in the CRM). */
  readonly converted?: {
    readonly contactId?: string;
    readonly accountId?: string;
    readonly opportunityId?: string;
    readonly at?: string;
  };
  /** Ids of associated records by external object type (HubSpot associations, Salesforce contact roles). */
  readonly associations?: Readonly<Record<ObjectType, readonly string[]>>;
}

/** A position in an object's change stream: strictly after (modifiedAt, id). Plain data, saved after each page. */
export interface Cursor {
  readonly modifiedAt: string;
  readonly id: string;
  /**
   * When the pull that got here began, in the CRM's own clock (`PullOptions.onPulledAt`): a record that pull could
   * not see yet carries a modification time at most `sync.overlap` before it. Absent from a cursor saved without it.
   */
  readonly pulledAt?: string;
}

export interface Page<T> {
  readonly records: readonly T[];
  /** The cursor to resume after this page; undefined only for an empty page. */
  readonly cursor: Cursor | undefined;
}

export interface PullOptions {
  /** External fields to read; connectors add the ones they need for cursors and ids themselves. */
  readonly fields: readonly string[];
  /** Resume strictly after this position; absent for a full load. */
  readonly since?: Cursor;
  /** Preferred page size; the CRM may return fewer, and connectors must not assume it. */
  readonly pageSize?: number;
  /**
   * Associated object types to read with each page (HubSpot associations, Salesforce contact roles). Absent: the
   * connector's defaults; `[]`: none, which saves the calls when nothing uses them.
   */
  readonly associations?: readonly ObjectType[];
  /**
   * Told, once the pull ends (also when it finds nothing), when it began in the CRM's clock: from the `Date` header
   * of its answers and the modification times of the records it read, no later than its first request reached the
   * CRM (this machine's clock only when the CRM sends no `Date`).
   */
  readonly onPulledAt?: (at: string) => void;
}

/** One record to create or update. Idempotent: retrying the same write never creates a second record. */
export interface Write {
  /** The caller's key for this write, echoed in its result. */
  readonly ref: string;
  /** The external id to update; absent to create (or to upsert by `upsertBy`). */
  readonly id?: string;
  /** Upsert by a unique field (an external-id field, a HubSpot contact's e-mail) instead of by id. */
  readonly upsertBy?: { readonly field: string; readonly value: string };
  /**
   * The caller has read every record of the object and none has the `upsertBy` value: a connector that would look
   * the key up first may create directly, keeping the key to find the record again if an answer is lost.
   */
  readonly expectNew?: boolean;
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * What the record held in the fields written, when the caller read it this round: a connector may need it to
   * make a change take (HubSpot ignores an earlier lifecycle stage unless the stage is cleared first).
   */
  readonly held?: Readonly<Record<string, unknown>>;
  /** Records to associate after the write, by external object type (HubSpot v4 associations). */
  readonly associate?: Readonly<Record<ObjectType, readonly string[]>>;
}

export type WriteResult =
  | { readonly ref: string; readonly ok: true; readonly id: string; readonly created: boolean }
  | { readonly ref: string; readonly ok: false; readonly error: ConnectorError };

/** A person to convert (Salesforce convertLead) or advance (HubSpot lifecycle stage plus an optional deal). */
export interface Conversion {
  readonly ref: string;
  /** The Salesforce Lead id, or the HubSpot contact id. */
  readonly personId: string;
  /** Attach to this existing account/company instead of creating one. */
  readonly accountId?: string;
  /** Salesforce: the converted lead status; default: the org's converted status from describe. */
  readonly convertedStatus?: string;
  /** Create an opportunity (Salesforce) or a deal (HubSpot) as part of the conversion. */
  readonly createOpportunity: boolean;
  readonly opportunityName?: string;
  /** HubSpot: the lifecycle stage to advance to. */
  readonly lifecycleStage?: string;
  /** HubSpot: where the deal goes. */
  readonly deal?: { readonly pipeline: string; readonly stage: string; readonly amount?: number };
  /** HubSpot: allow moving the lifecycle stage backwards (clear, then set). */
  readonly allowBackward?: boolean;
  /**
   * The caller read the person in this round and it was not converted: a connector may convert at once instead of
   * reading its state first (a refusal because it was converted meanwhile is still settled as `alreadyConverted`).
   */
  readonly expectUnconverted?: boolean;
}

export type ConversionResult =
  | {
      readonly ref: string;
      readonly ok: true;
      readonly contactId: string;
      readonly accountId?: string;
      readonly opportunityId?: string;
      /** True when the person was already converted: the result names what it became then. */
      readonly alreadyConverted: boolean;
    }
  | { readonly ref: string; readonly ok: false; readonly error: ConnectorError };

export interface FieldDescription {
  readonly name: string;
  /** The provider's type name: `string`, `picklist`, `double`, `enumeration`, `datetime`… */
  readonly type: string;
  readonly label?: string;
  readonly length?: number;
  readonly required: boolean;
  /** False for calculated or read-only fields. */
  readonly writable: boolean;
  /** A picklist's values: the API value, whether it can be set, and the label a person picks it by. */
  readonly picklist?: readonly {
    readonly value: string;
    readonly active: boolean;
    readonly label?: string;
  }[];
}

export interface ObjectSchema {
  readonly object: ObjectType;
  readonly fields: readonly FieldDescription[];
}

export interface DeletedRef {
  readonly object: ObjectType;
  readonly id: string;
  readonly deletedAt: string;
  /** When the delete was a merge: the surviving record's id. */
  readonly mergedInto?: string;
}

/** API budget as the provider reports it. */
export interface ApiUsage {
  readonly used: number;
  readonly limit: number;
}

/** One external CRM, as the sync engine sees it. Optional capabilities are optional methods. */
export interface Connector {
  /** The system name of its CRM, as its descriptor gives it. */
  readonly system: string;
  /** Fields, types and picklist values of an object (cached by the connector). */
  describe(object: ObjectType): Promise<ObjectSchema>;
  /** Drops the cached descriptions, so that fields an admin has since created or changed are seen. */
  forgetDescribe?(): void;
  /**
   * The object's records changed strictly after `since` (all of them without it), page by page, oldest first; it
   * says when it began, in the CRM's clock, to `onPulledAt`.
   */
  pull(object: ObjectType, options: PullOptions): AsyncIterable<Page<ExternalRecord>>;
  /** Creates, updates or upserts in as few calls as the API allows; per-record failures are results, not throws. */
  push(object: ObjectType, writes: readonly Write[]): Promise<WriteResult[]>;
  /**
   * Converts leads (Salesforce) or advances lifecycle stages and adds a deal (HubSpot, Pipedrive); idempotent. A
   * connector without it converts nobody: the engine plans no conversion in its CRM.
   */
  convert?(conversions: readonly Conversion[]): Promise<ConversionResult[]>;
  /** These records by id, with the given fields (and those the connector needs); ids not found are left out. */
  read?(object: ObjectType, ids: readonly string[], fields: readonly string[]): Promise<ExternalRecord[]>;
  /** Records deleted or merged away strictly after `since`. */
  deleted?(object: ObjectType, since: Cursor): AsyncIterable<readonly DeletedRef[]>;
  /** Deletes (Salesforce) or archives (HubSpot) records; per-record failures are results. Idempotent. */
  remove?(object: ObjectType, ids: readonly string[]): Promise<WriteResult[]>;
  /** The API budget as last reported by the provider. */
  usage?(): ApiUsage | undefined;
  /** API calls this connector has made so far, retries included (for the run log and metrics). */
  calls?(): number;
  /** Releases sockets and timers. */
  close?(): Promise<void>;
}

/** Which external objects hold each unified entity, by connection name (from the config). */
export type EntityObjects = Partial<Record<EntityName, readonly ObjectType[]>>;
