import { ServerClock, timedPull } from '../../src/connector/server-clock.ts';
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
import type { Call, CallStats } from './hubspot-call.ts';
import type { PipelineInfo } from './hubspot-client.ts';
import { deleted } from './hubspot-deleted.ts';
import type { HubSpotDescriber } from './hubspot-describe.ts';
import { convert } from './hubspot-lifecycle.ts';
import { pull } from './hubspot-pull.ts';
import { type PushSettings, push } from './hubspot-push.ts';
import { modifiedProperty, toExternalRecord } from './hubspot-records.ts';
import { HubSpotSetup } from './hubspot-setup.ts';
import type { RateBudget } from './rate-budget.ts';

/** The collaborators `createHubSpotConnector` builds; the connector only routes calls to them. */
export interface HubSpotParts {
  /** Every API call goes through this: budget, retries, token refresh. */
  readonly call: Call;
  /** Cached properties and pipelines. */
  readonly describer: HubSpotDescriber;
  /** Read for `usage()`. */
  readonly budget: RateBudget;
  /** Shared with the caller, which counts into it. */
  readonly stats: CallStats;
  /** HubSpot's clock, from the `Date` of every answer (this machine's clock without it). */
  readonly clock?: ServerClock;
  /** Associated object types read with each pulled page, by object. */
  readonly associations: Readonly<Record<string, readonly string[]>>;
  readonly push: PushSettings;
}

/** HubSpot's CRM (contacts, companies, deals, leads) behind the `Connector` interface. */
export class HubSpotConnector implements Connector {
  readonly system = 'hubspot' as const;
  readonly #parts: HubSpotParts;
  readonly #clock: ServerClock;

  constructor(parts: HubSpotParts) {
    this.#parts = parts;
    this.#clock = parts.clock ?? new ServerClock();
  }

  forgetDescribe(): void {
    this.#parts.describer.forget();
  }

  /** Creates the custom properties a config writes (`crm-bridge setup`). */
  setup(): HubSpotSetup {
    return new HubSpotSetup(this.#parts.call);
  }

  describe(object: ObjectType): Promise<ObjectSchema> {
    return this.#parts.describer.describe(object);
  }

  /** Deal pipelines and their stages (cached). */
  pipelines(): Promise<readonly PipelineInfo[]> {
    return this.#parts.describer.pipelines();
  }

  pull(object: ObjectType, options: PullOptions): AsyncIterable<Page<ExternalRecord>> {
    return timedPull(
      this.#clock,
      pull(this.#parts.call, {
        type: object,
        properties: options.fields,
        associations: options.associations ?? this.#parts.associations[object] ?? [],
        ...(options.since ? { since: options.since } : {}),
        ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      }),
      options.onPulledAt,
    );
  }

  push(object: ObjectType, writes: readonly Write[]): Promise<WriteResult[]> {
    const { describer } = this.#parts;
    return push(this.#parts.call, object, writes, this.#parts.push, {
      lifecycleStages: () => describer.lifecycleStages(),
      uniqueProperties: () => describer.uniqueProperties(object),
    });
  }

  /** Archives records (HubSpot's delete), 100 per call; an id HubSpot does not have counts as removed. */
  async remove(object: ObjectType, ids: readonly string[]): Promise<WriteResult[]> {
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      await this.#parts.call('standard', (api) => api.batchArchive(object, part));
    }
    return ids.map((id) => ({ ref: id, ok: true, id, created: false }));
  }

  convert(conversions: readonly Conversion[]): Promise<ConversionResult[]> {
    return convert(this.#parts.call, this.#parts.describer, conversions);
  }

  /** Records by id through batch read, 100 per call. */
  async read(
    object: ObjectType,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<ExternalRecord[]> {
    const properties = [...new Set([...fields, modifiedProperty(object)])];
    const out: ExternalRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      const batch = await this.#parts.call('standard', (api) => api.batchRead(object, part, properties));
      for (const found of batch.results) out.push(toExternalRecord(object, found));
    }
    return out;
  }

  deleted(object: ObjectType, since: Cursor): AsyncIterable<readonly DeletedRef[]> {
    return deleted(this.#parts.call, object, since);
  }

  /** The daily allowance as HubSpot's response headers last reported it. */
  usage(): ApiUsage | undefined {
    const daily = this.#parts.budget.daily();
    return daily ? { used: daily.limit - daily.remaining, limit: daily.limit } : undefined;
  }

  /** API calls this connector has made (retries included). */
  calls(): number {
    return this.#parts.stats.calls;
  }

  /** Calls made, 429s met, retries and token refreshes so far. */
  stats(): Readonly<CallStats> {
    return { ...this.#parts.stats };
  }

  async close(): Promise<void> {
    // Node's fetch pools sockets per origin and closes idle ones itself; there is nothing of ours to release.
  }
}
