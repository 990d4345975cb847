import { type CustomFieldDefinition, customField, type MetadataSaveResult } from './custom-fields.ts';
import { type SandboxField, STANDARD_OBJECTS } from './schema.ts';

/** Values an admin added to standard picklists, by `Object.Field` (e.g. `{ 'Lead.LeadSource': ['Webinar'] }`). */
export type PicklistAdditions = Readonly<Record<string, readonly string[]>>;

/** How an org differs from a new one: what its admin set up. */
export interface OrgSetup {
  /** Values added to standard picklists. */
  readonly picklistValues?: PicklistAdditions;
  /** Custom fields (a new org has none), mapped from Lead to Contact on conversion where both have them. */
  readonly customFields?: readonly CustomFieldDefinition[];
}

/**
 * One sandbox org's objects and fields: those of a new org, plus what its admin changed. Names match
 * case-insensitively, as Salesforce matches them.
 */
export class OrgSchema {
  readonly #objects = new Map<string, SandboxField[]>();
  /** Custom Lead fields that a conversion copies to the same-named Contact field (the admin's lead field mapping). */
  readonly #mapped = new Set<string>();
  /** Fields by lower-case name, per object; dropped whenever the object's fields change. */
  readonly #index = new Map<string, Map<string, SandboxField>>();

  constructor(options: OrgSetup = {}) {
    for (const [name, fields] of Object.entries(STANDARD_OBJECTS)) this.#objects.set(name, [...fields]);
    if (options.picklistValues) this.addPicklistValues(options.picklistValues);
    if (options.customFields) this.setUpCustomFields(options.customFields);
  }

  /** Every object's canonical name. */
  objects(): string[] {
    return [...this.#objects.keys()];
  }

  /** The object's fields, in describe order (none for an unknown object). */
  fields(object: string): readonly SandboxField[] {
    return this.#objects.get(object) ?? [];
  }

  /** The object's canonical name. */
  findObject(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.objects().find((o) => o.toLowerCase() === lower);
  }

  /** The field of `object` named `name`. */
  findField(object: string, name: string): SandboxField | undefined {
    let index = this.#index.get(object);
    if (!index) {
      index = new Map(this.fields(object).map((f) => [f.name.toLowerCase(), f]));
      this.#index.set(object, index);
    }
    return index.get(name.toLowerCase());
  }

  /**
   * Appends values to picklists, as an admin adds them in Setup (Lead Source values such as Webinar or Trade Show);
   * throws for a field that is no picklist, so a test cannot set up an org that could not exist.
   */
  addPicklistValues(additions: PicklistAdditions): void {
    for (const [name, values] of Object.entries(additions)) {
      const [objectName = '', fieldName = ''] = name.split('.');
      const object = this.findObject(objectName);
      const found = object === undefined ? undefined : this.findField(object, fieldName);
      if (object === undefined || found?.type !== 'picklist') throw new Error(`${name} is no picklist`);
      const added = values.filter((v) => !found.picklistValues.includes(v));
      this.#replace(object, { ...found, picklistValues: [...found.picklistValues, ...added] });
    }
  }

  /**
   * Creates custom fields as the Metadata API's createMetadata does, each on its own: a refused definition gets its
   * errors and the others are still created.
   */
  createCustomFields(definitions: readonly CustomFieldDefinition[]): MetadataSaveResult[] {
    return definitions.map((definition) => {
      const objectName = definition.fullName.split('.')[0] ?? '';
      const object = this.findObject(objectName);
      const made = customField(definition, object, (name) =>
        object === undefined ? false : this.findField(object, name) !== undefined,
      );
      if ('errors' in made) return { fullName: definition.fullName, success: false, errors: made.errors };
      this.#objects.get(made.object)?.push(made.field);
      this.#index.delete(made.object);
      return { fullName: `${made.object}.${made.field.name}`, success: true, errors: [] };
    });
  }

  /**
   * Creates custom fields as an admin setting the org up for crm-bridge does: throws if one is refused, and maps each
   * Lead field that Contact also gets to it for conversions (Setup → Lead → Map Lead Fields).
   */
  setUpCustomFields(definitions: readonly CustomFieldDefinition[]): void {
    const results = this.createCustomFields(definitions);
    const refused = results.filter((r) => !r.success);
    if (refused.length > 0) {
      const reasons = refused.map((r) => `${r.fullName}: ${r.errors.map((e) => e.message).join('; ')}`);
      throw new Error(`custom fields refused: ${reasons.join(' | ')}`);
    }
    for (const { fullName } of results) {
      const [object, name = ''] = fullName.split('.');
      if (object === 'Lead' && this.findField('Contact', name)) this.#mapped.add(name);
    }
  }

  /** Custom Lead fields a conversion copies to the new Contact's field of the same name. */
  convertedFields(): readonly string[] {
    return [...this.#mapped];
  }

  #replace(object: string, field: SandboxField): void {
    this.#index.delete(object);
    const fields = this.#objects.get(object) ?? [];
    this.#objects.set(
      object,
      fields.map((f) => (f.name === field.name ? field : f)),
    );
  }
}
