/**
 * The part of jsforce the connector uses, as a narrow structural interface: fakes stay small and a jsforce upgrade
 * touches only `jsforce-client.ts`.
 */

/** One error of a failed record. Collections say `statusCode`, REST bodies `errorCode`: read both. */
export interface ProviderRecordError {
  /** Salesforce's code in collection and SOAP results, e.g. `REQUIRED_FIELD_MISSING`. */
  readonly statusCode?: string | undefined;
  /** The same code as REST error bodies name it. */
  readonly errorCode?: string | undefined;
  readonly message: string;
  /** The fields Salesforce blamed. */
  readonly fields?: readonly string[] | undefined;
}

export interface SaveResult {
  /** The record's id, when the save succeeded. */
  readonly id?: string | undefined;
  readonly success: boolean;
  /** Why the record was refused (empty on success). */
  readonly errors: readonly ProviderRecordError[];
  /** Upserts only: whether the record was created. */
  readonly created?: boolean | undefined;
}

export interface QueryPage {
  /** This page's records, each with an `attributes` entry and the selected fields. */
  readonly records: readonly Record<string, unknown>[];
  /** Rows the whole query matched (all pages). */
  readonly totalSize: number;
  /** True on the last page. */
  readonly done: boolean;
  /** Present while more records remain; queryMore takes it (or its last segment). */
  readonly nextRecordsUrl?: string | undefined;
}

export interface DescribeField {
  /** The API name, e.g. `Email`, `Lead_Score__c`. */
  readonly name: string;
  /** Salesforce's field type: `string`, `email`, `picklist`, `boolean`, `double`, `datetime`, `reference`… */
  readonly type: string;
  readonly label?: string | undefined;
  /** Maximum length of text fields (0 for others). */
  readonly length?: number | undefined;
  /** False when the field must hold a value. */
  readonly nillable: boolean;
  /** Whether a create may set it. */
  readonly createable: boolean;
  /** Whether an update may set it. */
  readonly updateable: boolean;
  /** True when Salesforce fills it in on create (so it is not required even if not nillable). */
  readonly defaultedOnCreate?: boolean | undefined;
  /** True for external-id fields, which the upsert collection can match on. */
  readonly externalId?: boolean | undefined;
  /** A picklist's values, active or not. */
  readonly picklistValues?:
    | readonly {
        readonly value: string;
        readonly active: boolean;
        readonly label?: string | null | undefined;
      }[]
    | undefined;
}

export interface DescribeResult {
  /** The object's API name as Salesforce spells it. */
  readonly name: string;
  readonly fields: readonly DescribeField[];
}

/** A LeadConvert as the SOAP API takes it. */
export interface LeadConvertRequest {
  readonly leadId: string;
  /** A lead status whose LeadStatus.IsConverted is true. */
  readonly convertedStatus: string;
  readonly doNotCreateOpportunity: boolean;
  readonly overwriteLeadSource: boolean;
  readonly sendNotificationEmail: boolean;
  /** Attach the new contact to this account instead of creating one. */
  readonly accountId?: string | undefined;
  readonly opportunityName?: string | undefined;
}

export interface LeadConvertResult {
  readonly leadId?: string | null | undefined;
  readonly success: boolean;
  /** The account, contact and opportunity the lead became (on success). */
  readonly accountId?: string | null | undefined;
  readonly contactId?: string | null | undefined;
  readonly opportunityId?: string | null | undefined;
  readonly errors?: readonly ProviderRecordError[] | undefined;
}

/** A Bulk API 2.0 query job's state: UploadComplete, InProgress, JobComplete, Failed or Aborted. */
export interface BulkJobState {
  /** UploadComplete, InProgress, JobComplete, Failed or Aborted. */
  readonly state: string;
  /** Why a failed job failed, when Salesforce says. */
  readonly errorMessage?: string | undefined;
}

/** One page of Bulk API 2.0 query results: CSV rows (every value a string) and the locator of the next page. */
export interface BulkResultPage {
  /** Rows by column name; every value is CSV text ('' for null). */
  readonly records: readonly Record<string, string>[];
  /** The next page's locator; absent on the last page. */
  readonly locator?: string | undefined;
}

/** A Metadata API component (a CustomField, a PermissionSet) as createMetadata and upsertMetadata take it. */
export interface MetadataComponent {
  /** `Object.Field__c` for a field, the API name for a permission set. */
  readonly fullName: string;
  readonly [member: string]: unknown;
}

/** The result of one component of a Metadata API call. */
export interface MetadataResult {
  readonly fullName: string;
  readonly success: boolean;
  /** upsertMetadata: whether the component was created rather than replaced. */
  readonly created?: boolean | undefined;
  readonly errors: readonly ProviderRecordError[];
}

/** The Metadata API and identity calls `crm-bridge setup` makes. */
export interface SalesforceMetadataApi {
  /** createMetadata of at most 10 components of one type; each succeeds or fails on its own. */
  create(type: string, components: readonly MetadataComponent[]): Promise<MetadataResult[]>;
  /** upsertMetadata of at most 10 components of one type: created, or replaced when they exist. */
  upsert(type: string, components: readonly MetadataComponent[]): Promise<MetadataResult[]>;
  /** The API user's id and username (the identity service). */
  identity(): Promise<{ readonly userId: string; readonly username: string }>;
}

export interface SalesforceClient {
  /** The Metadata API; absent from clients (fakes) that cannot set an org up. */
  readonly metadata?: SalesforceMetadataApi;
  /** One page of a SOQL query; `scanAll` includes deleted records (queryAll). */
  query(
    soql: string,
    options: { readonly scanAll: boolean; readonly batchSize?: number },
  ): Promise<QueryPage>;
  /** The next page after `nextRecordsUrl`. */
  queryMore(nextRecordsUrl: string): Promise<QueryPage>;
  /** The object's fields, types, lengths and picklists. */
  describe(object: string): Promise<DescribeResult>;
  /** sObject collection create of at most 200 records, allOrNone false. */
  create(object: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]>;
  /** Deletes records through sObject collections (≤ 200 ids per call, allOrNone false). */
  destroy(object: string, ids: readonly string[]): Promise<SaveResult[]>;
  /** sObject collection update of at most 200 records (each with `Id`), allOrNone false. */
  update(object: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]>;
  /** sObject collection upsert of at most 200 records by an external-id field, allOrNone false. */
  upsert(
    object: string,
    records: readonly Record<string, unknown>[],
    externalIdField: string,
  ): Promise<SaveResult[]>;
  /** SOAP convertLead of at most 100 leads. */
  convertLead(requests: readonly LeadConvertRequest[]): Promise<LeadConvertResult[]>;
  /** Creates a Bulk API 2.0 query job; returns its id. */
  bulkQuery(soql: string, options: { readonly scanAll: boolean }): Promise<string>;
  /** The job's current state (poll until JobComplete). */
  bulkJob(id: string): Promise<BulkJobState>;
  /** One result page of a completed job, from `locator` (the first page without it). */
  bulkResults(id: string, locator: string | undefined, maxRecords: number): Promise<BulkResultPage>;
  /** The daily API allocation from the limits resource. */
  dailyApiRequests(): Promise<{ readonly used: number; readonly limit: number } | undefined>;
  /** The API usage from the last response's Sforce-Limit-Info header. */
  apiUsage(): { readonly used: number; readonly limit: number } | undefined;
}
