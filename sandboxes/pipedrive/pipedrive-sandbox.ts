import type { PipedriveObject } from '../../connectors/pipedrive/standard-fields.ts';
import {
  type FaultRates,
  type Random,
  type SandboxRequest,
  SandboxServer,
  seededRandom,
} from '../kit/index.ts';
import { checkToken, tokenOf } from './auth.ts';
import { DEFAULT_SANDBOX_LIMITS, SandboxRateLimiter, type SandboxRateLimits } from './rate-limit.ts';
import { leadJson, v2Json } from './record-json.ts';
import { v1Routes } from './routes-v1.ts';
import { type Register, v2Routes } from './routes-v2.ts';
import type { CustomFields } from './schema.ts';
import { fakeDeal, fakeLead, fakeOrganization, fakePerson } from './seed.ts';
import { PipedriveStore } from './store.ts';
import { fail } from './wire.ts';

export interface PipedriveSandboxOptions {
  /** Seed for fault draws and generated records. */
  readonly seed?: number;
  /** API tokens the account accepts; default one, `sandbox-pipedrive-token`. */
  readonly tokens?: readonly string[];
  readonly limits?: Partial<SandboxRateLimits>;
  /** How long an injected timeout holds a request before resetting it. */
  readonly timeoutMs?: number;
  /** The store's clock (ms); tests may freeze it to make records share a second. */
  readonly clock?: () => number;
  /**
   * Custom fields the account has from the start (a new company has none: `{}`, as `--new-company` starts it).
   * Through the API they are made with `POST /api/v1/personFields` (and organization, deal fields).
   */
  readonly customFields?: CustomFields;
  /** How long a lead conversion job reports `running` before `completed` (default 0). */
  readonly conversionMs?: number;
  /**
   * List the records of one second in an order unrelated to their ids (default: by id). Pipedrive sorts by
   * update time to the second and promises no order within it; a client must not depend on one.
   */
  readonly scrambleTies?: boolean;
  /**
   * How long search takes to see a created or changed record (default 0). Pipedrive's search index trails writes
   * by a few seconds; a record changed within the lag is not found.
   */
  readonly searchLagMs?: number;
}

/** Ids of generated records, by object. */
export interface Generated {
  readonly organizations: number[];
  /** Person i works at organization i mod organizations, with an e-mail at its domain. */
  readonly persons: number[];
  /** Deal i is linked to person i and organization i (mod their counts). */
  readonly deals: number[];
  /** Lead i is linked to person i (mod their count). */
  readonly leads: string[];
}

export const PIPEDRIVE_SANDBOX_TOKEN = 'sandbox-pipedrive-token';

/** The custom fields a seeded account has: those a crm-bridge config maps by name. */
export const EXAMPLE_CUSTOM_FIELDS: CustomFields = {
  persons: [
    { name: 'crm-bridge twin id', field_type: 'varchar' },
    { name: 'Lead score', field_type: 'double' },
    { name: 'Lifecycle stage', field_type: 'enum', options: ['Lead', 'MQL', 'SQL', 'Customer'] },
  ],
  organizations: [{ name: 'crm-bridge twin id', field_type: 'varchar' }],
  deals: [{ name: 'crm-bridge twin id', field_type: 'varchar' }],
};

/**
 * Pipedrive's REST API (v2 persons, organizations, deals, pipelines, stages and lead conversion; v1 leads, field
 * definitions, lead labels and recents) as a new or seeded company account answers it, in memory on loopback,
 * with the test API next to it: seed, generate, touch, read, count, calls, reset, setFaults, setRateLimits, close.
 */
export class PipedriveSandbox {
  readonly store: PipedriveStore;
  readonly limiter = new SandboxRateLimiter();
  readonly #server: SandboxServer;
  readonly #tokens: Set<string>;
  readonly #headers = new WeakMap<SandboxRequest, Record<string, string>>();
  readonly #random: Random;

  constructor(options: PipedriveSandboxOptions = {}) {
    this.store = new PipedriveStore(options.clock, options.customFields ?? EXAMPLE_CUSTOM_FIELDS);
    this.store.conversionMs = options.conversionMs ?? 0;
    this.store.scrambleTies = options.scrambleTies === true;
    this.store.searchLagMs = options.searchLagMs ?? 0;
    this.#tokens = new Set(options.tokens ?? [PIPEDRIVE_SANDBOX_TOKEN]);
    this.limiter.limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    this.#random = seededRandom(options.seed ?? 42);
    this.#server = new SandboxServer({
      seed: options.seed ?? 1,
      clock: () => this.store.now(),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      faultResponse: (fault) =>
        fault === 'rateLimited' ? fail(429, 'Request over limit') : fail(503, 'Service Unavailable'),
      before: (request, endpoint) => {
        const refused = checkToken(request, this.#tokens);
        if (refused) return refused;
        const admitted = this.limiter.admit(tokenOf(request) ?? '', endpoint);
        if ('status' in admitted) return admitted;
        this.#headers.set(request, admitted.headers);
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
    v2Routes(register, this.store);
    v1Routes(register, this.store);
  }

  /** Starts a sandbox on a free loopback port. */
  static async start(options: PipedriveSandboxOptions = {}): Promise<PipedriveSandbox> {
    const sandbox = new PipedriveSandbox(options);
    await sandbox.#server.listen();
    return sandbox;
  }

  /** The API's base URL (the `/api/v1` and `/api/v2` paths are below it), as a company domain's. */
  get url(): string {
    return this.#server.url;
  }

  /**
   * Puts records straight into the store (no API call, no checks), each a body as the API takes it (v2 for
   * persons, organizations and deals, with `custom_fields`; v1 for leads, custom values at the top level).
   */
  seed(object: PipedriveObject, bodies: readonly Readonly<Record<string, unknown>>[], at?: number): string[] {
    return bodies.map((body) => String(this.store.insert(object, this.#split(object, body), at).id));
  }

  /** Realistic organizations, persons (each at one of them), deals and leads (linked to them). */
  generate(counts: { organizations?: number; persons?: number; deals?: number; leads?: number }): Generated {
    const organizations = this.seed(
      'organizations',
      Array.from({ length: counts.organizations ?? 0 }, (_, i) => fakeOrganization(this.#random, i)),
    ).map(Number);
    const pick = (ids: readonly number[], i: number) => (ids.length > 0 ? ids[i % ids.length] : undefined);
    /** Person i's e-mail domain: its organization's website's host. */
    const domainOf = (i: number) => {
      const website = this.store.get('organizations', pick(organizations, i))?.values.website;
      return typeof website === 'string' ? new URL(website).hostname.replace(/^www\./, '') : 'example.org';
    };
    const persons = this.seed(
      'persons',
      Array.from({ length: counts.persons ?? 0 }, (_, i) => ({
        ...fakePerson(this.#random, i, domainOf(i)),
        ...(organizations.length > 0 ? { org_id: pick(organizations, i) } : {}),
      })),
    ).map(Number);
    const deals = this.seed(
      'deals',
      Array.from({ length: counts.deals ?? 0 }, (_, i) => ({
        ...fakeDeal(this.#random, i),
        person_id: pick(persons, i) ?? null,
        org_id: pick(organizations, i) ?? null,
      })),
    ).map(Number);
    const leads = this.seed(
      'leads',
      Array.from({ length: counts.leads ?? 0 }, (_, i) => ({
        ...fakeLead(this.#random, i),
        person_id: pick(persons, i) ?? null,
        organization_id: pick(organizations, i) ?? null,
      })),
    );
    return { organizations, persons, deals, leads };
  }

  /** Changes records as a user would in the app; `at` gives them all one update time. */
  touch(
    object: PipedriveObject,
    ids: readonly (string | number)[],
    options: { fields?: Readonly<Record<string, unknown>>; at?: number | string | Date } = {},
  ): void {
    const at = options.at === undefined ? undefined : new Date(options.at).getTime();
    this.store.touch(object, ids, this.#split(object, options.fields ?? {}), at);
  }

  /** A live record as the API shows it (v2 JSON; a lead as v1 JSON), or undefined. */
  read(object: PipedriveObject, id: string | number): Record<string, unknown> | undefined {
    const record = this.store.get(object, id);
    if (!record) return undefined;
    return object === 'leads' ? leadJson(record, this.store.schema) : v2Json(record, this.store.schema);
  }

  count(object: PipedriveObject): number {
    return this.store.count(object);
  }

  /** API calls served, in all or for one endpoint name (e.g. `POST /api/v2/persons`). */
  calls(endpoint?: string): number {
    return endpoint === undefined ? this.#server.totalCalls() : (this.#server.calls.get(endpoint) ?? 0);
  }

  callsByEndpoint(): Record<string, number> {
    return Object.fromEntries(this.#server.calls);
  }

  /** Forgets every record, call count, rate-limit window and custom field created since the start. */
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

  async close(): Promise<void> {
    await this.#server.close();
  }

  #split(object: PipedriveObject, body: Readonly<Record<string, unknown>>) {
    const values: Record<string, unknown> = {};
    const custom: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'custom_fields' && typeof value === 'object' && value !== null)
        Object.assign(custom, value);
      else if (this.store.schema.get(object, key)?.custom) custom[key] = value;
      else values[key] = value;
    }
    return { values, custom };
  }
}
