/**
 * The part of jsforce the connector uses, as a narrow structural interface: fakes stay small and a jsforce upgrade
 * touches only `jsforce-client.ts`.
 */

/** One error of a failed record. Collections say `statusCode`, REST bodies `errorCode`: read both. */
export interface ProviderRecordError {
  readonly statusCode?: string;
  readonly errorCode?: string;
  readonly message: string;
  readonly fields?: readonly string[];
}

export interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: readonly ProviderRecordError[];
  /** Upserts only: whether the record was created. */
  readonly created?: boolean;
}

export interface QueryPage {
  readonly records: readonly Record<string, unknown>[];
  readonly totalSize: number;
  readonly done: boolean;
  /** Present while more records remain; queryMore takes it (or its last segment). */
  readonly nextRecordsUrl?: string;
}

export interface DescribeField {
  readonly name: string;
  readonly type: string;
  readonly label?: string;
  readonly length?: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly defaultedOnCreate?: boolean;
  readonly externalId?: boolean;
  readonly picklistValues?: readonly { readonly value: string; readonly active: boolean }[];
}

export interface DescribeResult {
  readonly name: string;
  readonly fields: readonly DescribeField[];
}

/** A LeadConvert as the SOAP API takes it. */
export interface LeadConvertRequest {
  readonly leadId: string;
  readonly convertedStatus: string;
  readonly doNotCreateOpportunity: boolean;
  readonly overwriteLeadSource: boolean;
  readonly sendNotificationEmail: boolean;
  readonly accountId?: string;
  readonly opportunityName?: string;
}

export interface LeadConvertResult {
  readonly leadId?: string | null;
  readonly success: boolean;
  readonly accountId?: string | null;
  readonly contactId?: string | null;
  readonly opportunityId?: string | null;
  readonly errors?: readonly ProviderRecordError[];
}

/** A Bulk API 2.0 query job's state: UploadComplete, InProgress, JobComplete, Failed or Aborted. */
export interface BulkJobState {
  readonly state: string;
  readonly errorMessage?: string;
}

/** One page of Bulk API 2.0 query results: CSV rows (every value a string) and the locator of the next page. */
export interface BulkResultPage {
  readonly records: readonly Record<string, string>[];
  readonly locator?: string;
}

export interface SalesforceClient {
  /** One page of a SOQL query; `scanAll` includes deleted records (queryAll). */
  query(
    soql: string,
    options: { readonly scanAll: boolean; readonly batchSize?: number },
  ): Promise<QueryPage>;
  /** The next page after `nextRecordsUrl`. */
  queryMore(nextRecordsUrl: string): Promise<QueryPage>;
  describe(object: string): Promise<DescribeResult>;
  /** sObject collection create of at most 200 records, allOrNone false. */
  create(object: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]>;
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
  bulkJob(id: string): Promise<BulkJobState>;
  /** One result page of a completed job, from `locator` (the first page without it). */
  bulkResults(id: string, locator: string | undefined, maxRecords: number): Promise<BulkResultPage>;
  /** The daily API allocation from the limits resource. */
  dailyApiRequests(): Promise<{ readonly used: number; readonly limit: number } | undefined>;
  /** The API usage from the last response's Sforce-Limit-Info header. */
  apiUsage(): { readonly used: number; readonly limit: number } | undefined;
}
