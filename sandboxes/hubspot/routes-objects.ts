import { errorResponse, recordErrorResponse, validationError } from './errors.ts';
import { listParam, objectJson } from './object-json.ts';
import { bodyOf, type Register } from './router.ts';
import { search } from './search.ts';
import { type HubSpotStore, isError } from './store.ts';

const MAX_PAGE = 100;

/** Single-object endpoints: list (id order, `after` = next id), get, create, update, archive; and search. */
export function objectRoutes(register: Register, store: HubSpotStore): void {
  const known = (type: string) => store.defs.has(type);
  const unknownType = (type: string) =>
    errorResponse(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);

  register('GET', '/crm/v3/objects/:type', 'GET /crm/v3/objects', (req) => {
    const type = req.params.type ?? '';
    if (!known(type)) return unknownType(type);
    const limit = Number(req.url.searchParams.get('limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      return validationError(
        `limit must be between 1 and ${MAX_PAGE}; got ${req.url.searchParams.get('limit')}`,
      );
    }
    const after = Number(req.url.searchParams.get('after') ?? '0');
    const archived = req.url.searchParams.get('archived') === 'true';
    const properties = listParam(req.url, 'properties');
    const associations = listParam(req.url, 'associations');
    const rows = store.all(type, archived).filter((o) => Number(o.id) >= after);
    const page = rows.slice(0, limit).map((o) => ({
      ...objectJson(o, properties, store.defs.get(type)),
      ...(associations.length > 0
        ? {
            associations: Object.fromEntries(
              associations.map((to) => [
                to,
                { results: store.associated(type, o.id, to).map((id) => ({ id, type: `${type}_to_${to}` })) },
              ]),
            ),
          }
        : {}),
    }));
    const next = rows[limit];
    return {
      status: 200,
      body: {
        results: page,
        ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}),
      },
    };
  });

  register('GET', '/crm/v3/objects/:type/:id', 'GET /crm/v3/objects/:id', (req) => {
    const type = req.params.type ?? '';
    if (!known(type)) return unknownType(type);
    const idProperty = req.url.searchParams.get('idProperty') ?? undefined;
    const archived = req.url.searchParams.get('archived') === 'true';
    const id = req.params.id ?? '';
    const object = archived ? store.get(type, id, true) : store.findBy(type, idProperty, id);
    if (!object)
      return errorResponse(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.');
    return { status: 200, body: objectJson(object, listParam(req.url, 'properties'), store.defs.get(type)) };
  });

  register('POST', '/crm/v3/objects/:type', 'POST /crm/v3/objects', (req) => {
    const type = req.params.type ?? '';
    if (!known(type)) return unknownType(type);
    const created = store.create(type, bodyOf(bodyOf(req.json).properties));
    return isError(created)
      ? recordErrorResponse(created)
      : { status: 201, body: objectJson(created, [], store.defs.get(type)) };
  });

  register('PATCH', '/crm/v3/objects/:type/:id', 'PATCH /crm/v3/objects/:id', (req) => {
    const type = req.params.type ?? '';
    if (!known(type)) return unknownType(type);
    const updated = store.update(type, req.params.id ?? '', bodyOf(bodyOf(req.json).properties));
    return isError(updated)
      ? recordErrorResponse(updated)
      : { status: 200, body: objectJson(updated, [], store.defs.get(type)) };
  });

  register('DELETE', '/crm/v3/objects/:type/:id', 'DELETE /crm/v3/objects/:id', (req) => {
    store.archive(req.params.type ?? '', req.params.id ?? '');
    return { status: 204 };
  });

  register('POST', '/crm/v3/objects/:type/search', 'POST /crm/v3/objects/search', (req) => {
    const type = req.params.type ?? '';
    if (!known(type)) return unknownType(type);
    return search(store, type, bodyOf(req.json));
  });
}
