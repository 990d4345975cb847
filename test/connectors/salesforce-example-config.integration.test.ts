import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_CUSTOM_FIELDS,
  EXAMPLE_ORG,
  type SalesforceSandboxOptions,
} from '../../sandboxes/salesforce/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { type BridgeConfig, VALUE_MAP_SETTINGS } from '../../src/config/schema.ts';
import type { ObjectSchema } from '../../src/connector/types.ts';
import { isAssociation } from '../../src/mapping/associations.ts';
import { type SalesforceRig, startRig } from './salesforce-harness.ts';

const list = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : [];

/** (object, field, value map) for every Salesforce field the example config maps, its twin id fields too. */
function mappedFields(config: BridgeConfig): { object: string; field: string; values?: string }[] {
  const out: { object: string; field: string; values?: string }[] = [];
  for (const mapping of Object.values(config.objects)) {
    if (!mapping) continue;
    const objects = list(mapping.sf);
    // The twin id field is written on every object of the entity.
    const twin = mapping.twinId?.sf;
    if (twin !== undefined) for (const object of objects) out.push({ object, field: twin });
    for (const field of mapping.fields) {
      const sf = (field as Record<string, unknown>).sf;
      if (sf === undefined) continue;
      const byObject =
        typeof sf === 'object' && !Array.isArray(sf)
          ? Object.entries(sf as Record<string, unknown>)
          : objects.map((o) => [o, sf] as const);
      for (const [object, names] of byObject) {
        // Associations (`@<type>`) are read with each page, not described as fields.
        for (const name of list(names).filter((n) => !isAssociation(n)))
          out.push({ object, field: name, ...(field.values ? { values: field.values } : {}) });
      }
    }
  }
  return out;
}

/** What the example config maps on an org that describe does not know: missing fields and picklist values. */
async function gaps(rig: SalesforceRig, config: BridgeConfig): Promise<string[]> {
  const schemas = new Map<string, ObjectSchema>();
  const problems: string[] = [];
  const settings = new Set<string>(VALUE_MAP_SETTINGS);
  for (const { object, field, values } of mappedFields(config)) {
    if (!schemas.has(object)) schemas.set(object, await rig.connector.describe(object));
    const described = schemas.get(object)?.fields.find((f) => f.name === field);
    if (!described) {
      problems.push(`${object}.${field}: no such field`);
      continue;
    }
    if (!values || !described.picklist) continue;
    const active = new Set(described.picklist.filter((p) => p.active).map((p) => p.value));
    const entries = Object.entries(config.valueMaps[values] ?? {}).filter(([key]) => !settings.has(key));
    for (const [, entry] of entries) {
      const sf = typeof entry === 'object' && !Array.isArray(entry) ? entry.sf : entry;
      for (const value of list(sf))
        if (!active.has(value)) problems.push(`${object}.${field}: no value ${value}`);
    }
  }
  return problems;
}

describe('the example config against the Salesforce sandbox', () => {
  let config: BridgeConfig;
  let rig: SalesforceRig | undefined;
  beforeAll(async () => {
    const loaded = await loadConfig('config/example.yaml');
    if (!loaded.ok) throw new Error('config/example.yaml does not load');
    config = loaded.value;
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('maps only fields that describe knows, and only active picklist values, on the example org', async () => {
    rig = await startRig(EXAMPLE_ORG);
    expect(await gaps(rig, config)).toEqual([]);
    expect(mappedFields(config).length).toBeGreaterThan(50);
    // Describe is cached: asking again costs nothing.
    const described = rig.sandbox.calls('describe');
    expect(described).toBe(4);
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity']) await rig.connector.describe(object);
    expect(rig.sandbox.calls('describe')).toBe(described);
  });

  it('needs on a new org exactly what the example org adds', async () => {
    rig = await startRig();
    const mapped = new Set(mappedFields(config).map(({ object, field }) => `${object}.${field}`));
    const setup: SalesforceSandboxOptions = EXAMPLE_ORG;
    const values = Object.entries(setup.picklistValues ?? {})
      .filter(([name]) => mapped.has(name))
      .flatMap(([name, added]) => added.map((value) => `${name}: no value ${value}`));
    const fields = EXAMPLE_CUSTOM_FIELDS.map((f) => `${f.fullName}: no such field`);
    expect((await gaps(rig, config)).sort()).toEqual([...values, ...fields].sort());
  });
});
