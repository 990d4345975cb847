import * as z from 'zod';

/**
 * Field helpers. Every data field is optional and nullable on purpose: absent means "not mapped or not known",
 * `null` means "blank in the source". Field rules such as `prefer:<connection>` ("unless blank") need the
 * difference.
 */
export const text = () => z.string().nullable().optional();
export const email = () => z.email().nullable().optional();
export const integer = () => z.int().nullable().optional();
export const decimal = () => z.number().nullable().optional();
export const flag = () => z.boolean().nullable().optional();
export const date = () => z.iso.date().nullable().optional();
export const datetime = () => z.iso.datetime({ offset: true }).nullable().optional();
export const textList = () => z.array(z.string()).nullable().optional();

/** Where a unified record came from: one entry per connection it exists in. */
export const SourceRef = z.strictObject({
  /** The connector's system (a name the connector registry knows). */
  system: z.string().min(1),
  /** The external object type, e.g. `Lead`, `Contact`, `contacts`. */
  object: z.string().min(1),
  /** The external record id. */
  id: z.string().min(1),
});
export type SourceRef = z.infer<typeof SourceRef>;

/**
 * A reference from one record to another (a person's account, a deal's contacts). The external ids are known
 * at mapping time; the unified `id` is filled in by identity resolution.
 */
export const Link = z.strictObject({
  /** The unified id of the target, once resolved. */
  id: z.string().optional(),
  /** The target's external id per connection name. */
  refs: z.record(z.string(), z.string()),
});
export type Link = z.infer<typeof Link>;

/** Values a custom field may hold. */
export const CustomValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
export type CustomValue = z.infer<typeof CustomValue>;

export const Address = z.strictObject({
  street: text(),
  city: text(),
  state: text(),
  postalCode: text(),
  country: text(),
});
export type Address = z.infer<typeof Address>;

/** Fields every unified record carries, whatever its entity. */
export const recordBase = {
  /** The unified id crm-bridge gives the record (absent until identity resolution). */
  id: z.string().optional(),
  /** The record in each connection it exists in, keyed by connection name. */
  sources: z.record(z.string(), SourceRef).default({}),
  /** Custom fields, keyed by the unified name after `custom.` in the mapping. */
  custom: z.record(z.string(), CustomValue).default({}),
  createdAt: datetime(),
  modifiedAt: datetime(),
  /** True when the record was deleted (or archived) in its source. */
  deleted: z.boolean().default(false),
  /** When a merge made another record the survivor: that record's external id, per connection. */
  mergedInto: z.record(z.string(), z.string()).optional(),
};
