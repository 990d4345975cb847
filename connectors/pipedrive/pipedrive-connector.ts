import { ConnectorFailure } from '../../src/connector/errors.ts';
import { ServerClock, timedPull } from '../../src/connector/server-clock.ts';
import type { FieldSetup, SetupCapable } from '../../src/connector/setup.ts';
import type {
  ApiUsage,
  Connector,
  Conversion,
  ConversionResult,
  Cursor,
  DeletedRef,
  ExternalRecord,
  ObjectSchema,
  ObjectType,
  Page,
  PullOptions,
  Write,
  WriteResult,
} from '../../src/connector/types.ts';
import type { BurstBudget } from './pipedrive-budget.ts';
import type { Call, CallStats } from './pipedrive-call.ts';
import { type ConversionPoll, convert } from './pipedrive-convert.ts';
import { deleted } from './pipedrive-deleted.ts';
import { type PipedriveDescriber, requireObject } from './pipedrive-describe.ts';
import { pullLeads, pullV2 } from './pipedrive-pull.ts';
import { type PushSettings, push } from './pipedrive-push.ts';
import { toExternalRecord } from './pipedrive-records.ts';
import { PipedriveSetup } from './pipedrive-setup.ts';

/** The collaborators `createPipedriveConnector` builds; the connector only routes calls to them. */
export interface PipedriveParts {
  /** Every API call goes through this: burst budget and retries. */
  readonly call: Call;
  /** Cached field definitions. */
  readonly describer: PipedriveDescriber;
  readonly budget: BurstBudget;
  /** Shared with the caller, which counts into it. */
  readonly stats: CallStats;
  /** Pipedrive's clock, from the `Date` of every answer (this machine's clock without it). */
  readonly clock?: ServerClock;
  readonly push: PushSettings;
  readonly conversionPoll: ConversionPoll;
}

/** The most records a v2 or v1 list page holds. */
const MAX_PAGE = 500;

/**
 * Pipedrive (persons, organizations, deals, leads) behind the `Connector` interface. Fields may be named by key or,
 * for custom fields, by name; option fields are read and written as their labels.
 */
export class PipedriveConnector implements Connector, SetupCapable {
  readonly system = 'pipedrive' as const;
  readonly #parts: PipedriveParts;
  readonly #clock: ServerClock;

  constructor(parts: PipedriveParts) {
    this.#parts = parts;
    this.#clock = parts.clock ?? new ServerClock();
  }

  forgetDescribe(): void {
    this.#parts.describer.forget();
  }

  describe(object: ObjectType): Promise<ObjectSchema> {
    return this.#parts.describer.describe(object);
  }

  pull(object: ObjectType, options: PullOptions): AsyncIterable<Page<ExternalRecord>> {
    const { call, describer } = this.#parts;
    const name = requireObject(object);
    const pageSize = Math.min(MAX_PAGE, Math.max(1, options.pageSize ?? MAX_PAGE));
    return timedPull(
      this.#clock,
      (async function* () {
        const spec = {
          fields: await describer.fields(name),
          asked: options.fields,
          pageSize,
          ...(options.since ? { since: options.since } : {}),
        };
        yield* name === 'leads' ? pullLeads(call, spec) : pullV2(call, name, spec);
      })(),
      options.onPulledAt,
    );
  }

  async push(object: ObjectType, writes: readonly Write[]): Promise<WriteResult[]> {
    const name = requireObject(object);
    const fields = await this.#parts.describer.fields(name);
    return push(this.#parts.call, name, fields, writes, this.#parts.push);
  }

  convert(conversions: readonly Conversion[]): Promise<ConversionResult[]> {
    return convert(this.#parts.call, this.#parts.describer, conversions, this.#parts.conversionPoll);
  }

  /** Records by id: 100 per call through the v2 list's `ids` (a lead one call each); ids not found are left out. */
  async read(
    object: ObjectType,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<ExternalRecord[]> {
    const name = requireObject(object);
    const known = await this.#parts.describer.fields(name);
    const out: ExternalRecord[] = [];
    if (name === 'leads') {
      for (const id of ids) {
        try {
          out.push(
            toExternalRecord(name, await this.#parts.call((api) => api.get('leads', id)), known, fields),
          );
        } catch (error) {
          if (!(error instanceof ConnectorFailure && error.kind === 'not-found')) throw error;
        }
      }
      return out;
    }
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      const page = await this.#parts.call((api) => api.list(name, { ids: part, limit: 100 }));
      for (const raw of page.records) out.push(toExternalRecord(name, raw, known, fields));
    }
    return out;
  }

  deleted(object: ObjectType, since: Cursor): AsyncIterable<readonly DeletedRef[]> {
    return deleted(this.#parts.call, requireObject(object), since);
  }

  /** Deletes records one call each; a record Pipedrive no longer has counts as removed. */
  async remove(object: ObjectType, ids: readonly string[]): Promise<WriteResult[]> {
    const name = requireObject(object);
    const out: WriteResult[] = [];
    for (const id of ids) {
      try {
        await this.#parts.call((api) => api.remove(name, id));
      } catch (error) {
        if (!(error instanceof ConnectorFailure && error.kind === 'not-found')) throw error;
      }
      out.push({ ref: id, ok: true, id, created: false });
    }
    return out;
  }

  /** Creates the custom fields a config writes (`crm-bridge setup`). */
  setup(): FieldSetup {
    return new PipedriveSetup(this.#parts.call, this.#parts.describer);
  }

  /** Creates a custom field (`POST /api/v1/*Fields`) and forgets the cached fields; returns its 40-hex key. */
  async createField(
    object: 'persons' | 'organizations' | 'deals',
    name: string,
    fieldType: string,
    options?: readonly string[],
  ): Promise<string> {
    const field = await this.#parts.call((api) => api.addField(object, name, fieldType, options));
    this.#parts.describer.forget();
    return field.key;
  }

  /** The burst window as Pipedrive's last answer reported it (`x-ratelimit-limit`, `x-ratelimit-remaining`). */
  usage(): ApiUsage | undefined {
    const reading = this.#parts.budget.reading();
    return reading ? { used: reading.limit - reading.remaining, limit: reading.limit } : undefined;
  }

  calls(): number {
    return this.#parts.stats.calls;
  }

  /** Calls made, 429s met and retries so far. */
  stats(): Readonly<CallStats> {
    return { ...this.#parts.stats };
  }

  async close(): Promise<void> {
    // Node's fetch pools sockets per origin and closes idle ones itself; there is nothing of ours to release.
  }
}
