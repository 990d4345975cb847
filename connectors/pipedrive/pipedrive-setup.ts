import { ConnectorFailure } from '../../src/connector/errors.ts';
import type {
  FieldKind,
  FieldSetup,
  FieldSpec,
  SetupFailure,
  SetupOutcome,
} from '../../src/connector/setup.ts';
import type { FieldDescription } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { PipedriveDescriber } from './pipedrive-describe.ts';
import { CUSTOM_FIELD_KEY, STANDARD_FIELDS } from './standard-fields.ts';

/** The custom field type made for each kind of value; Pipedrive has no boolean or date-time custom field. */
const TYPES: Readonly<Record<FieldKind, string>> = {
  text: 'varchar',
  number: 'double',
  integer: 'double',
  boolean: 'enum',
  date: 'date',
  datetime: 'varchar',
  picklist: 'enum',
};

/** The field types that can hold each kind of value. */
const HOLDS: Readonly<Record<FieldKind, readonly string[]>> = {
  text: ['varchar', 'varchar_auto', 'text', 'phone', 'enum'],
  number: ['double', 'monetary', 'int'],
  integer: ['double', 'monetary', 'int'],
  boolean: ['enum', 'boolean'],
  date: ['date'],
  datetime: ['varchar', 'date'],
  picklist: ['enum', 'set', 'varchar', 'status', 'visible_to', 'stage'],
};

/** Varchar holds up to 255 characters; longer text needs a large text field. */
const typeOf = (spec: FieldSpec) =>
  spec.kind === 'text' && (spec.length ?? 0) > 255 ? 'text' : TYPES[spec.kind];

const optionsOf = (spec: FieldSpec): readonly string[] | undefined =>
  spec.kind === 'boolean' ? ['true', 'false'] : spec.kind === 'picklist' ? (spec.options ?? []) : undefined;

/**
 * Creates Pipedrive custom fields through the fields API (`POST /api/v1/personFields`…), named as the config names
 * them: Pipedrive gives each a 40-hex key, and the connector finds a custom field by its name as well. A field a
 * config maps on leads is made on deals, whose custom fields leads share.
 */
export class PipedriveSetup implements FieldSetup {
  readonly noun = { one: 'custom field', many: 'custom fields' } as const;
  readonly #call: Call;
  readonly #describer: PipedriveDescriber;

  constructor(call: Call, describer: PipedriveDescriber) {
    this.#call = call;
    this.#describer = describer;
  }

  as(spec: FieldSpec): string {
    const options = optionsOf(spec);
    const unique = spec.unique ? ' (Pipedrive cannot require unique values)' : '';
    const onDeals = spec.object === 'leads' ? ' on deals, shared with leads' : '';
    return `${typeOf(spec)}${options ? `: ${options.join(', ')}` : ''}${onDeals}${unique}`;
  }

  refuses(spec: FieldSpec): string | undefined {
    if (CUSTOM_FIELD_KEY.test(spec.name)) {
      return 'a custom field key, which Pipedrive makes itself: name the field by its name in the config';
    }
    const object = spec.object as keyof typeof STANDARD_FIELDS;
    if (STANDARD_FIELDS[object]?.some((f) => f.key === spec.name))
      return 'a standard Pipedrive field: check its key';
    if (!Object.hasOwn(STANDARD_FIELDS, spec.object)) return `Pipedrive has no object ${spec.object}`;
    return undefined;
  }

  conflict(spec: FieldSpec, field: FieldDescription): string | undefined {
    // A deal's pipeline_id (a number field) lists the pipelines as options, read and written by name.
    const labelled = spec.kind === 'picklist' && (field.picklist?.length ?? 0) > 0;
    return labelled || HOLDS[spec.kind].includes(field.type)
      ? undefined
      : `is a ${field.type} field, and crm-bridge writes ${spec.kind} values to it`;
  }

  alsoDoes(): readonly string[] {
    return [];
  }

  async apply(create: readonly FieldSpec[]): Promise<SetupOutcome> {
    const created: { spec: FieldSpec; as: string }[] = [];
    const failures: SetupFailure[] = [];
    try {
      for (const spec of create) {
        const object =
          spec.object === 'leads' ? 'deals' : (spec.object as 'persons' | 'organizations' | 'deals');
        try {
          await this.#call((api) => api.addField(object, spec.name, typeOf(spec), optionsOf(spec)));
          created.push({ spec, as: this.as(spec) });
        } catch (error) {
          if (!(error instanceof ConnectorFailure) || error.kind === 'auth' || error.retryable) throw error;
          failures.push({
            spec,
            message: `Pipedrive refused ${spec.object}.${spec.name}: ${error.message}`,
            fix: 'create the field by hand (Company settings → Data fields), or fix what Pipedrive names',
          });
        }
      }
    } catch (error) {
      if (!(error instanceof ConnectorFailure) || error.kind !== 'auth') throw error;
      failures.push({
        message: `Pipedrive refused to create custom fields: ${error.message}`,
        fix: 'use the API token of a user allowed to manage data fields (an admin), or create the fields by hand (Company settings → Data fields)',
      });
    } finally {
      if (created.length > 0) this.#describer.forget();
    }
    return { created, found: [], steps: [], failures };
  }
}
