import { type SandboxField, STANDARD_OBJECTS } from './schema.ts';

/** Values an admin added to standard picklists, by `Object.Field` (e.g. `{ 'Lead.LeadSource': ['Webinar'] }`). */
export type PicklistAdditions = Readonly<Record<string, readonly string[]>>;

/**
 * One sandbox org's objects and fields: those of a new org, plus what its admin changed. Names match
 * case-insensitively, as Salesforce matches them.
 */
export class OrgSchema {
  readonly #objects = new Map<string, SandboxField[]>();

  constructor(options: { readonly picklistValues?: PicklistAdditions } = {}) {
    for (const [name, fields] of Object.entries(STANDARD_OBJECTS)) this.#objects.set(name, [...fields]);
    if (options.picklistValues) this.addPicklistValues(options.picklistValues);
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
    const lower = name.toLowerCase();
    return this.fields(object).find((f) => f.name.toLowerCase() === lower);
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

  #replace(object: string, field: SandboxField): void {
    const fields = this.#objects.get(object) ?? [];
    this.#objects.set(
      object,
      fields.map((f) => (f.name === field.name ? field : f)),
    );
  }
}
