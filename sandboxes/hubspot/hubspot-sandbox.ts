import {
  type FaultRates,
  type Random,
  type SandboxRequest,
  type SandboxResponse,
  SandboxServer,
  seededRandom,
} from '../kit/index.ts';
import { associationRoutes } from './associations.ts';
import { SandboxAuth, type SandboxCredentials } from './auth.ts';
import type { CustomProperties } from './custom-properties.ts';
import { errorResponse } from './errors.ts';
import type { PipelineDef } from './pipelines.ts';
import {
  DEFAULT_SANDBOX_LIMITS,
  rateLimitedFault,
  SandboxRateLimiter,
  type SandboxRateLimits,
} from './rate-limit.ts';
import type { Register } from './router.ts';
import { batchRoutes } from './routes-batch.ts';
import { metaRoutes } from './routes-meta.ts';
import { objectRoutes } from './routes-objects.ts';
import { fakeCompany, fakeContact, fakeDeal, type SeedValues } from './seed.ts';
import { HubSpotStore } from './store.ts';

export interface HubSpotSandboxOptions {
  /** Seed for fault draws and generated records. */
  readonly seed?: number;
  /** Default: one private-app token, `sandbox-token`. */
  readonly credentials?: SandboxCredentials;
  readonly limits?: Partial<SandboxRateLimits>;
  /** How long an injected timeout holds a request before resetting it. */
  readonly timeoutMs?: number;
  /** The store's clock (ms); tests may freeze it to make records share a timestamp. */
  readonly clock?: () => number;
  /**
   * Leave `objectWriteTraceId` out of every batch result and error. HubSpot's answers may (the member is
   * optional), so a client must match results to inputs by what identifies them.
   */
  readonly omitTraceIds?: boolean;
  /**
   * Custom properties the portal has from the start, by object type (their property groups are made as needed).
   * A new portal has none: a write to a property it lacks fails with PROPERTY_DOESNT_EXIST. Pass
   * `EXAMPLE_CUSTOM_PROPERTIES` for config/example.yaml; through the API, custom properties are created with
   * `POST /crm/v3/properties/:type` in a group made with `POST /crm/v3/properties/:type/groups`.
   */
  readonly customProperties?: CustomProperties;
  /** Deal pipelines beside the default sales pipeline, which is all a new portal has. */
  readonly pipelines?: readonly PipelineDef[];
  /**
   * Send the X-HubSpot-RateLimit-* headers (default true; never on search answers, as in HubSpot). Without them a
   * client cannot learn the portal's limits and has to go by its own, as behind a proxy that drops them.
   */
  readonly rateHeaders?: boolean;
  /** Associations of one record per page of a read (HubSpot: 500); tests lower it to see paging. */
  readonly associationPageSize?: number;
  /**
   * Whether the app's token has the `crm.schemas.<type>.write` scopes (default true). Without them, creating a
   * property or a property group answers 403 MISSING_SCOPES, as HubSpot answers a private app not granted them.
   */
  readonly schemaWrite?: boolean;
}

const SCHEMA_WRITES = new Set(['POST /crm/v3/properties', 'POST /crm/v3/properties/groups']);

/** HubSpot's answer to a call the app has not been granted the scopes of. */
function missingScopes(request: SandboxRequest): SandboxResponse {
  const type = request.url.pathname.split('/')[4] ?? '';
  return errorResponse(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: [`crm.schemas.${type}.write`] },
        },
      ],
    },
  );
}

/** Ids of generated records, by type. */
export interface Generated {
  /** Each with a unique domain. */
  readonly companies: string[];
  /** Contact i works at company i mod companies, with an e-mail at its domain. */
  readonly contacts: string[];
  /** Deal i is associated with contact i and company i (mod their counts). */
  readonly deals: string[];
}

export const SANDBOX_TOKEN = 'sandbox-token';

/**
 * HubSpot's CRM v3/v4 APIs as crm-bridge uses them, in memory on loopback, with the test and bench API next to it:
 * seed, generate, touch, read, count, calls, reset, setFaults, setRateLimits, expireToken, close.
 */
export class HubSpotSandbox {
  readonly store: HubSpotStore;
  readonly limiter = new SandboxRateLimiter();
  readonly auth: SandboxAuth;
  readonly #server: SandboxServer;
  readonly #headers = new WeakMap<SandboxRequest, Record<string, string>>();
  readonly #random: Random;

  constructor(options: HubSpotSandboxOptions = {}) {
    this.store = new HubSpotStore(options.clock, {
      ...(options.customProperties ? { customProperties: options.customProperties } : {}),
      ...(options.pipelines ? { pipelines: options.pipelines } : {}),
    });
    this.auth = new SandboxAuth(options.credentials ?? { accessTokens: [SANDBOX_TOKEN] });
    this.limiter.limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    this.#random = seededRandom(options.seed ?? 42);
    this.#server = new SandboxServer({
      seed: options.seed ?? 1,
      clock: () => this.store.now(),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      faultResponse: (fault) =>
        fault === 'rateLimited'
          ? rateLimitedFault()
          : errorResponse(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable.'),
      before: (request, endpoint) => {
        if (endpoint === 'POST /oauth/v1/token') return undefined;
        const refused = this.auth.check(request);
        if (refused) return refused;
        if (options.schemaWrite === false && SCHEMA_WRITES.has(endpoint)) return missingScopes(request);
        const search = endpoint === 'POST /crm/v3/objects/search';
        const admitted = this.limiter.admit(search);
        // HubSpot sends its rate-limit headers on every answer but search's.
        const headers = search || options.rateHeaders === false ? undefined : admitted.headers;
        if ('status' in admitted) return { ...admitted, headers: headers ?? {} };
        if (headers) this.#headers.set(request, headers);
        return undefined;
      },
    });
    const register: Register = (method, path, endpoint, handler) => {
      this.#server.route(
        method,
        path,
        async (request) => {
          const response = await handler(request);
          const headers = this.#headers.get(request);
          return headers ? { ...response, headers: { ...headers, ...response.headers } } : response;
        },
        endpoint,
      );
    };
    batchRoutes(register, this.store, { omitTraceIds: options.omitTraceIds === true });
    objectRoutes(register, this.store);
    associationRoutes(register, this.store, options.associationPageSize);
    metaRoutes(register, this.store, this.auth);
  }

  /** Starts a sandbox on a free loopback port. */
  static async start(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
    const sandbox = new HubSpotSandbox(options);
    await sandbox.#server.listen();
    return sandbox;
  }

  get url(): string {
    return this.#server.url;
  }

  /** Puts records straight into the store (no API call, no validation); returns their ids in order. */
  seed(type: string, records: readonly Readonly<Record<string, unknown>>[], at?: number): string[] {
    return this.store.seed(type, records, at).map((o) => o.id);
  }

  /**
   * Realistic companies, contacts (each at one of the companies) and deals (each with a contact and company).
   * `values` says which option values they get: the familiar few (default) or every standard one in turn.
   * `dealsCloseFrom` (an ISO 8601 day) gives every deal a close date, deal i i weeks after that day; without it
   * deals have none, as a deal can in HubSpot (a Salesforce Opportunity cannot).
   */
  generate(counts: {
    companies?: number;
    contacts?: number;
    deals?: number;
    values?: SeedValues;
    dealsCloseFrom?: string;
  }): Generated {
    const values = counts.values ?? 'familiar';
    // A portal holds values only of properties it has (a new one lacks crm_bridge_score, say).
    const known = (type: string, record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).filter(([name]) => this.store.defs.get(type)?.has(name)));
    const companies = this.seed(
      'companies',
      Array.from({ length: counts.companies ?? 0 }, (_, i) =>
        known('companies', fakeCompany(this.#random, i, values)),
      ),
    );
    const domains = companies.map(
      (id) => this.store.get('companies', id)?.properties.domain ?? 'example.org',
    );
    const contacts = Array.from({ length: counts.contacts ?? 0 }, (_, i) => {
      const at = companies.length > 0 ? i % companies.length : -1;
      const [id = ''] = this.seed('contacts', [
        known('contacts', fakeContact(this.#random, i, domains[at], values)),
      ]);
      const company = companies[at];
      if (company) this.store.associate('contacts', id, 'companies', company);
      return id;
    });
    const deals = Array.from({ length: counts.deals ?? 0 }, (_, i) => {
      const [id = ''] = this.seed('deals', [
        known('deals', fakeDeal(this.#random, i, values, counts.dealsCloseFrom)),
      ]);
      const contact = contacts.length > 0 ? contacts[i % contacts.length] : undefined;
      if (contact) this.store.associate('deals', id, 'contacts', contact);
      const company = companies.length > 0 ? companies[i % companies.length] : undefined;
      if (company) this.store.associate('deals', id, 'companies', company);
      return id;
    });
    return { companies, contacts, deals };
  }

  /** Changes records as a user would; `at` gives them all one last-modified time. */
  touch(
    type: string,
    ids: readonly string[],
    options: { fields?: Readonly<Record<string, unknown>>; at?: number | string | Date } = {},
  ): void {
    const at = options.at === undefined ? undefined : new Date(options.at).getTime();
    this.store.touch(type, ids, options.fields, at);
  }

  /** A record's properties, or undefined when it does not exist (or is archived). */
  read(type: string, id: string): Record<string, string> | undefined {
    const object = this.store.get(type, id);
    return object ? { ...object.properties } : undefined;
  }

  count(type: string): number {
    return this.store.count(type);
  }

  /** Writes through the API per record id of a type (creates and updates; seeds and touches not counted). */
  writes(type: string): Map<string, number> {
    return this.store.writes(type);
  }

  /** API calls served, in all or for one endpoint name (e.g. `POST /crm/v3/objects/batch/upsert`). */
  calls(endpoint?: string): number {
    return endpoint === undefined ? this.#server.totalCalls() : (this.#server.calls.get(endpoint) ?? 0);
  }

  callsByEndpoint(): Record<string, number> {
    return Object.fromEntries(this.#server.calls);
  }

  /**
   * Forgets every record, call count and rate-limit window, and every property, group or pipeline created since
   * the start: the portal is as it started.
   */
  reset(): void {
    this.store.clear();
    this.#server.calls.clear();
    this.limiter.reset();
  }

  setFaults(rates: FaultRates): void {
    this.#server.faults.set(rates);
  }

  /** Injected faults so far, by kind. */
  faults(): Readonly<Record<string, number>> {
    return { ...this.#server.faults.injected };
  }

  setRateLimits(limits: Partial<SandboxRateLimits>): void {
    this.limiter.limits = { ...this.limiter.limits, ...limits };
  }

  /** Every token issued so far now answers 401 as expired. */
  expireToken(): void {
    this.auth.expireAll();
  }

  async close(): Promise<void> {
    await this.#server.close();
  }
}
