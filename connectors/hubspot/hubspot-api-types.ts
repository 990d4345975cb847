/** A CRM object as the SDK returns it (only the fields the connector reads). */
export interface HubSpotObject {
  /** HubSpot's numeric record id, as a string. */
  readonly id: string;
  /** Property values as strings; null when a requested property is unset. */
  readonly properties: Readonly<Record<string, string | null>>;
  /** When the record was created (the SDK parses the JSON timestamp). */
  readonly createdAt?: Date;
  /** When the record last changed. */
  readonly updatedAt?: Date;
  /** True in `archived=true` listings. */
  readonly archived?: boolean;
  /** When the record was archived (deleted). */
  readonly archivedAt?: Date;
  /** Echo of the input's trace id in batch write results. */
  readonly objectWriteTraceId?: string;
  /** Upsert results: true when the record was created (JSON `new`). */
  readonly _new?: boolean;
}

/** One entry of a 207's `errors[]`. */
export interface HubSpotBatchError {
  /** Always `error`. */
  readonly status?: string;
  /** HubSpot's category: VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND… */
  readonly category?: string;
  readonly message?: string;
  /** Which input failed, when HubSpot says so. */
  readonly id?: string;
  /** Which inputs failed: `objectWriteTraceId`, `ids`, `fromObjectId`… */
  readonly context?: Readonly<Record<string, readonly string[]>>;
  /** Per-property details; `_in` is the property (JSON `in`). */
  readonly errors?: readonly { readonly message?: string; readonly code?: string; readonly _in?: string }[];
}

/** A batch answer: 200/201, or 207 with `errors`. */
export interface HubSpotBatch {
  readonly results: readonly HubSpotObject[];
  readonly errors?: readonly HubSpotBatchError[];
}

/** A page of the list or search endpoint. */
export interface HubSpotPage {
  readonly results: readonly HubSpotObject[];
  /** Present when there are more results. */
  readonly paging?: { readonly next?: { readonly after: string } };
  /** Search only: all matches, beyond the 10,000 HubSpot will page through. */
  readonly total?: number;
}

/** One search filter; the filters of a group are ANDed, the groups ORed. */
export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  /** Datetimes as epoch milliseconds. */
  readonly value?: string;
  /** For `IN`. */
  readonly values?: readonly string[];
}

/** The body of `POST /crm/v3/objects/:type/search`. */
export interface SearchRequest {
  readonly filterGroups: readonly { readonly filters: readonly SearchFilter[] }[];
  /** HubSpot applies one sort only. */
  readonly sorts: readonly {
    readonly propertyName: string;
    readonly direction: 'ASCENDING' | 'DESCENDING';
  }[];
  readonly properties: readonly string[];
  /** At most 200. */
  readonly limit: number;
  /** An offset; `after` + `limit` may not pass 10,000. */
  readonly after?: string;
}

/** One input of a batch create, update or upsert. */
export interface WriteInput {
  /** The record id (update), or the `idProperty` value (upsert); absent for create. */
  readonly id?: string;
  /** Upsert: the unique property `id` holds (e.g. `email`). */
  readonly idProperty?: string;
  /** Distinct per input, so HubSpot answers 207 per input instead of refusing the batch. */
  readonly objectWriteTraceId: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** One record's associations from the v4 batch read. */
export interface AssociationRow {
  /** The record asked about (JSON `from`). */
  readonly _from: { readonly id: string };
  /** `toObjectId` arrives as a JSON number despite the SDK's string type. */
  readonly to: readonly { readonly toObjectId: string | number }[];
  /** Present when the record has more associations than this page holds. */
  readonly paging?: { readonly next?: { readonly after: string } };
}

/** One page of a record's associations of one type (`GET /crm/v4/objects/:type/:id/associations/:to`). */
export interface AssociationPage {
  readonly results: readonly { readonly toObjectId: string | number }[];
  /** Present when there are more. */
  readonly paging?: { readonly next?: { readonly after: string } };
}

/** A property definition from `/crm/v3/properties/:type`. */
/** A custom property as `POST /crm/v3/properties/:type` takes it. */
export interface PropertyCreate {
  /** Lower-case letters, digits and underscores. */
  readonly name: string;
  readonly label: string;
  /** string, number, enumeration, bool, date or datetime. */
  readonly type: string;
  /** text, number, select, booleancheckbox, date: how HubSpot shows it, suited to `type`. */
  readonly fieldType: string;
  readonly groupName: string;
  readonly description?: string;
  readonly options?: readonly {
    readonly label: string;
    readonly value: string;
    readonly displayOrder: number;
    readonly hidden: boolean;
  }[];
  /** No two records may hold the same value (a twin id, an upsert key). */
  readonly hasUniqueValue?: boolean;
}

export interface PropertyInfo {
  readonly name: string;
  readonly label?: string;
  /** string, number, enumeration, datetime, date, bool. */
  readonly type: string;
  /** text, textarea, select, checkbox, booleancheckbox, date… */
  readonly fieldType?: string;
  /** Calculated properties cannot be written. */
  readonly calculated?: boolean;
  /** Only unique-value properties can be an upsert `idProperty`. */
  readonly hasUniqueValue?: boolean;
  /** `readOnlyValue`: HubSpot refuses writes. */
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean };
  /** Enumeration options, in `displayOrder`. */
  readonly options?: readonly {
    readonly value: string;
    readonly label?: string;
    readonly hidden?: boolean;
    readonly displayOrder?: number;
  }[];
}

/** A deal pipeline; a deal's `dealstage` holds a stage `id`. */
export interface PipelineInfo {
  readonly id: string;
  readonly label: string;
  /** In board order; `metadata` holds `probability` and `isClosed` as strings. */
  readonly stages: readonly {
    readonly id: string;
    readonly label: string;
    readonly displayOrder: number;
    readonly metadata?: Readonly<Record<string, string>>;
  }[];
}
