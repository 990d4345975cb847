import type { PipedriveObject } from '../../connectors/pipedrive/standard-fields.ts';
import type { AccountSchema } from './schema.ts';
import type { StoredRecord } from './store.ts';
import { leadTime, v1Time, v2Time } from './wire.ts';

/** Standard members every v2 answer carries, null when unset, by object. */
const V2_MEMBERS: Readonly<Record<Exclude<PipedriveObject, 'leads'>, readonly string[]>> = {
  persons: [
    'name',
    'first_name',
    'last_name',
    'owner_id',
    'org_id',
    'emails',
    'phones',
    'label_ids',
    'visible_to',
    'job_title',
    'birthday',
    'postal_address',
  ],
  organizations: [
    'name',
    'owner_id',
    'address',
    'label_ids',
    'visible_to',
    'website',
    'linkedin',
    'industry',
    'annual_revenue',
    'employee_count',
  ],
  deals: [
    'title',
    'owner_id',
    'person_id',
    'org_id',
    'pipeline_id',
    'stage_id',
    'value',
    'currency',
    'status',
    'probability',
    'lost_reason',
    'visible_to',
    'expected_close_date',
    'label_ids',
    'won_time',
    'lost_time',
    'close_time',
  ],
};

const LIST_MEMBERS = new Set(['emails', 'phones', 'label_ids']);

/**
 * A record as the v2 API returns it: every standard member (null or [] when unset), times to the second, and
 * `custom_fields` with every custom field's value (null when unset) or only those named in `?custom_fields=`.
 */
export function v2Json(
  record: StoredRecord,
  schema: AccountSchema,
  options: { customKeys?: readonly string[]; include?: readonly string[] } = {},
): Record<string, unknown> {
  const object = record.object as Exclude<PipedriveObject, 'leads'>;
  const out: Record<string, unknown> = { id: record.id };
  for (const member of V2_MEMBERS[object]) {
    out[member] = record.values[member] ?? (LIST_MEMBERS.has(member) ? [] : null);
  }
  out.add_time = v2Time(record.addTime);
  out.update_time = v2Time(record.updateTime);
  out.is_deleted = record.deletedAt !== undefined;
  if (object === 'deals' && record.deletedAt !== undefined) out.status = 'deleted';
  const keys = options.customKeys ?? schema.custom(object).map((f) => f.key);
  out.custom_fields = Object.fromEntries(keys.map((key) => [key, record.custom[key] ?? null]));
  if (object === 'deals' && options.include?.includes('source_lead_id'))
    out.source_lead_id = record.sourceLeadId ?? null;
  return out;
}

/** A lead as the v1 API returns it: custom values at the top level by key, times with milliseconds. */
export function leadJson(record: StoredRecord, schema: AccountSchema): Record<string, unknown> {
  const v = record.values;
  return {
    id: record.id,
    title: v.title ?? null,
    owner_id: v.owner_id ?? 1,
    creator_id: 1,
    label_ids: v.label_ids ?? [],
    person_id: v.person_id ?? null,
    organization_id: v.organization_id ?? null,
    source_name: 'API',
    origin: 'API',
    channel: null,
    is_archived: v.is_archived ?? false,
    was_seen: v.was_seen ?? false,
    value: v.value ?? null,
    expected_close_date: v.expected_close_date ?? null,
    next_activity_id: null,
    add_time: leadTime(record.addTime),
    update_time: leadTime(record.updateTime),
    visible_to: String(v.visible_to ?? 3),
    cc_email: `sandbox+${record.id}@pipedrivemail.com`,
    ...Object.fromEntries(schema.custom('leads').map((f) => [f.key, record.custom[f.key] ?? null])),
  };
}

/** A record as v1 recents list it: enough to tell a change from a delete. */
export function recentJson(record: StoredRecord): Record<string, unknown> {
  const name = record.object === 'deals' ? { title: record.values.title } : { name: record.values.name };
  return {
    id: record.id,
    ...name,
    active_flag: record.deletedAt === undefined,
    ...(record.object === 'deals' ? { deleted: record.deletedAt !== undefined } : {}),
    update_time: v1Time(record.updateTime),
  };
}
