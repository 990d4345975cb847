import { Client } from '@hubspot/api-client';

/** A CRM object as the SDK returns it (only the fields the connector reads). */
export interface HubSpotObject {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
  readonly archived?: boolean;
  readonly archivedAt?: Date;
  readonly objectWriteTraceId?: string;
  /** Upsert results: true when the record was created (JSON `new`). */
  readonly _new?: boolean;
}

/** One entry of a 207's `errors[]`. */
export interface HubSpotBatchError {
  readonly status?: string;
  readonly category?: string;
  readonly message?: string;
  readonly id?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly errors?: readonly { readonly message?: string; readonly code?: string; readonly _in?: string }[];
}

export interface HubSpotBatch {
  readonly results: readonly HubSpotObject[];
  readonly errors?: readonly HubSpotBatchError[];
}

export interface HubSpotPage {
  readonly results: readonly HubSpotObject[];
  readonly paging?: { readonly next?: { readonly after: string } };
  /** Search only. */
  readonly total?: number;
}

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface SearchRequest {
  readonly filterGroups: readonly { readonly filters: readonly SearchFilter[] }[];
  readonly sorts: readonly {
    readonly propertyName: string;
    readonly direction: 'ASCENDING' | 'DESCENDING';
  }[];
  readonly properties: readonly string[];
  readonly limit: number;
  readonly after?: string;
}

export interface WriteInput {
  readonly id?: string;
  readonly idProperty?: string;
  readonly objectWriteTraceId: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface AssociationRow {
  readonly _from: { readonly id: string };
  /** `toObjectId` arrives as a JSON number despite the SDK's string type. */
  readonly to: readonly { readonly toObjectId: string | number }[];
}

export interface PropertyInfo {
  readonly name: string;
  readonly label?: string;
  readonly type: string;
  readonly fieldType?: string;
  readonly calculated?: boolean;
  readonly hasUniqueValue?: boolean;
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean };
  readonly options?: readonly {
    readonly value: string;
    readonly label?: string;
    readonly hidden?: boolean;
    readonly displayOrder?: number;
  }[];
}

export interface PipelineInfo {
  readonly id: string;
  readonly label: string;
  readonly stages: readonly {
    readonly id: string;
    readonly label: string;
    readonly displayOrder: number;
    readonly metadata?: Readonly<Record<string, string>>;
  }[];
}

/** The part of @hubspot/api-client the connector uses; fakes and an SDK upgrade touch only this. */
export interface HubSpotApi {
  getPage(
    type: string,
    limit: number,
    after: string | undefined,
    properties: readonly string[],
    archived: boolean,
  ): Promise<HubSpotPage>;
  batchRead(type: string, ids: readonly string[], properties: readonly string[]): Promise<HubSpotBatch>;
  batchCreate(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  batchUpdate(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  batchUpsert(type: string, inputs: readonly WriteInput[]): Promise<HubSpotBatch>;
  search(type: string, request: SearchRequest): Promise<HubSpotPage>;
  readAssociations(
    from: string,
    to: string,
    ids: readonly string[],
  ): Promise<{ readonly results: readonly AssociationRow[] }>;
  associateDefault(
    from: string,
    to: string,
    pairs: readonly (readonly [string, string])[],
  ): Promise<{ readonly errors?: readonly HubSpotBatchError[] }>;
  properties(type: string): Promise<readonly PropertyInfo[]>;
  pipelines(type: string): Promise<readonly PipelineInfo[]>;
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
}): HubSpotApi {
  const client = new Client({
    basePath: options.basePath,
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
  const properties = client.crm.properties.coreApi;
  const pipelines = client.crm.pipelines.pipelinesApi;
  const tokens = client.oauth.tokensApi;
  // The SDK's request types are classes with required fields we leave out; the wire shapes match.
  const loose = <T>(value: unknown) => value as T;
  return {
    getPage: (type, limit, after, props, archived) =>
      basicApi.getPage(type, limit, after, [...props], undefined, undefined, archived),
    batchRead: (type, ids, props) =>
      batchApi.read(type, {
        inputs: ids.map((id) => ({ id })),
        properties: [...props],
        propertiesWithHistory: [],
      }),
    batchCreate: (type, inputs) =>
      batchApi.create(type, {
        inputs: inputs.map(({ objectWriteTraceId, properties: p }) => ({
          objectWriteTraceId,
          properties: { ...p },
          associations: [],
        })),
      }),
    batchUpdate: (type, inputs) => batchApi.update(type, loose({ inputs })),
    batchUpsert: (type, inputs) => batchApi.upsert(type, loose({ inputs })),
    search: (type, request) => searchApi.doSearch(type, loose(request)),
    readAssociations: (from, to, ids) =>
      associations.getPage(from, to, { inputs: ids.map((id) => ({ id })) }),
    associateDefault: (from, to, pairs) =>
      associations
        .createDefault(from, to, { inputs: pairs.map(([a, b]) => ({ _from: { id: a }, to: { id: b } })) })
        .catch(multiStatus),
    properties: async (type) => (await properties.getAll(type)).results,
    pipelines: async (type) => (await pipelines.getAll(type)).results,
    refresh: async (clientId, clientSecret, refreshToken) => {
      const r = await tokens.create(
        'refresh_token',
        undefined,
        undefined,
        clientId,
        clientSecret,
        refreshToken,
      );
      return { accessToken: r.accessToken, expiresIn: r.expiresIn };
    },
  };
}
