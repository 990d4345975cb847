import { type CustomFieldDefinition, customField, type MetadataSaveResult } from './custom-fields.ts';
import { checkPermissionSet, type PermissionSetDefinition } from './permission-sets.ts';
import { type SandboxField, STANDARD_OBJECTS } from './schema.ts';

/** Values an admin added to standard picklists, by `Object.Field` (e.g. `{ 'Lead.LeadSource': ['Webinar'] }`). */
/** Values added per picklist (`Object.Field`): an API name, or an API name and the label people see. */
export type PicklistAdditions = Readonly<
  Record<string, readonly (string | { readonly value: string; readonly label: string })[]>
>;

/** How an org differs from a new one: what its admin set up. */
export interface OrgSetup {
  /** Values added to standard picklists. */
  readonly picklistValues?: PicklistAdditions;
  /**
   * Custom fields (a new org has none), readable and editable by the API user, and mapped from Lead to Contact on
   * conversion where both have them.
   */
  readonly customFields?: readonly CustomFieldDefinition[];
}

/** What the API user may do with a field: field-level security. */
type Access = 'none' | 'read' | 'edit';

/**
 * One sandbox org's objects and fields: those of a new org, plus what its admin changed. Names match
 * case-insensitively, as Salesforce matches them. Everything but `allFields` is the API user's view: a field it has
 * no access to is missing, a field it may only read is neither createable nor updateable.
 */
export class OrgSchema {
  readonly #objects = new Map<string, SandboxField[]>();
  /** The API user's access to fields created through the Metadata API, by `Object.Field` (others: edit). */
  readonly #access = new Map<string, Access>();
  /** Permission sets created through the Metadata API, by lower-case name. */
  readonly #permissionSets = new Map<string, PermissionSetDefinition>();
  /** Custom Lead fields that a conversion copies to the same-named Contact field (the admin's lead field mapping). */
  readonly #mapped = new Set<string>();
  /** The API user's view of each object's fields, by lower-case name; dropped whenever fields or access change. */
  readonly #view = new Map<string, Map<string, SandboxField>>();

  constructor(options: OrgSetup = {}) {
    for (const [name, fields] of Object.entries(STANDARD_OBJECTS)) this.#objects.set(name, [...fields]);
    if (options.picklistValues) this.addPicklistValues(options.picklistValues);
    if (options.customFields) this.setUpCustomFields(options.customFields);
  }

  /** Every object's canonical name. */
  objects(): string[] {
    return [...this.#objects.keys()];
  }

  /** The object's fields the API user can see, in describe order (none for an unknown object). */
  fields(object: string): readonly SandboxField[] {
    return [...this.#visible(object).values()];
  }

  /** Every field of the object, those the API user cannot see included (records hold them all). */
  allFields(object: string): readonly SandboxField[] {
    return this.#objects.get(object) ?? [];
  }

  /** The object's canonical name. */
  findObject(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.objects().find((o) => o.toLowerCase() === lower);
  }

  /** The field of `object` named `name`, if the API user can see it. */
  findField(object: string, name: string): SandboxField | undefined {
    return this.#visible(object).get(name.toLowerCase());
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
      const added = values
        .map((v) => (typeof v === 'string' ? { value: v, label: v } : v))
        .filter((v) => !found.picklistValues.includes(v.value));
      const labels = { ...found.picklistLabels };
      for (const { value, label } of added) if (label !== value) labels[value] = label;
      this.#replace(object, {
        ...found,
        picklistValues: [...found.picklistValues, ...added.map((v) => v.value)],
        picklistLabels: labels,
      });
    }
  }

  /**
   * Creates custom fields as the Metadata API's createMetadata does, each on its own: a refused definition gets its
   * errors and the others are still created. Like Salesforce, it grants no one access to them (`access: 'none'`)
   * until a permission set does, unless told otherwise.
   */
  createCustomFields(
    definitions: readonly CustomFieldDefinition[],
    access: 'none' | 'edit' = 'none',
  ): MetadataSaveResult[] {
    return definitions.map((definition) => {
      const object = this.findObject(definition.fullName.split('.')[0] ?? '');
      const made = customField(definition, object, (name) => this.#field(object ?? '', name) !== undefined);
      if ('errors' in made) return { fullName: definition.fullName, success: false, errors: made.errors };
      this.#objects.get(made.object)?.push(made.field);
      if (access === 'none') this.#access.set(`${made.object}.${made.field.name}`, 'none');
      this.#view.delete(made.object);
      return { fullName: `${made.object}.${made.field.name}`, success: true, errors: [] };
    });
  }

  /**
   * Creates custom fields as an admin setting the org up for crm-bridge does: readable and editable by the API user,
   * each Lead field that Contact also gets mapped to it for conversions (Setup → Lead → Map Lead Fields); throws if
   * one is refused.
   */
  setUpCustomFields(definitions: readonly CustomFieldDefinition[]): void {
    const results = this.createCustomFields(definitions, 'edit');
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

  /** Creates permission sets as the Metadata API does, each on its own; they grant nothing until assigned. */
  createPermissionSets(definitions: readonly PermissionSetDefinition[]): MetadataSaveResult[] {
    return definitions.map((definition) => {
      const errors = checkPermissionSet(definition, {
        taken: (name) => this.#permissionSets.has(name.toLowerCase()),
        fieldExists: (name) => {
          const [object = '', field = ''] = name.split('.');
          return this.#field(this.findObject(object) ?? '', field) !== undefined;
        },
      });
      if (errors.length > 0) return { fullName: definition.fullName, success: false, errors };
      this.#permissionSets.set(definition.fullName.toLowerCase(), definition);
      return { fullName: definition.fullName, success: true, errors: [] };
    });
  }

  /**
   * Creates or replaces permission sets as the Metadata API's upsertMetadata does, each on its own; a replaced set's
   * field permissions are the ones given (what it granted before is not kept).
   */
  upsertPermissionSets(
    definitions: readonly PermissionSetDefinition[],
  ): (MetadataSaveResult & { readonly created: boolean })[] {
    return definitions.map((definition) => {
      const created = !this.#permissionSets.has(definition.fullName.toLowerCase());
      const errors = checkPermissionSet(definition, {
        taken: () => false,
        fieldExists: (name) => {
          const [object = '', field = ''] = name.split('.');
          return this.#field(this.findObject(object) ?? '', field) !== undefined;
        },
      });
      if (errors.length > 0) return { fullName: definition.fullName, success: false, created: false, errors };
      this.#permissionSets.set(definition.fullName.toLowerCase(), definition);
      return { fullName: definition.fullName, success: true, created, errors: [] };
    });
  }

  /** The permission sets created so far. */
  permissionSets(): readonly PermissionSetDefinition[] {
    return [...this.#permissionSets.values()];
  }

  /** Gives the API user the field access of a permission set assigned to it (access only ever grows). */
  grant(permissionSet: string): void {
    const definition = this.#permissionSets.get(permissionSet.toLowerCase());
    for (const p of definition?.fieldPermissions ?? []) {
      const [objectName = '', fieldName = ''] = p.field.split('.');
      const object = this.findObject(objectName) ?? '';
      const found = this.#field(object, fieldName);
      const key = `${object}.${found?.name ?? ''}`;
      const current = this.#access.get(key);
      if (!found || current === undefined) continue;
      const granted: Access = p.editable ? 'edit' : p.readable ? 'read' : 'none';
      const rank = { none: 0, read: 1, edit: 2 } as const;
      if (rank[granted] > rank[current]) this.#access.set(key, granted);
      this.#view.delete(object);
    }
  }

  /** Any field of the object by name, whoever can see it. */
  #field(object: string, name: string): SandboxField | undefined {
    const lower = name.toLowerCase();
    return this.allFields(object).find((f) => f.name.toLowerCase() === lower);
  }

  #visible(object: string): Map<string, SandboxField> {
    let view = this.#view.get(object);
    if (!view) {
      view = new Map();
      for (const f of this.allFields(object)) {
        const access = this.#access.get(`${object}.${f.name}`) ?? 'edit';
        if (access === 'none') continue;
        view.set(
          f.name.toLowerCase(),
          access === 'read' ? { ...f, createable: false, updateable: false } : f,
        );
      }
      this.#view.set(object, view);
    }
    return view;
  }

  #replace(object: string, field: SandboxField): void {
    this.#view.delete(object);
    const fields = this.#objects.get(object) ?? [];
    this.#objects.set(
      object,
      fields.map((f) => (f.name === field.name ? field : f)),
    );
  }
}
