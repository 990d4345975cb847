import * as z from 'zod';
import { Connection } from '../../connectors/index.ts';
import { CUSTOM_TYPES, ENTITIES } from '../model/index.ts';

const connectionName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a lower-case name' });

const durationText = /^(\d+)(s|m|h|d)$/;
const cronText = /^(\S+\s+){4,5}\S+$/;

/** Either `every: <duration>` or `cron: <expression>` (with an optional `tz`). */
export const Schedule = z
  .strictObject({
    every: z
      .string()
      .regex(durationText, { error: 'expected a duration such as 30s, 15m, 2h or 1d' })
      .optional(),
    cron: z.string().regex(cronText, { error: 'expected a cron expression with 5 or 6 fields' }).optional(),
    tz: z.string().min(1).optional(),
  })
  .refine((s) => (s.every === undefined) !== (s.cron === undefined), {
    error: 'expected exactly one of "every" or "cron"',
  })
  .refine((s) => s.tz === undefined || s.cron !== undefined, {
    error: '"tz" only applies to a cron schedule',
  });

export const SyncSection = z.strictObject({
  /** The two connections kept consistent. */
  pair: z.tuple([connectionName, connectionName]),
  schedule: Schedule.default({ every: '15m' }),
  /** What a delete in one system does to the other: `unlink` reports it, `propagate` deletes the twin. */
  deletes: z.enum(['unlink', 'propagate']).default('unlink'),
  /** How far each incremental pull reaches back before the last cursor, against clock skew. */
  overlap: z.string().regex(durationText, { error: 'expected a duration such as 2m' }).default('2m'),
  /** How often each object is asked for deletes and merges (they cost calls of their own); the pull is every round. */
  deletesEvery: z.string().regex(durationText, { error: 'expected a duration such as 5m' }).default('5m'),
  /**
   * How long what grows with every round is kept: the write history, settled quarantine entries and finished runs
   * (open entries, identities and snapshots are never pruned). Pruned after each round.
   */
  keep: z.string().regex(durationText, { error: 'expected a duration such as 180d' }).default('180d'),
  /**
   * Records planned at a time: a pull window larger than this is staged in the state store and planned in slices
   * of about this many records (those that could be one record always together), so that memory stays flat
   * however large the window. Larger slices fill more write batches, smaller ones hold less.
   */
  slice: z.int().min(1).default(5000),
});

export const TRANSFORM_NAMES = [
  'trim',
  'lowercase',
  'uppercase',
  'email',
  'phone',
  'domainFromUrl',
  'domainFromEmail',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'emptyToNull',
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

export const SPLIT_PARTS = ['first', 'last', 'allButLast', 'allButFirst'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A transform with arguments, written as a one-key mapping such as `{ default: Web }`. */
export const TransformWithArgs = z
  .strictObject({
    phone: z.strictObject({
      defaultCallingCode: z
        .string()
        .regex(/^\d{1,3}$/, { error: 'expected 1 to 3 digits, e.g. "1" or "44"' }),
    }),
    /** A value for blanks: one for both directions, or per connection (`{ sf: x }`), only when writing there. */
    default: z.union([scalar, z.record(z.string(), scalar)]),
    join: z.string(),
    split: z.strictObject({ separator: z.string().min(1).default(' '), take: z.enum(SPLIT_PARTS) }),
    truncate: z.int().min(1),
  })
  .partial()
  .refine((t) => Object.keys(t).length === 1, {
    error: 'expected exactly one transform per list item',
    when: (payload) => (payload.issues ?? []).length === 0,
  });
export type TransformWithArgs = z.infer<typeof TransformWithArgs>;

export const Transform = z.union([z.enum(TRANSFORM_NAMES), TransformWithArgs], {
  error: `expected one of ${TRANSFORM_NAMES.join(', ')}, or one of phone, default, join, split, truncate with arguments`,
});
export type Transform = z.infer<typeof Transform>;

/** What an unmappable value of one field does: skip the field, hold the record, or use a unified default. */
export const OnInvalid = z.union([z.enum(['skip', 'hold']), z.strictObject({ default: scalar })], {
  error: 'expected skip, hold or { default: <value> }',
});
export type OnInvalid = z.infer<typeof OnInvalid>;

/** An external field: one name, several joined, or one per external object (`{ Lead: City, Contact: MailingCity }`). */
const fieldNames = z.union([z.string().min(1), z.array(z.string().min(1)).min(2)], {
  error: 'expected a field name or a list of at least two field names',
});
export const ExternalField = z.union([fieldNames, z.record(z.string(), fieldNames)], {
  error: 'expected a field name, a list of field names, or a mapping of object name to field name',
});
export type ExternalField = z.infer<typeof ExternalField>;

/** One mapped field. Every other key is a connection name naming that connection's field. */
export const FieldMapping = z
  .object({
    /** The unified field path, e.g. `email`, `address.city`, `custom.budget`. */
    unified: z.string().min(1),
    /** two-way, prefer:<connection>, always:<connection>, one-way:<from>-><to>, none, or policy. */
    rule: z.string().default('two-way'),
    transform: z.array(Transform).default([]),
    /** The name of a value map that translates this field's values. */
    values: z.string().optional(),
    /** The type of a `custom.*` field (standard fields take theirs from the unified model). */
    type: z.enum(CUSTOM_TYPES).optional(),
    /**
     * What a value that cannot be mapped does, in either direction: `skip` leaves this one field unwritten and
     * records a field issue, `hold` sets the whole record aside, `{ default: <unified value> }` uses that value.
     */
    onInvalid: OnInvalid.default('skip'),
  })
  .catchall(ExternalField);
export type FieldMapping = z.infer<typeof FieldMapping>;

export const EntityMapping = z
  .object({
    /** Unified fields that identify a record across systems after the identity map (e.g. `[email]`). */
    match: z.array(z.string().min(1)).optional(),
    /** What a delete does, overriding `sync.deletes` for this entity. */
    deletes: z.enum(['unlink', 'propagate']).optional(),
    /**
     * Per connection, the field that holds each record's twin id in the other connection (a Salesforce external-id
     * field, a HubSpot property with unique values), so that a new or lost state store pairs records again.
     */
    twinId: z.record(connectionName, z.string().min(1)).optional(),
    fields: z.array(FieldMapping).min(1),
  })
  .catchall(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]));
export type EntityMapping = z.infer<typeof EntityMapping>;

/** A value map entry: the external value per connection, or one value for all. A list lists inbound aliases; the first is written. */
const ValueMapTarget = z.union([scalar, z.array(scalar).min(1)]);
const ValueMapEntry = z.union([ValueMapTarget, z.record(z.string(), ValueMapTarget)]);
export type ValueMapEntry = z.infer<typeof ValueMapEntry>;

/** The keys of a value map that are settings, not unified values. */
export const VALUE_MAP_SETTINGS = ['fallback', 'passthrough'] as const;

/**
 * A value map: unified value → its value per connection. Two keys are settings: `fallback` names the unified value
 * an external value the map does not know is read as (e.g. `other`), and `passthrough: true` lets values the map
 * does not know through unchanged in both directions (for free-text targets).
 */
export const ValueMap = z
  .object({
    fallback: z.string().min(1).optional(),
    passthrough: z.boolean().optional(),
  })
  .catchall(ValueMapEntry);
export type ValueMap = z.infer<typeof ValueMap>;

export const BridgeConfig = z
  .strictObject({
    version: z.literal(1),
    connections: z.record(connectionName, Connection),
    sync: SyncSection,
    objects: z.partialRecord(z.enum(ENTITIES), EntityMapping),
    valueMaps: z.record(z.string(), ValueMap).default({}),
    /** The lead-vs-contact policy: a path to a policy file, relative to this file. */
    policy: z.string().min(1).optional(),
  })
  .meta({ id: 'CrmBridgeConfig', title: 'crm-bridge configuration' });
export type BridgeConfig = z.infer<typeof BridgeConfig>;
