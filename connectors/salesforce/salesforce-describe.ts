import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { FieldDescription, ObjectSchema } from '../../src/connector/types.ts';
import type { DescribeField, DescribeResult } from './salesforce-client.ts';

/**
 * Describe results, fetched once per object and kept for the connector's life. Every object and field name that
 * goes into SOQL or a write is checked here first, so record data can never name a column.
 */
export class DescribeCache {
  readonly #load: (object: string) => Promise<DescribeResult>;
  readonly #cache = new Map<string, Promise<Described>>();

  constructor(load: (object: string) => Promise<DescribeResult>) {
    this.#load = load;
  }

  /** Forgets every description: the next use of an object describes it again (fields an admin added since). */
  forget(): void {
    this.#cache.clear();
  }

  /** The object's description; a failed load is not cached. */
  get(object: string): Promise<Described> {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(object)) {
      return Promise.reject(
        new ConnectorFailure({
          kind: 'invalid',
          code: 'INVALID_TYPE',
          message: `not a Salesforce object name: ${object}`,
        }),
      );
    }
    let found = this.#cache.get(object);
    if (!found) {
      found = this.#load(object).then((result) => new Described(result));
      found.catch(() => this.#cache.delete(object));
      this.#cache.set(object, found);
    }
    return found;
  }
}

/** One object's describe, indexed by field name (case-insensitively, as Salesforce matches names). */
export class Described {
  readonly name: string;
  readonly #fields = new Map<string, DescribeField>();
  readonly raw: DescribeResult;

  constructor(result: DescribeResult) {
    this.raw = result;
    this.name = result.name;
    for (const f of result.fields) this.#fields.set(f.name.toLowerCase(), f);
  }

  field(name: string): DescribeField | undefined {
    return this.#fields.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  /** The field's canonical name; throws `invalid` when the object has no such field. */
  checked(name: string): string {
    const field = this.field(name);
    if (!field) {
      throw new ConnectorFailure({
        kind: 'invalid',
        code: 'INVALID_FIELD',
        fields: [name],
        message: `${this.name} has no field ${JSON.stringify(name)} (checked against describe)`,
      });
    }
    return field.name;
  }

  schema(): ObjectSchema {
    return { object: this.name, fields: this.raw.fields.map(toDescription) };
  }
}

function toDescription(f: DescribeField): FieldDescription {
  const required = !f.nillable && f.createable && f.defaultedOnCreate !== true && f.type !== 'boolean';
  const picklist = f.type === 'picklist' || f.type === 'multipicklist';
  return {
    name: f.name,
    type: f.type,
    ...(f.label !== undefined ? { label: f.label } : {}),
    ...(f.length ? { length: f.length } : {}),
    required,
    writable: f.createable || f.updateable,
    ...(picklist
      ? {
          picklist: (f.picklistValues ?? []).map((p) => ({
            value: p.value,
            active: p.active,
            ...(typeof p.label === 'string' ? { label: p.label } : {}),
          })),
        }
      : {}),
  };
}
