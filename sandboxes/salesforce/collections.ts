import { USER_ID } from './auth.ts';
import { SETUP_OBJECTS } from './schema.ts';
import type { SandboxStore, StoredRecord } from './store.ts';
import { duplicateError, emailIndex, error, type RecordError, validateFields } from './validation.ts';

/** One result of an sObject collection call, in Salesforce's shape. */
export interface SaveResult {
  /** The saved record's id (absent on failure). */
  readonly id?: string;
  readonly success: boolean;
  /** Why the record was refused (empty on success). */
  readonly errors: readonly RecordError[];
  /** Upserts only: whether the record was created. */
  readonly created?: boolean;
}

export type CollectionMode = 'create' | 'update' | { readonly upsertBy: string; readonly object: string };

interface Planned {
  readonly object: string;
  readonly id?: string;
  readonly fields: Record<string, unknown>;
}

/**
 * Saves a collection as Salesforce does: every record is validated (fields, duplicates within the org and the
 * batch), valid ones are written unless `allOrNone` and one failed, and each gets a result in request order.
 */
export function saveCollection(
  store: SandboxStore,
  mode: CollectionMode,
  records: readonly Record<string, unknown>[],
  allOrNone: boolean,
): SaveResult[] {
  // Built once per request: a per-record scan of a 50k-record org would make large batches quadratic.
  const index = memo((object: string) => emailIndex(store, object));
  const assignments = new Set<string>();
  const keyIndex = memo((object: string) =>
    valueIndex(store, object, typeof mode === 'object' ? mode.upsertBy : 'Id'),
  );
  const plans: (Planned | RecordError[])[] = records.map((raw) => {
    const {
      attributes,
      id: rawId,
      Id,
      ...fields
    } = raw as { attributes?: { type?: string } } & Record<string, unknown>;
    const object = store.schema.findObject(typeof mode === 'object' ? mode.object : (attributes?.type ?? ''));
    if (!object) return [error('INVALID_TYPE', `sObject type '${attributes?.type ?? ''}' is not supported`)];
    let id = typeof (rawId ?? Id) === 'string' ? String(rawId ?? Id) : undefined;
    if (typeof mode === 'object') {
      const matches = keyIndex(object).get(String(fields[mode.upsertBy] ?? '').toLowerCase());
      if (matches && matches.length > 1) {
        return [
          error(
            'DUPLICATE_EXTERNAL_ID',
            `${mode.upsertBy}: more than one record found for external id field`,
          ),
        ];
      }
      id = matches?.[0];
    }
    if (mode === 'update' || (typeof mode === 'object' && id !== undefined)) {
      const target = id === undefined ? undefined : store.get(object, id);
      if (!target) return [error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id'])];
      if (target.IsDeleted) return [error('ENTITY_IS_DELETED', 'entity is deleted', ['Id'])];
      if (target.IsConverted === true) {
        return [error('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', ['Id'])];
      }
    }
    if (id === undefined && SETUP_OBJECTS.has(object)) {
      return [error('INVALID_TYPE_FOR_OPERATION', `entity type ${object} does not support create`)];
    }
    const errors = validateFields(store, object, fields, id === undefined ? 'create' : 'update');
    const dup =
      object === 'PermissionSetAssignment'
        ? duplicateAssignment(store, fields, assignments)
        : 'Email' in fields
          ? duplicateError(index(object), fields.Email, id)
          : undefined;
    if (dup) errors.push(dup);
    if (errors.length > 0) return errors;
    if (typeof fields.Email === 'string')
      index(object).set(fields.Email.toLowerCase(), id ?? `pending:${fields.Email}`);
    return id === undefined ? { object, fields } : { object, id, fields };
  });
  const failed = plans.some((p) => Array.isArray(p));
  if (allOrNone && failed) {
    return plans.map((p) => ({
      success: false,
      errors: Array.isArray(p)
        ? p
        : [
            error(
              'ALL_OR_NONE_OPERATION_ROLLED_BACK',
              'Record rolled back because not all records were valid and the request was using AllOrNone header',
            ),
          ],
    }));
  }
  return plans.map((p) => {
    if (Array.isArray(p)) return { success: false, errors: p };
    const created = p.id === undefined;
    const record = created
      ? store.insert(p.object, p.fields)
      : store.update(p.object, p.id as string, p.fields);
    store.noteWrite(p.object, record.Id);
    if (created && p.object === 'PermissionSetAssignment') assigned(store, record);
    return typeof mode === 'object'
      ? { id: record.Id, success: true, errors: [], created }
      : { id: record.Id, success: true, errors: [] };
  });
}

/** Live records by the lower-cased value of `field`, for upserts by external id. */
function valueIndex(store: SandboxStore, object: string, field: string): Map<string, string[]> {
  const name = store.schema.findField(object, field)?.name ?? field;
  const index = new Map<string, string[]>();
  for (const r of store.all(object)) {
    const value = r[name];
    if (r.IsDeleted || value === null || value === undefined || value === '') continue;
    const key = String(value).toLowerCase();
    index.set(key, [...(index.get(key) ?? []), r.Id]);
  }
  return index;
}

function memo<V>(build: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = build(key);
    cache.set(key, value);
    return value;
  };
}

/** A permission set assigned to the API user grants it the set's field access at once. */
function assigned(store: SandboxStore, assignment: StoredRecord): void {
  if (assignment.AssigneeId !== USER_ID) return;
  const permissionSet = store.get('PermissionSet', String(assignment.PermissionSetId));
  if (permissionSet) store.schema.grant(String(permissionSet.Name));
}

/** A permission set is assigned to a user once: `batch` holds the pairs this request assigns before it. */
function duplicateAssignment(
  store: SandboxStore,
  fields: Readonly<Record<string, unknown>>,
  batch: Set<string>,
): RecordError | undefined {
  const key = `${String(fields.AssigneeId)}/${String(fields.PermissionSetId)}`;
  const found = [...store.all('PermissionSetAssignment')].find(
    (r) => !r.IsDeleted && `${String(r.AssigneeId)}/${String(r.PermissionSetId)}` === key,
  );
  if (found || batch.has(key)) {
    const by = found ? `: duplicates value on record with id: ${found.Id}` : '';
    return error('DUPLICATE_VALUE', `duplicate value found${by}`);
  }
  batch.add(key);
  return undefined;
}
