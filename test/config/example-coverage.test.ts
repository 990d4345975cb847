import { beforeAll, describe, expect, it } from 'vitest';
import * as hubspot from '../../connectors/hubspot/standard-options.ts';
import * as pipedrive from '../../connectors/pipedrive/standard-fields.ts';
import * as salesforce from '../../connectors/salesforce/standard-picklists.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { writesTo } from '../../src/config/semantics.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';
import { type CompiledMapping, compileMapping } from '../../src/mapping/index.ts';
import type { EntityName } from '../../src/model/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';

type Picklist = readonly [EntityName, string, string, string, string, readonly string[]];

/** Every standard picklist the example maps: where it is, the unified field, and a new org's or portal's values. */
const PICKLISTS: readonly Picklist[] = [
  ['person', 'sf', 'Lead', 'LeadSource', 'leadSource', salesforce.LEAD_SOURCES],
  ['person', 'sf', 'Contact', 'LeadSource', 'leadSource', salesforce.LEAD_SOURCES],
  ['person', 'sf', 'Lead', 'Status', 'leadStatus', salesforce.LEAD_STATUSES],
  ['person', 'sf', 'Lead', 'Rating', 'temperature', salesforce.RATINGS],
  ['person', 'sf', 'Lead', 'Industry', 'industry', salesforce.INDUSTRIES],
  ['person', 'sf', 'Lead', 'Salutation', 'salutation', salesforce.SALUTATIONS],
  ['person', 'sf', 'Contact', 'Salutation', 'salutation', salesforce.SALUTATIONS],
  ['account', 'sf', 'Account', 'Industry', 'industry', salesforce.INDUSTRIES],
  ['account', 'sf', 'Account', 'Type', 'type', salesforce.ACCOUNT_TYPES],
  ['opportunity', 'sf', 'Opportunity', 'StageName', 'stage', salesforce.OPPORTUNITY_STAGES],
  ['opportunity', 'sf', 'Opportunity', 'Type', 'type', salesforce.OPPORTUNITY_TYPES],
  ['person', 'hs', 'contacts', 'lifecyclestage', 'lifecycleStage', hubspot.LIFECYCLE_STAGES],
  ['person', 'hs', 'contacts', 'hs_lead_status', 'leadStatus', hubspot.LEAD_STATUSES],
  ['person', 'hs', 'contacts', 'hs_analytics_source', 'leadSource', hubspot.ANALYTICS_SOURCES],
  ['person', 'hs', 'contacts', 'industry', 'industry', hubspot.INDUSTRIES],
  ['account', 'hs', 'companies', 'industry', 'industry', hubspot.INDUSTRIES],
  ['account', 'hs', 'companies', 'type', 'type', hubspot.COMPANY_TYPES],
  ['opportunity', 'hs', 'deals', 'dealstage', 'stage', hubspot.DEFAULT_DEAL_STAGES],
  ['opportunity', 'hs', 'deals', 'dealtype', 'type', hubspot.DEAL_TYPES],
];

/**
 * The unified values with no counterpart in a connection, written there as nothing (a field issue): the only
 * gaps the example leaves, each because the other CRM has no such value.
 */
const NO_COUNTERPART: Readonly<Record<string, readonly string[]>> = {
  'account hs type': ['customer'],
  'account hs industry': ['other'],
  'person hs industry': ['other'],
};

const labels = (options: readonly { readonly label: string }[]) => options.map((o) => o.label);

/** A new Pipedrive company account's standard options, by label as the connector reads and writes them. */
const PIPEDRIVE_OPTIONS: readonly Picklist[] = [
  ['person', 'pd', 'persons', 'label_ids', 'rating', labels(pipedrive.CONTACT_LABELS)],
  ['account', 'pd', 'organizations', 'label_ids', 'type', labels(pipedrive.CONTACT_LABELS)],
  [
    'opportunity',
    'pd',
    'deals',
    'stage_id',
    'stage',
    labels(pipedrive.DEFAULT_PIPELINE.stages.map((s) => ({ label: s.name }))),
  ],
  ['opportunity', 'pd', 'deals', 'pipeline_id', 'pipeline', [pipedrive.DEFAULT_PIPELINE.name]],
  ['opportunity', 'pd', 'deals', 'status', 'isWon', labels(pipedrive.DEAL_STATUSES)],
  ['opportunity', 'pd', 'deals', 'status', 'isClosed', labels(pipedrive.DEAL_STATUSES)],
];

/**
 * Standard Pipedrive options neither example maps, each because crm-bridge's unified model has no field for it: a
 * deal's labels (Hot, Warm, Cold: a temperature of the deal, where the model has one only for people), who may see
 * a record (visible_to), and the labels of leads (leads are outside the unified entities).
 */
const PIPEDRIVE_UNMAPPED = [
  'deals.label_ids',
  'persons.visible_to',
  'organizations.visible_to',
  'deals.visible_to',
  'leads.label_ids',
  'leads.visible_to',
];

async function load(file: string): Promise<BridgeConfig> {
  const loaded = await loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.value;
}

const EXAMPLES: readonly {
  readonly file: string;
  readonly load: () => Promise<BridgeConfig>;
  readonly picklists: readonly Picklist[];
  readonly noCounterpart: Readonly<Record<string, readonly string[]>>;
}[] = [
  { file: 'config/example.yaml', load: exampleConfig, picklists: PICKLISTS, noCounterpart: NO_COUNTERPART },
  {
    file: 'config/example.pipedrive.yaml',
    load: () => load('config/example.pipedrive.yaml'),
    // HubSpot's deal type has no Pipedrive counterpart, and is left out.
    picklists: [
      ...PIPEDRIVE_OPTIONS,
      ...PICKLISTS.filter(([, connection, , field]) => connection === 'hs' && field !== 'dealtype'),
    ],
    // Pipedrive deals have no closed stages (a deal's status says won or lost); HubSpot has no CUSTOMER company
    // type and no "other" industry.
    noCounterpart: {
      'opportunity pd stage': ['closedWon', 'closedLost'],
      'account hs type': ['customer'],
      'account hs industry': ['other'],
    },
  },
  {
    file: 'config/example.sf-pipedrive.yaml',
    load: () => load('config/example.sf-pipedrive.yaml'),
    // Salesforce has no pipelines (Pipedrive puts a deal from Salesforce in its default one), and its Salutation
    // has no Pipedrive counterpart: both are left out.
    picklists: [
      ...PIPEDRIVE_OPTIONS.filter(([, , , field]) => field !== 'pipeline_id'),
      ...PICKLISTS.filter(([, connection, , field]) => connection === 'sf' && field !== 'Salutation'),
    ],
    noCounterpart: { 'opportunity pd stage': ['closedWon', 'closedLost'] },
  },
];

describe.each(EXAMPLES)('$file against a new org, portal or company account', (example) => {
  let config: BridgeConfig;
  let mapping: CompiledMapping;
  beforeAll(async () => {
    config = await example.load();
    mapping = compileMapping(config);
  });

  it.each(example.picklists)(
    'reads every standard %s value of %s %s.%s',
    (entity, connection, object, field, unified, values) => {
      const unread = values.filter((value) => {
        const result = mapping.toUnified(entity, connection, object, {
          id: 'r1',
          fields: { [field]: value },
        });
        return !result.ok || (result.value as Record<string, unknown>)[unified] == null;
      });
      expect(unread).toEqual([]);
    },
  );

  it.each(example.picklists)(
    'writes to %s %s %s.%s only standard values, or nothing where there is no counterpart',
    (entity, connection, object, field, unified, values) => {
      const mapping_ = config.objects[entity]?.fields.find((f) => f.unified === unified);
      // A field never written to this connection (one-way from it) needs no value there.
      if (mapping_ === undefined || !writesTo(mapping_.rule, connection)) return;
      const mapName = mapping_.values as string;
      const map = config.valueMaps[mapName] ?? {};
      const unifiedValues = Object.keys(map).filter((k) => k !== 'fallback' && k !== 'passthrough');
      const missing: string[] = [];
      for (const value of unifiedValues) {
        const result = mapping.toExternal(entity, connection, object, {
          kind: 'lead',
          [unified]: value,
        } as never);
        if (!result.ok) missing.push(value);
        else expect(values, `${mapName}.${value}`).toContain(result.value[field]);
      }
      expect(missing).toEqual(example.noCounterpart[`${entity} ${connection} ${unified}`] ?? []);
    },
  );

  // Only the examples that read Salesforce Leads have a Lead Source to read.
  if (example.picklists.some(([, , object, field]) => object === 'Lead' && field === 'LeadSource'))
    it('reads a Lead Source an org added itself as other', () => {
      for (const value of ['Webinar', 'Trade Show', 'Content Download', 'Demo Request']) {
        const result = mapping.toUnified('person', 'sf', 'Lead', { id: 'r1', fields: { LeadSource: value } });
        expect(result).toMatchObject({ ok: true, value: { leadSource: 'other' } });
      }
    });
});

describe('the Pipedrive examples', () => {
  it('map every option field of a new company account, but those the unified model has no field for', () => {
    const optionFields = Object.entries(pipedrive.STANDARD_FIELDS).flatMap(([object, fields]) =>
      fields.filter((f) => (f.options?.length ?? 0) > 0).map((f) => `${object}.${f.key}`),
    );
    // Stages, pipelines and lead labels are listed by their own endpoints; the connector makes them options.
    const all = [...optionFields, 'deals.stage_id', 'deals.pipeline_id', 'leads.label_ids'];
    const covered = PIPEDRIVE_OPTIONS.map(([, , object, field]) => `${object}.${field}`);
    expect(all.filter((f) => !covered.includes(f)).sort()).toEqual([...PIPEDRIVE_UNMAPPED].sort());
  });

  it('read a Pipedrive industry the map does not name, free text there, as other', async () => {
    for (const file of ['config/example.pipedrive.yaml', 'config/example.sf-pipedrive.yaml']) {
      const mapping = compileMapping(await load(file));
      const result = mapping.toUnified('account', 'pd', 'organizations', {
        id: 'r1',
        fields: { industry: 'Widgets' },
      });
      expect(result).toMatchObject({ ok: true, value: { industry: 'other' } });
    }
  });
});
