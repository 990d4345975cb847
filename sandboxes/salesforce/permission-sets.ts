import type { MetadataError } from './custom-fields.ts';

/** One field's access in a permission set, as the Metadata API spells it. */
export interface FieldPermission {
  /** `Object.Field`, e.g. `Lead.Lead_Score__c`. */
  readonly field: string;
  readonly readable: boolean;
  readonly editable: boolean;
}

/**
 * A PermissionSet as the Metadata API's createMetadata takes it (jsforce `conn.metadata.create('PermissionSet', …)`),
 * limited to field permissions: how an admin tool lets the API user see the custom fields it created.
 */
export interface PermissionSetDefinition {
  /** The API name, e.g. `Crm_Bridge`. */
  readonly fullName: string;
  readonly label: string;
  readonly description?: string;
  readonly fieldPermissions?: readonly FieldPermission[];
}

/** A letter, then letters, digits and single underscores, not ending with one. */
const NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/;

/** Why the Metadata API would refuse the definition (empty when it would not). */
export function checkPermissionSet(
  definition: PermissionSetDefinition,
  org: { taken(name: string): boolean; fieldExists(name: string): boolean },
): MetadataError[] {
  const fail = (statusCode: string, message: string, field: string): MetadataError[] => [
    { statusCode, message, fields: [field] },
  ];
  const { fullName, label } = definition;
  if (!NAME.test(fullName) || fullName.length > 80) {
    return fail(
      'FIELD_INTEGRITY_EXCEPTION',
      `${fullName}: an API name starts with a letter and has only letters, digits and single underscores`,
      'fullName',
    );
  }
  if (!label) return fail('FIELD_INTEGRITY_EXCEPTION', 'Label: You must enter a value', 'label');
  if (org.taken(fullName)) {
    return fail(
      'DUPLICATE_DEVELOPER_NAME',
      `There is already a permission set named ${fullName}.`,
      'fullName',
    );
  }
  for (const p of definition.fieldPermissions ?? []) {
    if (!org.fieldExists(p.field)) {
      return fail(
        'INVALID_CROSS_REFERENCE_KEY',
        `In field: field - no CustomField named ${p.field} found`,
        'field',
      );
    }
    if (p.editable && !p.readable) {
      return fail(
        'FIELD_INTEGRITY_EXCEPTION',
        `Permission Edit on ${p.field} depends on permission Read, which is not granted`,
        'fieldPermissions',
      );
    }
  }
  return [];
}
