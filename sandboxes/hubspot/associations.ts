import type { SandboxResponse } from '../kit/index.ts';
import { validationError } from './errors.ts';
import { arrayOf, bodyOf, type Register } from './router.ts';
import type { HubSpotStore } from './store.ts';

/** HubSpot-defined association type ids: [from, to, typeId, label]. */
const TYPES: readonly (readonly [string, string, number, string | null])[] = [
  ['contacts', 'companies', 279, null],
  ['contacts', 'companies', 1, 'Primary'],
  ['companies', 'contacts', 280, null],
  ['companies', 'contacts', 2, 'Primary'],
  ['deals', 'contacts', 3, null],
  ['contacts', 'deals', 4, null],
  ['deals', 'companies', 341, null],
  ['deals', 'companies', 5, 'Primary'],
  ['companies', 'deals', 342, null],
  ['companies', 'deals', 6, 'Primary'],
  ['leads', 'contacts', 578, 'Primary'],
  ['contacts', 'leads', 579, 'Primary'],
];

/** The default (unlabelled) association type between two object types. */
export function defaultType(from: string, to: string): number | undefined {
  return TYPES.find(([f, t]) => f === from && t === to)?.[2];
}

/** The object type an association type id points to, seen from `from`. */
export function targetOf(from: string, typeId: number): string | undefined {
  return TYPES.find(([f, , id]) => f === from && id === typeId)?.[1];
}

const MAX_INPUTS = 1000;

/** HubSpot's page of one record's associations. */
export const ASSOCIATION_PAGE = 500;

/** One associated record in the v4 JSON shape. */
const associatedJson = (from: string, to: string) => (id: string) => ({
  toObjectId: Number(id),
  associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: defaultType(from, to) ?? 0, label: null }],
});

/** The page of `ids` from offset `after`, with HubSpot's paging when more follow. */
function page(ids: readonly string[], after: number, size: number) {
  const end = after + size;
  return {
    ids: ids.slice(after, end),
    ...(end < ids.length ? { paging: { next: { after: String(end), link: `?after=${end}` } } } : {}),
  };
}

/**
 * Associations v4: batch read (one page per record; `paging` when a record has more), one record's associations
 * page by page, batch create with types, batch create with the default type. `pageSize`: associations per page
 * (HubSpot: 500).
 */
export function associationRoutes(
  register: Register,
  store: HubSpotStore,
  pageSize = ASSOCIATION_PAGE,
): void {
  register('GET', '/crm/v4/objects/:from/:id/associations/:to', 'GET /crm/v4/objects/associations', (req) => {
    const { from = '', id = '', to = '' } = req.params;
    const after = Number(req.url.searchParams.get('after') ?? '0');
    const limit = Number(req.url.searchParams.get('limit') ?? String(pageSize));
    if (!Number.isInteger(after) || after < 0) return validationError(`Invalid after: ${after}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > ASSOCIATION_PAGE) {
      return validationError(`limit must be between 1 and ${ASSOCIATION_PAGE}`);
    }
    const found = page(
      store.get(from, id) ? store.associated(from, id, to) : [],
      after,
      Math.min(limit, pageSize),
    );
    return {
      status: 200,
      body: {
        results: found.ids.map(associatedJson(from, to)),
        ...(found.paging ? { paging: found.paging } : {}),
      },
    };
  });
  const base = '/crm/v4/associations/:from/:to/batch';
  register('POST', `${base}/read`, 'POST /crm/v4/associations/batch/read', (req) => {
    const { from = '', to = '' } = req.params;
    const inputs = arrayOf<{ id?: string }>(bodyOf(req.json).inputs);
    if (inputs.length > MAX_INPUTS) return validationError(`Batch input has a limit of ${MAX_INPUTS} inputs`);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const targets = store.get(from, id) ? store.associated(from, id, to) : [];
      if (targets.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          context: { fromObjectId: [id] },
          message: `No ${to} is associated with ${from} ${id}.`,
          errors: [],
          links: {},
        });
        continue;
      }
      const first = page(targets, 0, pageSize);
      results.push({
        from: { id },
        to: first.ids.map(associatedJson(from, to)),
        ...(first.paging ? { paging: first.paging } : {}),
      });
    }
    return batch(results, errors);
  });
  register(
    'POST',
    `${base}/associate/default`,
    'POST /crm/v4/associations/batch/associate/default',
    (req) => {
      const { from = '', to = '' } = req.params;
      return create(store, from, to, arrayOf(bodyOf(req.json).inputs), () => defaultType(from, to));
    },
  );
  register('POST', `${base}/create`, 'POST /crm/v4/associations/batch/create', (req) => {
    const { from = '', to = '' } = req.params;
    return create(
      store,
      from,
      to,
      arrayOf(bodyOf(req.json).inputs),
      (types) => arrayOf<{ associationTypeId?: number }>(types).map((t) => t.associationTypeId)[0],
    );
  });
}

function create(
  store: HubSpotStore,
  from: string,
  to: string,
  inputs: Record<string, unknown>[],
  typeOf: (types: unknown) => number | undefined,
): SandboxResponse {
  if (inputs.length > MAX_INPUTS) return validationError(`Batch input has a limit of ${MAX_INPUTS} inputs`);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const fromId = String(bodyOf(input.from).id ?? '');
    const toId = String(bodyOf(input.to).id ?? '');
    const typeId = typeOf(input.types);
    if (!store.get(from, fromId) || !store.get(to, toId) || typeId === undefined) {
      errors.push({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: `Could not associate ${from} ${fromId} with ${to} ${toId}`,
        context: { fromObjectId: [fromId], toObjectId: [toId] },
        errors: [],
        links: {},
      });
      continue;
    }
    store.associate(from, fromId, to, toId);
    results.push({
      from: { id: fromId },
      to: { id: toId },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
    });
  }
  return batch(results, errors);
}

function batch(results: unknown[], errors: unknown[]): SandboxResponse {
  const at = new Date().toISOString();
  return {
    status: errors.length > 0 ? 207 : 200,
    body: {
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { errors, numErrors: errors.length } : {}),
      startedAt: at,
      completedAt: at,
    },
  };
}
