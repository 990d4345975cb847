import {
  type FaultRates,
  type Handler,
  type SandboxRequest,
  type SandboxResponse,
  SandboxServer,
  seededRandom,
} from '../kit/index.ts';
import { DEFAULT_CREDENTIALS, presentedToken, type SandboxCredentials, TokenBook } from './auth.ts';
import { type QueryCursor, restError, type SandboxContext, usageHeader } from './context.ts';
import type { CustomFieldDefinition } from './custom-fields.ts';
import { faultResponse, LostAnswers, loseAnswer } from './faults.ts';
import { OrgSchema, type PicklistAdditions } from './org-schema.ts';
import { bulkRoutes } from './routes-bulk.ts';
import { identityRoutes } from './routes-identity.ts';
import { metadataRoutes } from './routes-metadata.ts';
import { queryRoutes } from './routes-query.ts';
import { soapFault, soapRoutes } from './routes-soap.ts';
import { sobjectRoutes } from './routes-sobjects.ts';
import { SeedGenerator, type SeedOptions } from './seed.ts';
import { SandboxStore, type StoredRecord } from './store.ts';

export interface SalesforceSandboxOptions {
  /** Seed for fault injection and generated records. */
  readonly seed?: number;
  /** Largest query page (default 2,000, Salesforce's maximum). */
  readonly pageSize?: number;
  /** The daily API allocation reported in Sforce-Limit-Info (default 100,000). */
  readonly dailyLimit?: number;
  readonly credentials?: Partial<SandboxCredentials>;
  /** How long an injected timeout holds a request before resetting it (default 2 s). */
  readonly timeoutMs?: number;
  /** The picklist values `generate` gives records (see SeedOptions; default `familiar`). */
  readonly seedValues?: SeedOptions['values'];
  /** Values the org's admin added to standard picklists (a new org has only the standard ones). */
  readonly picklistValues?: PicklistAdditions;
  /**
   * Custom fields the org's admin created (a new org has none): visible to the API user at once, and mapped from Lead
   * to Contact on conversion where both objects get one. EXAMPLE_ORG holds those config/example.yaml writes.
   */
  readonly customFields?: readonly CustomFieldDefinition[];
  /**
   * Whether the API user may use the Metadata API (Modify Metadata or Modify All Data; default true). Without it
   * every Metadata API call is refused with INSUFFICIENT_ACCESS, as Salesforce refuses an integration user's.
   */
  readonly metadataAccess?: boolean;
}

const TOKEN_ENDPOINT = 'token';

/**
 * An in-process emulation of the Salesforce REST and SOAP APIs crm-bridge uses, holding an org in memory. Tests,
 * benchmarks and the demo point the real jsforce client at `url`.
 */
export class SalesforceSandbox {
  readonly store: SandboxStore;
  readonly server: SandboxServer;
  readonly tokens: TokenBook;
  readonly credentials: SandboxCredentials;
  /** A generator of realistic records (deterministic for the sandbox's seed). */
  readonly generate: SeedGenerator;
  /** A valid access token, issued at start. */
  accessToken = '';
  readonly #ctx: SandboxContext;
  readonly #lostAnswers: LostAnswers;
  readonly #metadataAccess: boolean;

  constructor(options: SalesforceSandboxOptions = {}) {
    this.credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
    this.#metadataAccess = options.metadataAccess ?? true;
    const { picklistValues, customFields } = options;
    this.store = new SandboxStore(
      new OrgSchema({
        ...(picklistValues ? { picklistValues } : {}),
        ...(customFields ? { customFields } : {}),
      }),
      this.credentials.username,
    );
    this.tokens = new TokenBook(this.credentials);
    this.#lostAnswers = new LostAnswers(seededRandom((options.seed ?? 1) + 1));
    this.generate = new SeedGenerator(options.seed ?? 42, { values: options.seedValues ?? 'familiar' });
    const usage = { used: 0, limit: options.dailyLimit ?? 100_000 };
    this.server = new SandboxServer({
      seed: options.seed ?? 1,
      timeoutMs: options.timeoutMs ?? 2000,
      before: (request, endpoint) => this.#before(request, endpoint),
      faultResponse: (fault, request) => ({ ...faultResponse(fault, request), headers: usageHeader(usage) }),
    });
    const server = this.server;
    const lost = this.#lostAnswers;
    this.#ctx = {
      store: this.store,
      pageSize: options.pageSize ?? 2000,
      usage,
      cursors: new Map<string, QueryCursor>(),
      baseUrl: () => server.url,
      route(method: string, path: string, endpoint: string, handler: Handler) {
        server.route(
          method,
          path,
          async (request) => {
            const response = await handler(request);
            const headers = { ...response.headers, ...usageHeader(usage) };
            return request.method !== 'GET' && lost.draw() ? loseAnswer() : { ...response, headers };
          },
          endpoint,
        );
      },
    };
    this.server.route(
      'POST',
      '/services/oauth2/token',
      (req) => this.tokens.handleToken(req, this.url),
      TOKEN_ENDPOINT,
    );
    queryRoutes(this.#ctx);
    bulkRoutes(this.#ctx);
    sobjectRoutes(this.#ctx);
    soapRoutes(this.#ctx);
    metadataRoutes(this.#ctx);
    identityRoutes(this.#ctx);
  }

  /** Starts listening on loopback; returns the base URL (both login and instance URL). */
  async start(): Promise<string> {
    const url = await this.server.listen();
    this.accessToken = this.tokens.issue();
    return url;
  }

  get url(): string {
    return this.server.url;
  }

  /** Every token check and usage count happens here, before faults: a refused call still costs nothing. */
  #before(request: SandboxRequest, endpoint: string): SandboxResponse | undefined {
    if (endpoint === TOKEN_ENDPOINT) return undefined;
    if (!this.tokens.isValid(presentedToken(request))) {
      return endpoint === 'soap' || endpoint === 'metadata'
        ? soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session')
        : restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    this.#ctx.usage.used++;
    if (endpoint === 'metadata' && !this.#metadataAccess)
      return soapFault(
        'INSUFFICIENT_ACCESS',
        'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
      );
    return undefined;
  }

  /**
   * Puts records straight into the store (no value validation, no API call); returns their ids in order. Throws for
   * a field the org does not have: a custom field must be created first (see `customFields`).
   */
  seed(object: string, records: readonly Record<string, unknown>[]): string[] {
    const name = this.#object(object);
    for (const record of records) {
      const unknown = Object.keys(record).filter((field) => !this.store.schema.findField(name, field));
      if (unknown.length > 0)
        throw new Error(`the sandbox has no field ${unknown.map((f) => `${name}.${f}`).join(', ')}`);
    }
    return records.map((r) => this.store.insert(name, r).Id);
  }

  /** Creates custom fields as an admin does (see `customFields`); throws if one is refused. */
  createCustomFields(definitions: readonly CustomFieldDefinition[]): void {
    this.store.schema.setUpCustomFields(definitions);
  }

  /**
   * Fills the org with generated, realistic records (deterministic for the sandbox's seed), leaving out the custom
   * fields the org does not have; returns the counts.
   */
  seedOrg(counts: { leads?: number; accounts?: number; contacts?: number; opportunities?: number }): {
    leads: number;
    accounts: number;
    contacts: number;
    opportunities: number;
  } {
    const known = (object: string, records: Record<string, unknown>[]) =>
      this.seed(
        object,
        records.map((r) =>
          Object.fromEntries(
            Object.entries(r).filter(([field]) => this.store.schema.findField(object, field)),
          ),
        ),
      );
    const accounts = known('Account', this.generate.accounts(counts.accounts ?? 0));
    const contacts = known('Contact', this.generate.contacts(counts.contacts ?? 0, accounts));
    const opportunities = known(
      'Opportunity',
      this.generate.opportunities(counts.opportunities ?? 0, accounts),
    );
    const leads = known('Lead', this.generate.leads(counts.leads ?? 0));
    return {
      leads: leads.length,
      accounts: accounts.length,
      contacts: contacts.length,
      opportunities: opportunities.length,
    };
  }

  /**
   * Changes records as a user would, bumping SystemModstamp; `sameTimestamp` stamps them all with one instant
   * (to test cursors on equal timestamps).
   */
  touch(
    object: string,
    ids: readonly string[],
    options: { fields?: Record<string, unknown>; sameTimestamp?: boolean } = {},
  ): void {
    const name = this.#object(object);
    const apply = () => {
      for (const id of ids) this.store.update(name, id, options.fields ?? {});
    };
    if (options.sameTimestamp) this.store.clock.pinned(apply);
    else apply();
  }

  /** Deletes records; with `mergedInto` they count as merged into that record (MasterRecordId). */
  remove(object: string, ids: readonly string[], mergedInto?: string): void {
    const name = this.#object(object);
    for (const id of ids) this.store.remove(name, id, mergedInto);
  }

  read(object: string, id: string): StoredRecord | undefined {
    return this.store.get(this.#object(object), id);
  }

  count(object: string): number {
    return this.store.count(this.#object(object));
  }

  /** Writes through the REST API per record id of an object (creates and updates; seeds and touches not counted). */
  writes(object: string): Map<string, number> {
    return this.store.writes(this.#object(object));
  }

  /** API calls served (token requests excluded), or those of one endpoint (`query`, `collections:create`…). */
  calls(endpoint?: string): number {
    if (endpoint !== undefined) return this.server.calls.get(endpoint) ?? 0;
    return this.server.totalCalls() - (this.server.calls.get(TOKEN_ENDPOINT) ?? 0);
  }

  /**
   * Empties the org's records, the counters, the cursors and the faults; keeps issued tokens and the org's setup
   * (custom fields, permission sets and the field access they granted).
   */
  reset(): void {
    this.store.reset();
    this.server.calls.clear();
    this.#ctx.cursors.clear();
    this.#ctx.usage.used = 0;
    this.server.faults.set({});
    this.#lostAnswers.rate = 0;
  }

  /**
   * Sets the kit's fault rates, plus `lostAnswer`: the rate of writes that are carried out but whose answer never
   * arrives (the request hangs until the client gives up), the case where a blind retry would write twice.
   */
  setFaults(rates: FaultRates & { readonly lostAnswer?: number }): void {
    const { lostAnswer = 0, ...kit } = rates;
    this.server.faults.set(kit);
    this.#lostAnswers.rate = lostAnswer;
  }

  /** How many write answers were dropped after the write was done. */
  get lostAnswers(): number {
    return this.#lostAnswers.count;
  }

  setPageSize(size: number): void {
    this.#ctx.pageSize = size;
  }

  /** Sets the daily API usage the sandbox reports (to test the reserve). */
  setUsage(used: number, limit = this.#ctx.usage.limit): void {
    this.#ctx.usage.used = used;
    this.#ctx.usage.limit = limit;
  }

  /** Forgets every open query cursor, as Salesforce does after 15 minutes: queryMore then answers INVALID_QUERY_LOCATOR. */
  expireQueryLocators(): void {
    this.#ctx.cursors.clear();
  }

  /** Invalidates every access token: the next call answers INVALID_SESSION_ID. */
  expireToken(): void {
    this.tokens.expireAll();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  #object(name: string): string {
    const object = this.store.schema.findObject(name);
    if (!object) throw new Error(`the sandbox has no object ${name}`);
    return object;
  }
}

/** Starts a sandbox on loopback. */
export async function startSalesforceSandbox(
  options: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const sandbox = new SalesforceSandbox(options);
  await sandbox.start();
  return sandbox;
}
