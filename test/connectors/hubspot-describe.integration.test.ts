import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HubSpotConnection } from '../../connectors/hubspot/connection.ts';
import { createHubSpotConnector } from '../../connectors/hubspot/index.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import { resolveConnection } from '../../src/config/resolve.ts';
import type { ObjectSchema } from '../../src/connector/types.ts';
import { isAssociation } from '../../src/mapping/associations.ts';

interface ExampleConfig {
  objects: Record<string, { hs?: string; twinId?: { hs?: string }; fields: Record<string, unknown>[] }>;
  valueMaps: Record<string, Record<string, unknown>>;
}

/** The fields a mapping names (associations, `@<type>`, are read with each page, not described as fields). */
const names = (value: unknown): string[] =>
  typeof value === 'string'
    ? isAssociation(value)
      ? []
      : [value]
    : Array.isArray(value)
      ? value.map(String)
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap(names)
        : [];

/** The HubSpot value each entry of a value map writes: `{ hs: X }`, the first of `{ hs: [X, Y] }`, or one for all. */
const hubspotWrites = (map: Record<string, unknown>): string[] =>
  Object.entries(map).flatMap(([key, entry]) => {
    // A map's settings (its inbound fallback, passthrough) are no values.
    if (key === 'fallback' || key === 'passthrough') return [];
    const target =
      typeof entry === 'object' && entry !== null && !Array.isArray(entry)
        ? (entry as Record<string, unknown>).hs
        : entry;
    return names(target).slice(0, 1);
  });

/** Fields whose values crm-bridge never writes to HubSpot: the other values their maps list are only read. */
const READ_ONLY_RULES = new Set(['none', 'one-way:hs->sf']);

describe('hubspot describe, against config/example.yaml', () => {
  let sandbox: HubSpotSandbox;
  let connector: ReturnType<typeof createHubSpotConnector>;
  beforeAll(async () => {
    // A portal set up for the example config: a new one lacks its custom properties.
    sandbox = await HubSpotSandbox.start({ customProperties: EXAMPLE_CUSTOM_PROPERTIES });
    // Wired the way the CLI wires it: the config's env references resolved from the environment.
    const connection = HubSpotConnection.parse({
      system: 'hubspot',
      accessToken: 'env:HUBSPOT_ACCESS_TOKEN',
      tier: 'starter',
    });
    connector = createHubSpotConnector(
      resolveConnection(connection, { HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: SANDBOX_TOKEN }),
    );
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('knows every HubSpot property the example config maps, and every value its value maps write', async () => {
    const config = parse(await readFile('config/example.yaml', 'utf8')) as ExampleConfig;
    const problems: string[] = [];
    for (const entity of Object.values(config.objects)) {
      if (!entity.hs) continue;
      const schema: ObjectSchema = await connector.describe(entity.hs);
      for (const field of entity.fields) {
        for (const name of names(field.hs)) {
          const described = schema.fields.find((f) => f.name === name);
          if (!described) {
            problems.push(`${entity.hs}.${name} is unknown`);
            continue;
          }
          const map = typeof field.values === 'string' ? config.valueMaps[field.values] : undefined;
          if (!map || !described.picklist || READ_ONLY_RULES.has(String(field.rule))) continue;
          const allowed = described.picklist.map((p) => p.value);
          for (const value of hubspotWrites(map)) {
            if (!allowed.includes(value)) problems.push(`${entity.hs}.${name} has no option ${value}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('sets up exactly the custom properties the example config writes', async () => {
    const config = parse(await readFile('config/example.yaml', 'utf8')) as ExampleConfig;
    for (const [type, customs] of Object.entries(EXAMPLE_CUSTOM_PROPERTIES)) {
      const mapped = Object.values(config.objects)
        .filter((entity) => entity.hs === type)
        .flatMap((entity) => [
          ...entity.fields.filter((f) => !READ_ONLY_RULES.has(String(f.rule))).flatMap((f) => names(f.hs)),
          // The twin id property, written on every object of the entity.
          ...(entity.twinId?.hs === undefined ? [] : [entity.twinId.hs]),
        ]);
      const schema = await connector.describe(type);
      const custom = schema.fields.filter((f) => customs.some((c) => c.name === f.name));
      expect(custom.map((f) => f.name).sort()).toEqual(customs.map((c) => c.name).sort());
      for (const c of customs) expect(mapped).toContain(c.name);
    }
  });

  it('describes types, writability, options and the deal pipeline stages, fetching each once', async () => {
    const contacts = await connector.describe('contacts');
    expect(contacts.fields.find((f) => f.name === 'email')).toMatchObject({ type: 'string', writable: true });
    expect(contacts.fields.find((f) => f.name === 'hs_object_id')).toMatchObject({ writable: false });
    expect(contacts.fields.find((f) => f.name === 'lifecyclestage')?.picklist?.map((p) => p.value)).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    const deals = await connector.describe('deals');
    expect(deals.fields.find((f) => f.name === 'dealstage')?.picklist?.map((p) => p.value)).toContain(
      'closedwon',
    );
    const pipelines = await connector.pipelines();
    expect(pipelines[0]?.stages.map((s) => s.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    const before = sandbox.calls();
    await connector.describe('contacts');
    await connector.describe('deals');
    expect(sandbox.calls()).toBe(before);
  });
});
