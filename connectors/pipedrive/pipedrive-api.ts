import type { FieldInfo, Named, RawRecord } from './pipedrive-schemas.ts';
import type { PipedriveObject } from './standard-fields.ts';

export type { FieldInfo, Named, RawRecord } from './pipedrive-schemas.ts';

/** Objects the v2 API serves (leads are v1 but for conversion and search). */
export type V2Object = Exclude<PipedriveObject, 'leads'>;

/** A query of a v2 list, sorted by update time, oldest first. */
export interface ListQuery {
  readonly updatedSince?: string;
  readonly limit: number;
  readonly cursor?: string;
  readonly ids?: readonly string[];
}

/** A page of a v1 list. */
export interface OffsetPage<T> {
  readonly items: readonly T[];
  readonly more: boolean;
}

/** A change v1 recents lists: the item's id, whether it is still active, when it changed (`YYYY-MM-DD HH:MM:SS`). */
export interface RecentEntry {
  readonly id: string;
  readonly active: boolean;
  readonly updateTime: string | undefined;
}

/** The part of the official `pipedrive` client the connector uses; fakes and an SDK upgrade touch only this. */
export interface PipedriveApi {
  /** `GET /api/v2/:object?sort_by=update_time` (or by `ids`), one cursor page. */
  list(object: V2Object, query: ListQuery): Promise<{ records: RawRecord[]; nextCursor: string | undefined }>;
  /** `GET /api/v2/deals?sort_by=add_time&sort_direction=desc&include_fields=source_lead_id`: newest deals first. */
  newestDeals(
    limit: number,
    cursor?: string,
  ): Promise<{ records: RawRecord[]; nextCursor: string | undefined }>;
  /** `GET /api/v2/deals?person_id=…`: a person's deals (not deleted), oldest first, the first 100. */
  dealsOf(personId: number): Promise<RawRecord[]>;
  /**
   * `GET /api/v1/leads?person_id=…`: a person's leads, oldest first, the first 100; archived ones included (Pipedrive
   * marks them `is_archived`).
   */
  leadsOf(personId: number): Promise<RawRecord[]>;
  /** `GET /api/v2/deals?status=deleted&sort_by=update_time`: deleted deals (kept 30 days), one cursor page. */
  deletedDeals(
    updatedSince: string,
    limit: number,
    cursor?: string,
  ): Promise<{ records: RawRecord[]; nextCursor: string | undefined }>;
  /** `GET /api/v1/leads?sort=update_time`, one offset page. */
  leads(start: number, limit: number, updatedSince?: string): Promise<OffsetPage<RawRecord>>;
  /** `GET /api/v2/:object/:id` or `GET /api/v1/leads/:id`. */
  get(object: PipedriveObject, id: string): Promise<RawRecord>;
  /** `POST /api/v2/:object` or `POST /api/v1/leads`. */
  create(object: PipedriveObject, body: Record<string, unknown>): Promise<RawRecord>;
  /** `PATCH /api/v2/:object/:id` or `PATCH /api/v1/leads/:id`. */
  update(object: PipedriveObject, id: string, body: Record<string, unknown>): Promise<RawRecord>;
  /** `DELETE /api/v2/:object/:id` or `DELETE /api/v1/leads/:id`. */
  remove(object: PipedriveObject, id: string): Promise<void>;
  /** `GET /api/v2/:object/search?exact_match=true`: ids of the records whose `field` is `term`. */
  search(object: PipedriveObject, field: string, term: string): Promise<string[]>;
  /** `GET /api/v1/:objectFields`, one offset page. */
  fields(object: PipedriveObject, start: number, limit: number): Promise<OffsetPage<FieldInfo>>;
  /** `POST /api/v1/:objectFields`: a custom field (Pipedrive gives it a 40-hex key). */
  addField(
    object: V2Object,
    name: string,
    fieldType: string,
    options?: readonly string[],
  ): Promise<FieldInfo>;
  /** `POST /api/v2/leads/:id/convert/deal`: starts the conversion job, returns its id. */
  convertLead(id: string, stageId?: number): Promise<string>;
  /** `GET /api/v2/leads/:id/convert/status/:conversion_id`. */
  conversionStatus(id: string, conversionId: string): Promise<{ status: string; dealId?: number }>;
  /** `GET /api/v2/pipelines` and `GET /api/v2/stages` (an account has a handful; the first 500 are read). */
  pipelines(): Promise<{ pipelines: Named[]; stages: Named[] }>;
  /** `GET /api/v1/leadLabels`. */
  leadLabels(): Promise<Named[]>;
  /** `GET /api/v1/recents?items=…&since_timestamp=…`, one offset page. */
  recents(
    item: 'person' | 'organization' | 'deal',
    since: string,
    start: number,
    limit: number,
  ): Promise<OffsetPage<RecentEntry>>;
}
