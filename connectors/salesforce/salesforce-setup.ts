import { ConnectorFailure } from '../../src/connector/errors.ts';
import type {
  FieldKind,
  FieldSetup,
  FieldSpec,
  SetupFailure,
  SetupOutcome,
} from '../../src/connector/setup.ts';
import type { FieldDescription } from '../../src/connector/types.ts';
import type {
  MetadataComponent,
  MetadataResult,
  SalesforceClient,
  SalesforceMetadataApi,
} from './salesforce-client.ts';
import { soqlString } from './salesforce-query.ts';
import type { Session } from './salesforce-session.ts';

/** The permission set granting the API user the fields crm-bridge writes. */
export const PERMISSION_SET = { fullName: 'crm_bridge', label: 'crm-bridge' } as const;

/** Components one createMetadata call takes. */
const PER_CALL = 10;

/** The describe types that can hold each kind of value. */
const HOLDS: Readonly<Record<FieldKind, readonly string[]>> = {
  text: ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox'],
  number: ['double', 'currency', 'percent', 'int', 'long'],
  integer: ['double', 'currency', 'percent', 'int', 'long'],
  boolean: ['boolean'],
  date: ['date'],
  datetime: ['datetime'],
  picklist: ['picklist', 'multipicklist', 'combobox', 'string', 'textarea'],
};

/** `Name__c`: a letter, then letters, digits and single underscores, at most 40 of them. */
const CUSTOM_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)__c$/;

/** The CustomField component that makes a spec, as `conn.metadata.create('CustomField', …)` takes it. */
export function customFieldOf(spec: FieldSpec): MetadataComponent {
  const base = {
    fullName: `${spec.object}.${spec.name}`,
    label: spec.label.slice(0, 40),
    description: 'Written by crm-bridge.',
  };
  switch (spec.kind) {
    case 'text':
      if ((spec.length ?? 255) > 255)
        return { ...base, type: 'LongTextArea', length: spec.length, visibleLines: 3 };
      return {
        ...base,
        type: 'Text',
        length: spec.length ?? 255,
        ...(spec.unique ? { externalId: true, unique: true } : {}),
      };
    case 'number':
      return { ...base, type: 'Number', precision: 18, scale: 2 };
    case 'integer':
      return { ...base, type: 'Number', precision: 18, scale: 0 };
    case 'boolean':
      return { ...base, type: 'Checkbox', defaultValue: 'false' };
    case 'date':
      return { ...base, type: 'Date' };
    case 'datetime':
      return { ...base, type: 'DateTime' };
    case 'picklist':
      return {
        ...base,
        type: 'Picklist',
        valueSet: {
          restricted: true,
          valueSetDefinition: {
            sorted: false,
            value: (spec.options ?? []).map((v) => ({ fullName: v, default: false, label: v })),
          },
        },
      };
  }
}

/**
 * Creates Salesforce custom fields through the Metadata API, then grants the API user read and edit on every custom
 * field the config writes through one permission set, `crm_bridge`, assigned to it: a new field is invisible to
 * every user until field-level security grants it.
 */
export class SalesforceSetup implements FieldSetup {
  readonly noun = { one: 'field', many: 'fields' } as const;
  readonly #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  as(spec: FieldSpec): string {
    const c = customFieldOf(spec);
    switch (c.type) {
      case 'Text':
        return `Text(${String(c.length)})${spec.unique ? ' External ID, Unique' : ''}`;
      case 'LongTextArea':
        return `Long Text Area(${String(c.length)})`;
      case 'Number':
        return `Number(18, ${String(c.scale)})`;
      case 'Checkbox':
        return 'Checkbox (unchecked by default)';
      case 'Picklist':
        return `Picklist: ${(spec.options ?? []).join(', ')}`;
      default:
        return String(c.type);
    }
  }

  refuses(spec: FieldSpec): string | undefined {
    if (!spec.name.endsWith('__c'))
      return `a standard field, which every ${spec.object} has: check its name in the config (custom fields end in __c)`;
    if (!CUSTOM_NAME.test(spec.name) || spec.name.length > 43)
      return 'not a custom field name (a letter, then at most 40 letters, digits and single underscores, then __c)';
    if (spec.kind === 'picklist' && (spec.options ?? []).length === 0)
      return 'a picklist with no values: give its mapping a value map';
    return undefined;
  }

  conflict(spec: FieldSpec, field: FieldDescription): string | undefined {
    if (!HOLDS[spec.kind].includes(field.type))
      return `is a ${field.type} field, and crm-bridge writes ${spec.kind === 'picklist' ? 'picklist' : spec.kind} values to it`;
    if (spec.unique && field.length !== undefined && field.length > 0 && field.length < (spec.length ?? 0))
      return `holds ${field.length} characters, and a twin id needs ${String(spec.length)}`;
    return undefined;
  }

  alsoDoes(create: readonly FieldSpec[]): readonly string[] {
    if (create.length === 0) return [];
    return [
      `permission set ${PERMISSION_SET.fullName}: read and edit on every custom field the config writes, assigned to the API user`,
    ];
  }

  async apply(create: readonly FieldSpec[], all: readonly FieldSpec[]): Promise<SetupOutcome> {
    const created: { spec: FieldSpec; as: string }[] = [];
    const found: FieldSpec[] = [];
    const steps: string[] = [];
    const failures: SetupFailure[] = [];
    try {
      for (let i = 0; i < create.length; i += PER_CALL) {
        const part = create.slice(i, i + PER_CALL);
        const results = await this.#metadata((m) => m.create('CustomField', part.map(customFieldOf)));
        part.forEach((spec, k) => {
          const result = results[k];
          const codes = (result?.errors ?? []).map((e) => e.statusCode ?? e.errorCode);
          if (result?.success) created.push({ spec, as: this.as(spec) });
          else if (codes.includes('DUPLICATE_DEVELOPER_NAME')) found.push(spec);
          else
            failures.push({
              spec,
              message: `Salesforce refused ${spec.object}.${spec.name}: ${describeErrors(result)}`,
              fix: 'create the field by hand (Setup → Object Manager), or fix what Salesforce names',
            });
        });
      }
      const refused = new Set(failures.map((f) => f.spec));
      const granted = all.filter((s) => s.name.endsWith('__c') && !refused.has(s));
      if (granted.length > 0) steps.push(...(await this.#grant(granted)));
    } catch (error) {
      const denied = metadataDenied(error);
      if (denied !== undefined) failures.push(denied);
      else if (error instanceof ConnectorFailure && !error.retryable && error.kind !== 'auth')
        failures.push({
          message: error.message,
          fix: `grant the API user read and edit on the fields by hand (a permission set assigned to it), then run crm-bridge check`,
        });
      else throw error;
    }
    return { created, found, steps, failures };
  }

  /** Upserts the permission set with every field, and assigns it to the API user unless it already is. */
  async #grant(fields: readonly FieldSpec[]): Promise<string[]> {
    const [result] = await this.#metadata((m) =>
      m.upsert('PermissionSet', [
        {
          ...PERMISSION_SET,
          description: 'Read and edit on the custom fields crm-bridge writes.',
          fieldPermissions: fields.map((s) => ({
            field: `${s.object}.${s.name}`,
            readable: true,
            editable: true,
          })),
        },
      ]),
    );
    if (!result?.success)
      throw new ConnectorFailure({
        kind: 'invalid',
        message: `Salesforce refused the permission set ${PERMISSION_SET.fullName}: ${describeErrors(result)}`,
      });
    const steps = [
      `${result.created ? 'created' : 'updated'} the permission set ${PERMISSION_SET.fullName}: read and edit on ${fields.length} fields`,
    ];
    const user = await this.#metadata((m) => m.identity());
    const set = await this.#session.call((c) =>
      c.query(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET.fullName)}`, {
        scanAll: false,
      }),
    );
    const setId = set.records[0]?.Id;
    if (typeof setId !== 'string')
      throw new ConnectorFailure({
        kind: 'not-found',
        message: `the permission set ${PERMISSION_SET.fullName} was saved but cannot be found`,
      });
    const [assigned] = await this.#session.call((c) =>
      c.create('PermissionSetAssignment', [{ AssigneeId: user.userId, PermissionSetId: setId }]),
    );
    const codes = (assigned?.errors ?? []).map((e) => e.statusCode ?? e.errorCode);
    if (assigned?.success) steps.push(`assigned it to the API user ${user.username}`);
    else if (codes.includes('DUPLICATE_VALUE')) steps.push(`it is assigned to the API user ${user.username}`);
    else
      throw new ConnectorFailure({
        kind: 'invalid',
        message: `Salesforce refused to assign ${PERMISSION_SET.fullName} to ${user.username}: ${(assigned?.errors ?? []).map((e) => e.message).join('; ')}`,
      });
    return steps;
  }

  #metadata<T>(run: (api: SalesforceMetadataApi) => Promise<T>): Promise<T> {
    return this.#session.call((client: SalesforceClient) => {
      if (client.metadata === undefined) throw new Error('this Salesforce client has no Metadata API');
      return run(client.metadata);
    });
  }
}

function describeErrors(result: MetadataResult | undefined): string {
  const errors = result?.errors ?? [];
  if (errors.length === 0) return 'no reason given';
  return errors.map((e) => `${e.statusCode ?? e.errorCode ?? 'ERROR'}: ${e.message}`).join('; ');
}

/** The failure of a user the Metadata API refuses (no Modify Metadata or Modify All Data), or undefined. */
function metadataDenied(error: unknown): SetupFailure | undefined {
  if (!(error instanceof ConnectorFailure)) return undefined;
  const code = (error.code ?? '').replace(/^sf:/, '');
  if (code !== 'INSUFFICIENT_ACCESS' && code !== 'INSUFFICIENT_ACCESS_OR_READONLY') return undefined;
  return {
    message: `Salesforce does not let the API user change the org's setup (${code}): ${error.message}`,
    fix: 'give the integration user the "Modify Metadata Through Metadata API Functions" or "Customize Application" permission (Setup → Users → its profile or a permission set), or run crm-bridge setup --apply with an admin\'s credentials',
  };
}
