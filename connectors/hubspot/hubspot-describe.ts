import type { FieldDescription, ObjectSchema } from '../../src/connector/types.ts';
import type { Call } from './hubspot-call.ts';
import type { PipelineInfo, PropertyInfo } from './hubspot-client.ts';

/**
 * Properties and deal pipelines, each fetched once per connector and kept (a failed fetch is forgotten, so the
 * next call asks again). HubSpot's `fieldType` has no place in `FieldDescription`; `type` is HubSpot's type
 * (string, number, enumeration, datetime, date, bool).
 */
export class HubSpotDescriber {
  readonly #call: Call;
  readonly #properties = new Map<string, Promise<readonly PropertyInfo[]>>();
  #pipelines: Promise<readonly PipelineInfo[]> | undefined;

  constructor(call: Call) {
    this.#call = call;
  }

  /** Forgets the properties and pipelines fetched: the next use asks HubSpot again. */
  forget(): void {
    this.#properties.clear();
    this.#pipelines = undefined;
  }

  properties(type: string): Promise<readonly PropertyInfo[]> {
    let cached = this.#properties.get(type);
    if (!cached) {
      cached = this.#call('standard', (api) => api.properties(type));
      cached.catch(() => this.#properties.delete(type));
      this.#properties.set(type, cached);
    }
    return cached;
  }

  /** The properties of `type` whose values HubSpot keeps unique (the ones an upsert can find a record by). */
  async uniqueProperties(type: string): Promise<ReadonlySet<string>> {
    const properties = await this.properties(type);
    return new Set(
      properties.filter((p) => p.hasUniqueValue && p.name !== 'hs_object_id').map((p) => p.name),
    );
  }

  /** Deal pipelines with their stages. */
  pipelines(): Promise<readonly PipelineInfo[]> {
    if (!this.#pipelines) {
      const fetched = this.#call('standard', (api) => api.pipelines('deals'));
      fetched.catch(() => {
        this.#pipelines = undefined;
      });
      this.#pipelines = fetched;
    }
    return this.#pipelines;
  }

  /** Lifecycle stages in HubSpot's forward order, from the property's options (never a hard-coded list). */
  async lifecycleStages(): Promise<string[]> {
    const stage = (await this.properties('contacts')).find((p) => p.name === 'lifecyclestage');
    return [...(stage?.options ?? [])]
      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
      .map((o) => o.value);
  }

  async describe(type: string): Promise<ObjectSchema> {
    const properties = await this.properties(type);
    const pipelines = type === 'deals' ? await this.pipelines() : [];
    const fields = properties.map((p): FieldDescription => {
      const picklist =
        type === 'deals' && p.name === 'dealstage'
          ? pipelines.flatMap((pl) => pl.stages.map((s) => ({ value: s.id, active: true, label: s.label })))
          : type === 'deals' && p.name === 'pipeline'
            ? pipelines.map((pl) => ({ value: pl.id, active: true, label: pl.label }))
            : p.type === 'enumeration'
              ? (p.options ?? []).map((o) => ({
                  value: o.value,
                  active: o.hidden !== true,
                  ...(o.label === undefined ? {} : { label: o.label }),
                }))
              : undefined;
      return {
        name: p.name,
        type: p.type,
        ...(p.label ? { label: p.label } : {}),
        required: false,
        writable: p.modificationMetadata?.readOnlyValue !== true && p.calculated !== true,
        ...(picklist ? { picklist } : {}),
      };
    });
    return { object: type, fields };
  }
}
