import type { Cursor, DeletedRef, ExternalRecord, Page, PullOptions } from '../../src/connector/types.ts';
import { type BulkTuning, bulkQueryPages } from './salesforce-bulk.ts';
import type { QueryPage } from './salesforce-client.ts';
import type { Described } from './salesforce-describe.ts';
import { afterCursor, buildSelect, inList, isSalesforceId } from './salesforce-query.ts';
import { queryRecords } from './salesforce-records.ts';
import type { Session } from './salesforce-session.ts';

/** Fields read with every record when the object has them: identity, cursor, merges and lead conversion. */
const SYSTEM_FIELDS = [
  'Id',
  'SystemModstamp',
  'CreatedDate',
  'IsDeleted',
  'MasterRecordId',
  'IsConverted',
  'ConvertedDate',
  'ConvertedAccountId',
  'ConvertedContactId',
  'ConvertedOpportunityId',
];
const ORDER = ['SystemModstamp', 'Id'];

export interface PullTuning {
  /** Preferred query batch size (Salesforce: 200..2,000; not guaranteed). */
  readonly pageSize: number;
  /** Above this many matching rows the pull continues through Bulk API 2.0 instead of REST. */
  readonly bulkThreshold: number;
  readonly bulk: BulkTuning;
}

/**
 * Streams an object's records changed strictly after the cursor, oldest first, one query page at a time: the next
 * page is only requested when the consumer asks for it, so at most one page is held.
 */
export async function* pullPages(
  session: Session,
  object: string,
  options: PullOptions,
  tuning: PullTuning,
): AsyncGenerator<Page<ExternalRecord>> {
  const described = await session.describe.get(object);
  const fields = selectFields(described, options.fields);
  const batchSize = Math.min(2000, Math.max(200, options.pageSize ?? tuning.pageSize));
  let since = options.since;
  const query = () =>
    buildSelect({ object: described.name, fields, where: since ? [afterCursor(since)] : [], orderBy: ORDER });
  const toPage = async (rows: readonly Record<string, unknown>[]): Promise<Page<ExternalRecord>> => {
    const records = rows.map((r) => toExternal(described.name, r));
    const roles = options.associations === undefined || options.associations.includes('Contact');
    if (described.name === 'Opportunity' && roles && records.length > 0)
      await attachContactRoles(session, records);
    const last = records[records.length - 1];
    if (last) since = { modifiedAt: last.modifiedAt, id: last.id };
    return { records, cursor: last ? since : undefined };
  };
  let page: QueryPage = await session.call((c) => c.query(query(), { scanAll: false, batchSize }));
  for (;;) {
    const out = await toPage(page.records);
    if (out.records.length > 0 || page.done) yield out;
    if (page.done || !page.nextRecordsUrl) return;
    if (page.totalSize > tuning.bulkThreshold) {
      // Large result: the rest comes from one Bulk API 2.0 job, resumed strictly after the page just handed out.
      // ORDER BY keeps pages oldest-first (and every page's cursor resumable), at the price of PK chunking.
      for await (const rows of bulkQueryPages(session, described, query(), tuning.bulk)) {
        if (rows.length > 0) yield await toPage(rows);
      }
      return;
    }
    const next = page.nextRecordsUrl;
    try {
      page = await session.call((c) => c.queryMore(next));
    } catch (error) {
      // A locator that expired while the consumer worked is not fatal: ask again from the last cursor.
      if (session.fail(error).code !== 'INVALID_QUERY_LOCATOR') throw error;
      page = await session.call((c) => c.query(query(), { scanAll: false, batchSize }));
    }
  }
}

/** Records deleted (or merged away) strictly after the cursor, through queryAll with IsDeleted = true. */
export async function* deletedPages(
  session: Session,
  object: string,
  since: Cursor,
  pageSize: number,
): AsyncGenerator<readonly DeletedRef[]> {
  const described = await session.describe.get(object);
  const fields = ['Id', 'SystemModstamp', ...(described.has('MasterRecordId') ? ['MasterRecordId'] : [])];
  const soql = buildSelect({
    object: described.name,
    fields,
    where: ['IsDeleted = true', afterCursor(since)],
    orderBy: ORDER,
  });
  for await (const records of queryRecords(session, soql, { scanAll: true, batchSize: pageSize })) {
    const refs = records.map((r): DeletedRef => {
      const master = r.MasterRecordId;
      return {
        object: described.name,
        id: String(r.Id),
        deletedAt: isoTime(r.SystemModstamp),
        ...(typeof master === 'string' && master !== '' ? { mergedInto: master } : {}),
      };
    });
    if (refs.length > 0) yield refs;
  }
}

/** The requested fields (checked against describe) plus the system fields this object has, each once. */
export function selectFields(described: Described, requested: readonly string[]): string[] {
  const names = new Map<string, string>();
  for (const name of SYSTEM_FIELDS)
    if (described.has(name)) names.set(name.toLowerCase(), described.checked(name));
  for (const name of requested) names.set(name.toLowerCase(), described.checked(name));
  return [...names.values()];
}

/**
 * Records by id: one escaped `Id IN (…)` query per 200 ids (a URL stays well under the URI limit). A string that is no
 * Salesforce id names no record, and is left out: Salesforce would refuse the whole query for it.
 */
export async function readRecords(
  session: Session,
  object: string,
  requestedIds: readonly string[],
  requested: readonly string[],
): Promise<ExternalRecord[]> {
  const described = await session.describe.get(object);
  const fields = selectFields(described, requested);
  const ids = [...new Set(requestedIds.filter(isSalesforceId))];
  const out: ExternalRecord[] = [];
  for (let i = 0; i < ids.length; i += ROLE_CHUNK) {
    const soql = buildSelect({
      object: described.name,
      fields,
      where: [inList('Id', ids.slice(i, i + ROLE_CHUNK))],
    });
    for await (const rows of queryRecords(session, soql))
      out.push(...rows.map((r) => toExternal(described.name, r)));
  }
  return out;
}

function isoTime(value: unknown): string {
  return new Date(Date.parse(String(value))).toISOString();
}

function toExternal(object: string, raw: Record<string, unknown>): ExternalRecord {
  const { attributes: _attributes, ...fields } = raw;
  const master = fields.MasterRecordId;
  return {
    object,
    id: String(fields.Id),
    fields,
    modifiedAt: isoTime(fields.SystemModstamp),
    ...(fields.CreatedDate ? { createdAt: isoTime(fields.CreatedDate) } : {}),
    ...(fields.IsDeleted === true ? { deleted: true } : {}),
    ...(typeof master === 'string' && master !== '' ? { mergedInto: master } : {}),
    ...(fields.IsConverted === true ? { converted: conversionOf(fields) } : {}),
  };
}

/** What a converted lead became; ConvertedDate is a date, given as that day's midnight UTC. */
function conversionOf(fields: Readonly<Record<string, unknown>>): NonNullable<ExternalRecord['converted']> {
  const id = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const [contactId, accountId, opportunityId] = [
    id(fields.ConvertedContactId),
    id(fields.ConvertedAccountId),
    id(fields.ConvertedOpportunityId),
  ];
  const day = id(fields.ConvertedDate);
  return {
    ...(contactId ? { contactId } : {}),
    ...(accountId ? { accountId } : {}),
    ...(opportunityId ? { opportunityId } : {}),
    ...(day ? { at: new Date(`${day.slice(0, 10)}T00:00:00.000Z`).toISOString() } : {}),
  };
}

/** Contact ↔ opportunity links come from OpportunityContactRole: one query per page of opportunities. */
/** Opportunity ids per contact-role query. */
const ROLE_CHUNK = 200;

async function attachContactRoles(session: Session, records: ExternalRecord[]): Promise<void> {
  const byOpportunity = new Map<string, string[]>();
  // Queries go in the URL: 200 ids (about 4 KB) per query stays well under Salesforce's URI length limit.
  for (let i = 0; i < records.length; i += ROLE_CHUNK) {
    const soql = buildSelect({
      object: 'OpportunityContactRole',
      fields: ['Id', 'OpportunityId', 'ContactId'],
      where: [
        inList(
          'OpportunityId',
          records.slice(i, i + ROLE_CHUNK).map((r) => r.id),
        ),
      ],
    });
    for await (const roles of queryRecords(session, soql)) {
      for (const role of roles) {
        const opportunity = String(role.OpportunityId);
        byOpportunity.set(opportunity, [...(byOpportunity.get(opportunity) ?? []), String(role.ContactId)]);
      }
    }
  }
  records.forEach((r, i) => {
    const contacts = byOpportunity.get(r.id);
    if (contacts) records[i] = { ...r, associations: { Contact: contacts } };
  });
}
