import type { SystemProfile } from '../connector/descriptor.ts';
import { generatedFunction, quoted } from '../generated-code.ts';
import { isBlank } from '../model/blank.ts';
import type { EntityName } from '../model/index.ts';
import { inboundCoercion } from './coerce.ts';
import { toDatetime } from './dates.ts';
import { joinFields, takePart } from './field-shape.ts';
import type { FieldSpec } from './field-spec.ts';
import { kindResolver } from './person-kind.ts';
import { RecordShape } from './record-shape.ts';
import { Invalid, runSteps, type Step } from './step.ts';
import { email } from './text-transforms.ts';
import type { ExternalRecord, FieldFailure, InboundMapper } from './types.ts';

/** One mapped field, flattened for the per-record loop. */
interface InboundField {
  readonly unified: string;
  readonly external: string;
  /** The record's slot of the path's top-level key. */
  readonly slot: number;
  /** The key inside it, for nested and custom fields. */
  readonly sub: string | undefined;
  /** The single external field; unused when `join` is set. */
  readonly name: string;
  readonly names: readonly string[];
  readonly join: string | undefined;
  readonly split: FieldSpec['transforms']['split'];
  /** Whether an absent external value still runs the steps (it has a `{ default }`). */
  readonly fillsAbsent: boolean;
  /** Transforms in list order, then the value map, then coercion to the unified type. */
  readonly steps: readonly Step[];
  /** What a refused value does: hold the record, or leave the field out (after trying the default, if any). */
  readonly hold: boolean;
  /** The unified value used instead of a refused one (`onInvalid: { default }`), already coerced. */
  readonly fallback: unknown;
}

function inboundField(spec: FieldSpec, connection: string, shape: RecordShape): InboundField {
  const { transforms, valueMap } = spec;
  const steps = [...transforms.inbound];
  if (valueMap !== undefined) steps.push(valueMap.inbound);
  const coerce = inboundCoercion(spec.type, connection);
  // The e-mail transform gives only what the e-mail coercion accepts unchanged: one test of the address is enough.
  if (!(spec.type === 'email' && steps.at(-1) === email)) steps.push(coerce);
  const { onInvalid } = spec;
  const fallback = typeof onInvalid === 'object' ? coerce(onInvalid.default) : undefined;
  return {
    unified: spec.unified,
    external: spec.external,
    slot: shape.slot(spec.path.top),
    sub: spec.path.sub,
    name: spec.names[0] as string,
    names: spec.names,
    join: transforms.join,
    split: transforms.split,
    fillsAbsent: transforms.fillsAbsent,
    steps,
    hold: onInvalid === 'hold',
    fallback: fallback instanceof Invalid ? undefined : fallback,
  };
}

/** Fills `into[i]` with the external value of `fields[i]` (left undefined for joined fields, read by name). */
type Reader = (source: Readonly<Record<string, unknown>>, into: unknown[]) => void;

/**
 * The reader of one object's fields: a generated function that reads each by its name where Node allows it (see
 * generatedFunction). Reading `source[field.name]` in the mapper's loop makes one read site see every field name of
 * the object, which V8 can only look up in a shared cache; written out, each read has one name and one record layout
 * (an API answers with the same fields for every record of an object), and the whole mapping of 100k people takes
 * a tenth less time.
 */
function readerOf(fields: readonly InboundField[]): Reader {
  const reads = fields.map((field, i) =>
    field.join === undefined ? `into[${i}] = source[${quoted(field.name)}];` : '',
  );
  return (
    generatedFunction<Reader>([], `return (source, into) => { ${reads.join(' ')} };`) ??
    ((source, into) => {
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as InboundField;
        if (field.join === undefined) into[i] = source[field.name];
      }
    })
  );
}

/**
 * Compiles the external → unified mapper for one external object. Every mapped field that exists for the
 * object is read whatever its rule: rules decide what is written, and the sync engine needs both sides' values
 * to resolve them.
 *
 * Why there is no `Person.safeParse` at the end: it cost more than all of the mapping (about 5 µs of 8 per
 * person) and would miss the 100k records/s target. The record is valid by construction instead, and that is
 * the same guarantee: it only gets keys the model has (compile time checks each unified path against
 * FIELD_CATALOG or `custom.<name>`); every field's steps end with the coercion to its model type, which yields
 * exactly what the model's schema accepts or a failure (e-mails and dates are tested with zod's own patterns,
 * integers with Number.isSafeInteger, numbers with Number.isFinite, links are `{ refs }`); `sources`, `custom`,
 * `deleted` and `kind` are built here, and the one thing left to check per record, a non-empty id, is checked.
 * test/mapping/model-guarantee.test.ts holds this to account: for arbitrary external values, every ok record
 * must pass the model's zod schema unchanged.
 */
export function compileInbound<E extends EntityName>(
  entity: E,
  specs: readonly FieldSpec[],
  connection: string,
  profile: SystemProfile,
  object: string,
): InboundMapper<E> {
  const { system } = profile;
  const shape = new RecordShape();
  const sources = shape.slot('sources');
  const custom = shape.slot('custom');
  const deleted = shape.slot('deleted');
  const fields = specs.map((spec) => inboundField(spec, connection, shape));
  const createdAtSlot = shape.slot('createdAt');
  const modifiedAtSlot = shape.slot('modifiedAt');
  const lifecycleStage = shape.slot('lifecycleStage');
  const kind = shape.slot('kind');
  const kindOf = entity === 'person' ? kindResolver(profile, object) : undefined;
  const fail = (
    failures: FieldFailure[] | undefined,
    unified: string,
    external: string,
    value: unknown,
    reason: string,
    hold = false,
  ) => {
    const list = failures ?? [];
    list.push({ unified, connection, object, external, value, reason, hold });
    return list;
  };
  /** Sets a field's value, in the nested object its path names if it has a key inside one. */
  const put = (field: InboundField, value: unknown) => {
    if (field.sub === undefined) {
      shape.set(field.slot, value);
      return;
    }
    let inner = shape.get(field.slot) as Record<string, unknown> | undefined;
    if (inner === undefined) {
      inner = {};
      shape.set(field.slot, inner);
    }
    inner[field.sub] = value;
  };

  const read = readerOf(fields);
  /** The values `read` took from the record at hand, by field. */
  const raws: unknown[] = new Array(fields.length).fill(undefined);

  return ((record: ExternalRecord) => {
    const source = record.fields;
    read(source, raws);
    shape.begin();
    // Stored rather than written as `{ [connection]: … }`: V8 builds a literal with a computed key far slower.
    const refs: Record<string, unknown> = {};
    refs[connection] = { system, object, id: record.id };
    shape.set(sources, refs);
    shape.set(custom, {});
    shape.set(deleted, record.deleted === true);
    let failures: FieldFailure[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as InboundField;
      const raw = field.join === undefined ? raws[i] : joinFields(source, field.names, field.join);
      if (raw === undefined && !field.fillsAbsent) continue;
      // Blank is null in the model whatever the source spells it as ('' from HubSpot, null from Salesforce).
      let value: unknown = typeof raw === 'string' && isBlank(raw) ? null : raw;
      if (field.split !== undefined) value = takePart(value, field.split);
      value = runSteps(field.steps, value);
      if (value instanceof Invalid) {
        if (field.fallback !== undefined) {
          put(field, field.fallback);
          continue;
        }
        const read = field.join === undefined ? raw : field.names.map((name) => source[name]);
        failures = fail(failures, field.unified, field.external, read, value.reason, field.hold);
      } else if (value !== undefined) put(field, value);
    }
    const createdAt = toDatetime(record.createdAt);
    if (createdAt instanceof Invalid)
      failures = fail(failures, 'createdAt', 'createdAt', record.createdAt, createdAt.reason);
    else if (createdAt != null) shape.set(createdAtSlot, createdAt);
    const modifiedAt = toDatetime(record.modifiedAt);
    if (modifiedAt instanceof Invalid)
      failures = fail(failures, 'modifiedAt', 'modifiedAt', record.modifiedAt, modifiedAt.reason);
    else if (modifiedAt != null) shape.set(modifiedAtSlot, modifiedAt);
    if (typeof record.id !== 'string' || record.id.length === 0)
      failures = fail(failures, 'sources', 'id', record.id, 'expected a non-empty external id', true);
    if (kindOf !== undefined) shape.set(kind, kindOf(shape.get(lifecycleStage)));
    const out = shape.build();
    return failures === undefined ? { ok: true, value: out } : { ok: false, failures, value: out };
  }) as InboundMapper<E>;
}
