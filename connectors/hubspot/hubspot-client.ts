import { Client } from '@hubspot/api-client';
import { MAX_ANSWER_BYTES } from '../../src/connector/answer-limit.ts';
import { limitedAgent } from './hubspot-agent.ts';
import type {
  AssociationPage,
  AssociationRow,
  HubSpotBatch,
  HubSpotBatchError,
  HubSpotPage,
  PipelineInfo,
  PropertyCreate,
  PropertyInfo,
  SearchRequest,
  WriteInput,
} from './hubspot-api-types.ts';
import { checked } from './hubspot-schemas.ts';

export type * from './hubspot-api-types.ts';

/** The part of @hubspot/api-client the connector uses; fakes and an SDK upgrade touch only this. */
export interface HubSpotApi {
  /** `GET /crm/v3/objects/:type`, in id order; `archived` lists deleted records instead. */
  getPage(
    type: string,
    limit: number,
    after: string | undefined,
    properties: readonly string[],
    archived: boolean,
  ): Promise<HubSpotPage>;
  /** `POST /crm/v3/objects/:type/batch/read` by id. */
  batchRead(type: string, ids: readonly string[], properties: readonly string[]): Promise<HubSpotBatch>;
  /** `POST …/batch/create`; a 207 resolves with `errors`. */
  batchCreate(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  /** `POST …/batch/update` by id. */
  batchUpdate(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  /** `POST …/batch/upsert` by a unique `idProperty`; results carry `_new`. */
  batchUpsert(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  /** Archives records by id (HubSpot ignores ids it does not have). */
  batchArchive(type: string, ids: readonly string[]): Promise<void>;
  /** `POST /crm/v3/objects/:type/search`. */
  search(type: string, request: SearchRequest): Promise<HubSpotPage>;
  /** `POST /crm/v4/associations/:from/:to/batch/read`; ids without associations are left out. */
  readAssociations(
    from: string,
    to: string,
    ids: readonly string[],
  ): Promise<{ readonly results: readonly AssociationRow[] }>;
  /** `GET /crm/v4/objects/:from/:id/associations/:to`: the associations past the first page of a batch read. */
  associationPage(from: string, id: string, to: string, after: string): Promise<AssociationPage>;
  /** `POST /crm/v4/associations/:from/:to/batch/associate/default`, with per-pair errors. */
  associateDefault(
    from: string,
    to: string,
    pairs: readonly (readonly [string, string])[],
  ): Promise<{ readonly errors?: readonly HubSpotBatchError[] }>;
  /** `GET /crm/v3/properties/:type`. */
  properties(type: string): Promise<readonly PropertyInfo[]>;
  /** `GET /crm/v3/properties/:type/groups`: the property groups' names (for `crm-bridge setup`). */
  propertyGroups?(type: string): Promise<readonly string[]>;
  /** `POST /crm/v3/properties/:type/groups`. */
  createPropertyGroup?(type: string, group: { readonly name: string; readonly label: string }): Promise<void>;
  /** `POST /crm/v3/properties/:type`: a custom property (for `crm-bridge setup`). */
  createProperty?(type: string, property: PropertyCreate): Promise<void>;
  /** `GET /crm/v3/pipelines/:type`. */
  pipelines(type: string): Promise<readonly PipelineInfo[]>;
  /** `POST /oauth/v1/token` with the refresh-token grant. */
  refresh(
    clientId: string,
    clientSecret: string,
    refreshToken: string,
  ): Promise<{ readonly accessToken: string; readonly expiresIn: number }>;
}

/**
 * The SDK knows no 207 answer for some batch endpoints (associations' default create) and throws it as an
 * `ApiException`; its body is the ordinary batch response with per-input errors.
 */
function multiStatus(error: unknown): { readonly errors?: readonly HubSpotBatchError[] } {
  const e = error as { code?: unknown; body?: unknown };
  if (e?.code === 207 && typeof e.body === 'object' && e.body !== null) {
    return e.body as { errors?: HubSpotBatchError[] };
  }
  throw error;
}

/** Associations per page when reading past a batch read's first page (HubSpot's maximum). */
const ASSOCIATION_PAGE = 500;

interface RequestContextLike {
  setHeaderParam(key: string, value: string): void;
}
interface ResponseContextLike {
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Builds the API over a real SDK `Client`. The SDK keeps retry and limiter decorators in a process-wide singleton
 * that each new `Client` replaces and each API group binds on first access; so this client asks for no retries and
 * no limiter, and binds every API group at once, before another `Client` can swap the singleton. The bearer token
 * is set per request by middleware, so an OAuth refresh never rebuilds the client.
 */
export function createHubSpotApi(options: {
  readonly basePath: string;
  readonly token: () => string;
  readonly onResponse: (headers: Readonly<Record<string, string>>) => void;
  /** The largest answer accepted, in bytes (default `MAX_ANSWER_BYTES`). */
  readonly maxAnswerBytes?: number;
}): HubSpotApi {
  const client = new Client({
    basePath: options.basePath,
    httpAgent: limitedAgent(options.basePath, options.maxAnswerBytes ?? MAX_ANSWER_BYTES),
    numberOfApiCallRetries: 0,
    middleware: [
      {
        pre: (ctx: unknown) => {
          const token = options.token();
          if (token !== '') (ctx as RequestContextLike).setHeaderParam('Authorization', `Bearer ${token}`);
          return ctx;
        },
        post: (ctx: unknown) => {
          options.onResponse((ctx as ResponseContextLike).headers);
          return ctx;
        },
      },
    ],
  });
  const { basicApi, batchApi, searchApi } = client.crm.objects;
  const associations = client.crm.associations.v4.batchApi;
  const associationsOf = client.crm.associations.v4.basicApi;
  const properties = client.crm.properties.coreApi;
  const pipelines = client.crm.pipelines.pipelinesApi;
  const tokens = client.oauth.tokensApi;
  // The SDK's request types are classes with required fields we leave out; the wire shapes match.
  const loose = <T>(value: unknown) => value as T;
  return {
    getPage: (type, limit, after, props, archived) =>
      basicApi.getPage(type, limit, after, [...props], undefined, undefined, archived).then(checked.page),
    batchRead: (type, ids, props) =>
      batchApi
        .read(type, {
          inputs: ids.map((id) => ({ id })),
          properties: [...props],
          propertiesWithHistory: [],
        })
        .then(checked.batch),
    batchCreate: (type, inputs) =>
      batchApi
        .create(type, {
          inputs: inputs.map(({ objectWriteTraceId, properties: p }) => ({
            objectWriteTraceId,
            properties: { ...p },
            associations: [],
          })),
        })
        .then(checked.batch),
    batchUpdate: (type, inputs) => batchApi.update(type, loose({ inputs })).then(checked.batch),
    batchUpsert: (type, inputs) => batchApi.upsert(type, loose({ inputs })).then(checked.batch),
    batchArchive: (type, ids) => batchApi.archive(type, { inputs: ids.map((id) => ({ id })) }),
    search: (type, request) => searchApi.doSearch(type, loose(request)).then(checked.page),
    readAssociations: (from, to, ids) =>
      associations.getPage(from, to, { inputs: ids.map((id) => ({ id })) }).then(checked.associations),
    associationPage: (from, id, to, after) =>
      associationsOf.getPage(from, id, to, after, ASSOCIATION_PAGE).then(checked.associationPage),
    associateDefault: (from, to, pairs) =>
      associations
        .createDefault(from, to, { inputs: pairs.map(([a, b]) => ({ _from: { id: a }, to: { id: b } })) })
        .catch(multiStatus)
        .then(checked.associated),
    properties: async (type) => checked.properties((await properties.getAll(type)).results),
    propertyGroups: async (type) =>
      (await client.crm.properties.groupsApi.getAll(type)).results.map((g) => g.name),
    createPropertyGroup: async (type, group) => {
      await client.crm.properties.groupsApi.create(type, { ...group });
    },
    createProperty: async (type, property) => {
      await properties.create(type, loose(property));
    },
    pipelines: async (type) => checked.pipelines((await pipelines.getAll(type)).results),
    refresh: async (clientId, clientSecret, refreshToken) => {
      const r = await tokens.create(
        'refresh_token',
        undefined,
        undefined,
        clientId,
        clientSecret,
        refreshToken,
      );
      return checked.token({ accessToken: r.accessToken, expiresIn: r.expiresIn });
    },
  };
}
