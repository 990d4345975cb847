import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';
import { formatDateTime } from './clock.ts';
import { type CollectionMode, saveCollection } from './collections.ts';
import { restError, type SandboxContext } from './context.ts';
import { SETUP_OBJECTS } from './schema.ts';

/** The most records one sObject collection call takes. */
export const MAX_COLLECTION = 200;

/** describe, sObject collections (create, update, upsert), getDeleted and limits. */
export function sobjectRoutes(ctx: SandboxContext): void {
  ctx.route('GET', '/services/data/:version/sobjects/:object/describe', 'describe', (req) =>
    describe(ctx, req.params.object ?? ''),
  );
  ctx.route('POST', '/services/data/:version/composite/sobjects', 'collections:create', (req) =>
    collection(ctx, req, 'create'),
  );
  ctx.route('PATCH', '/services/data/:version/composite/sobjects', 'collections:update', (req) =>
    collection(ctx, req, 'update'),
  );
  ctx.route(
    'PATCH',
    '/services/data/:version/composite/sobjects/:object/:field',
    'collections:upsert',
    (req) => {
      const object = ctx.store.schema.findObject(req.params.object ?? '');
      if (!object) return restError(404, 'NOT_FOUND', `The requested resource does not exist`);
      const field = ctx.store.schema.findField(object, req.params.field ?? '');
      if (!field || !(field.externalId || field.name === 'Id')) {
        return restError(
          400,
          'INVALID_FIELD',
          `Field ${req.params.field} is not an external id field on ${object}`,
        );
      }
      return collection(ctx, req, { object, upsertBy: field.name });
    },
  );
  ctx.route('DELETE', '/services/data/:version/composite/sobjects', 'collections:delete', (req) =>
    destroy(ctx, req),
  );
  ctx.route('GET', '/services/data/:version/sobjects/:object/deleted', 'getDeleted', (req) =>
    deleted(ctx, req),
  );
  ctx.route('GET', '/services/data/:version/limits', 'limits', () => ({
    status: 200,
    body: {
      DailyApiRequests: { Max: ctx.usage.limit, Remaining: Math.max(0, ctx.usage.limit - ctx.usage.used) },
    },
  }));
}

function describe(ctx: SandboxContext, name: string): SandboxResponse {
  const object = ctx.store.schema.findObject(name);
  if (!object) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const fields = ctx.store.schema.fields(object).map((f) => ({
    name: f.name,
    label: f.label,
    type: f.type,
    length: f.length,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate,
    defaultValue: typeof f.defaultValue === 'boolean' ? f.defaultValue : null,
    precision: f.precision ?? 0,
    scale: f.scale ?? 0,
    externalId: f.externalId,
    unique: f.unique,
    idLookup: f.name === 'Id' || f.externalId || f.type === 'email',
    custom: f.name.endsWith('__c'),
    referenceTo: f.referenceTo.map((r) => (r === 'self' ? object : r)),
    picklistValues: f.picklistValues.map((value) => ({
      active: true,
      defaultValue: value === f.defaultValue,
      label: f.picklistLabels?.[value] ?? value,
      validFor: null,
      value,
    })),
  }));
  return {
    status: 200,
    body: {
      name: object,
      label: object,
      custom: false,
      createable: !SETUP_OBJECTS.has(object),
      updateable: true,
      queryable: true,
      fields,
    },
  };
}

function collection(ctx: SandboxContext, request: SandboxRequest, mode: CollectionMode): SandboxResponse {
  const body = request.json as { allOrNone?: boolean; records?: unknown } | undefined;
  if (!body || !Array.isArray(body.records)) {
    return restError(400, 'JSON_PARSER_ERROR', 'expected a body { allOrNone, records: [...] }');
  }
  if (body.records.length > MAX_COLLECTION) {
    return restError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
    );
  }
  const records = body.records as Record<string, unknown>[];
  const unknown = unknownColumn(ctx, mode, records);
  if (unknown) return restError(400, 'INVALID_FIELD', unknown);
  return { status: 200, body: saveCollection(ctx.store, mode, records, body.allOrNone === true) };
}

/**
 * A field the org does not have (or the API user cannot see) fails the whole request, as Salesforce refuses to read
 * such a body into records: the message names the first one.
 */
function unknownColumn(
  ctx: SandboxContext,
  mode: CollectionMode,
  records: readonly Record<string, unknown>[],
): string | undefined {
  for (const record of records) {
    const type = (record.attributes as { type?: unknown } | undefined)?.type;
    const object = ctx.store.schema.findObject(typeof mode === 'object' ? mode.object : String(type ?? ''));
    if (object === undefined) continue;
    for (const name of Object.keys(record)) {
      if (name === 'attributes' || name === 'id') continue;
      if (!ctx.store.schema.findField(object, name))
        return `No such column '${name}' on sobject of type ${object}`;
    }
  }
  return undefined;
}

function deleted(ctx: SandboxContext, request: SandboxRequest): SandboxResponse {
  const object = ctx.store.schema.findObject(request.params.object ?? '');
  if (!object) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const start = Date.parse(request.url.searchParams.get('start') ?? '');
  const end = Date.parse(request.url.searchParams.get('end') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return restError(400, 'INVALID_REPLICATION_DATE', 'start and end must be ISO datetimes');
  }
  const entries = ctx.store.deletedBetween(object, start, end);
  return {
    status: 200,
    body: {
      deletedRecords: entries.map((e) => ({ id: e.id, deletedDate: formatDateTime(e.deletedAt) })),
      earliestDateAvailable: formatDateTime(start),
      latestDateCovered: formatDateTime(end),
    },
  };
}

/** DELETE /composite/sobjects?ids=…: a result per id, in order, like Salesforce's collection delete. */
function destroy(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const ids = (req.url.searchParams.get('ids') ?? '').split(',').filter((id) => id !== '');
  if (ids.length > MAX_COLLECTION) {
    return restError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
    );
  }
  const body = ids.map((id) => {
    const object = ctx.store.schema.objects().find((o) => ctx.store.get(o, id) !== undefined);
    const record = object === undefined ? undefined : ctx.store.get(object, id);
    if (object === undefined || record === undefined) {
      return {
        id,
        success: false,
        errors: [
          { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
        ],
      };
    }
    if (record.IsDeleted === true) {
      return {
        id,
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      };
    }
    ctx.store.remove(object, id);
    return { id, success: true, errors: [] };
  });
  return { status: 200, body };
}
