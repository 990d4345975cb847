import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readExternal } from '../../cli/explain-record.ts';
import { ANALYTICS_SOURCES } from '../../connectors/hubspot/standard-options.ts';
import { loadProject } from '../../src/config/load.ts';
import type { ValueMap } from '../../src/config/schema.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { type Classification, classify } from '../../src/policy/index.ts';

/**
 * One person, one verdict: the same person written as a raw Salesforce Lead, a raw Salesforce Contact with its
 * Account, and a raw HubSpot contact with its company, each read through config/example.yaml's field mappings by
 * explain's own reader, gets the same lead type, stage, temperature and sales-readiness from the default policy.
 *
 * Generated people hold only what all three records can hold: a Salesforce Contact has no Lead Status (so no rep
 * acceptance), HubSpot has no "Phone Inquiry" or "Purchased List" source, and a Lead has no account type.
 */
const loaded = await loadProject('config/example.yaml');
if (!loaded.ok) throw new Error('config/example.yaml is invalid');
const project = loaded.value;
const { config } = project;
const policy = project.policy;
if (policy === undefined) throw new Error('config/example.yaml names no policy');
const mapping = compileMapping(config);
const NOW = Date.parse('2025-01-15T00:00:00Z');

type System = 'sf' | 'hs';
type Fields = Record<string, unknown>;

/** The value a system stores for a unified value, through the config's own value map (any inbound alias). */
function external(map: string, unified: string, system: System, alias = 0): unknown {
  const entry = (config.valueMaps[map] as ValueMap)[unified];
  const target = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry[system] : entry;
  const aliases = Array.isArray(target) ? target : [target];
  return aliases[alias % aliases.length];
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const EVENTS = [
  'Newsletter signup',
  'E-book: CRM hygiene',
  'Pricing whitepaper',
  'Webinar: pipeline reviews',
  'Request a demo',
  'Start free trial',
  'Contact sales',
  'Website chat',
  'LinkedIn lead form',
  'Contact form',
];

const personFacts = fc.record({
  email: fc.constantFrom('ada@acme.example.com', 'grace@example.org', 'joe@yourcompany.example'),
  lastName: fc.constantFrom('Lovelace', 'Hopper', 'Okafor'),
  title: optional(
    fc.oneof(
      fc.constantFrom('CEO', 'VP Sales', 'Head of RevOps', 'Director of IT', 'Marketing Manager'),
      fc.constantFrom('Engineer', 'Student', 'Marketing Intern', '  CTO '),
      fc.string({ maxLength: 12 }),
    ),
  ),
  country: optional(fc.constantFrom('US', 'United States', 'Canada', 'uk', 'Germany', 'Brazil', 'India')),
  industry: optional(fc.constantFrom('technology', 'finance', 'healthcare', 'education', 'retail', 'media')),
  employees: optional(fc.integer({ min: 1, max: 20_000 })),
  annualRevenue: optional(fc.integer({ min: 0, max: 90_000_000 })),
  companyOnContact: fc.boolean(),
  source: optional(fc.constantFrom(...ANALYTICS_SOURCES)),
  sourceAlias: fc.nat(5),
  lifecycleStage: optional(
    fc.constantFrom('lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'other'),
  ),
  events: fc.array(fc.constantFrom(...EVENTS), { maxLength: 2 }),
  extraConversions: fc.nat(3),
  pageViews: optional(fc.integer({ min: 0, max: 60 })),
  activeDaysAgo: optional(fc.integer({ min: 0, max: 200 })),
  emailOptOut: optional(fc.boolean()),
  budget: optional(fc.integer({ min: 0, max: 200_000 })),
  authority: optional(fc.boolean()),
  need: optional(fc.constantFrom('duplicates', 'two CRMs', 'none', 'no', '')),
  timeline: optional(fc.constantFrom('now', 'this quarter', 'within 2 months', 'next year', 'not now')),
  opportunities: fc.array(
    fc.constantFrom('prospecting', 'qualification', 'proposal', 'closedWon', 'closedLost'),
    { maxLength: 2 },
  ),
});
type Person = typeof personFacts extends fc.Arbitrary<infer T> ? T : never;

/** Salesforce sends JSON values; HubSpot sends every property as a string. */
const hsText = (value: unknown) => (value === undefined ? undefined : String(value));
const defined = (fields: Fields): Fields =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

/** The unified lead source HubSpot's original source is read as, and what the sync writes to Salesforce for it. */
function salesforceSource(p: Person): unknown {
  if (p.source === undefined) return undefined;
  const read = mapping.toUnified('person', 'hs', 'contacts', {
    id: 'x',
    fields: { hs_analytics_source: p.source },
  });
  if (!read.ok || typeof read.value.leadSource !== 'string') throw new Error(`cannot read ${p.source}`);
  return external('leadSource', read.value.leadSource, 'sf');
}

function conversions(p: Person, system: System): Fields {
  const [first, recent = first] = p.events;
  const count = p.events.length === 0 ? undefined : p.events.length + p.extraConversions;
  const active =
    p.activeDaysAgo === undefined ? undefined : new Date(NOW - p.activeDaysAgo * 86_400_000).toISOString();
  return system === 'sf'
    ? {
        First_Conversion__c: first,
        Recent_Conversion__c: recent,
        Conversion_Count__c: count,
        Page_Views__c: p.pageViews,
        Last_Engagement__c: active,
      }
    : {
        first_conversion_event_name: first,
        recent_conversion_event_name: recent,
        num_conversion_events: hsText(count),
        hs_analytics_num_page_views: hsText(p.pageViews),
        hs_last_sales_activity_timestamp: active,
      };
}

function bant(p: Person, system: System): Fields {
  return system === 'sf'
    ? {
        Budget__c: p.budget,
        Is_Decision_Maker__c: p.authority,
        Pain_Point__c: p.need,
        Purchase_Timeline__c: p.timeline,
        HasOptedOutOfEmail: p.emailOptOut,
      }
    : {
        budget: hsText(p.budget),
        is_decision_maker: hsText(p.authority),
        pain_point: p.need,
        purchase_timeline: p.timeline,
        crm_bridge_email_opt_out: hsText(p.emailOptOut),
      };
}

function opportunities(p: Person, system: System): { fields: Fields }[] {
  return p.opportunities.map((stage, i) => {
    const closed = stage === 'closedWon' || stage === 'closedLost';
    const won = stage === 'closedWon';
    const value = external('opportunityStage', stage, system);
    return system === 'sf'
      ? { fields: { Name: `Deal ${i}`, StageName: value, IsClosed: closed, IsWon: won } }
      : {
          fields: {
            dealname: `Deal ${i}`,
            dealstage: value,
            hs_is_closed: String(closed),
            hs_is_closed_won: String(won),
          },
        };
  });
}

function asLead(p: Person): Fields {
  return {
    connection: 'sf',
    object: 'Lead',
    fields: defined({
      Email: p.email,
      LastName: p.lastName,
      Company: 'Acme',
      Title: p.title,
      Country: p.country,
      Industry: p.industry && external('industry', p.industry, 'sf'),
      NumberOfEmployees: p.employees,
      AnnualRevenue: p.annualRevenue,
      LeadSource: salesforceSource(p),
      Lifecycle_Stage__c: p.lifecycleStage && external('lifecycle', p.lifecycleStage, 'sf'),
      ...conversions(p, 'sf'),
      ...bant(p, 'sf'),
    }),
    opportunities: opportunities(p, 'sf'),
  };
}

function asContact(p: Person): Fields {
  const lead = asLead(p).fields as Fields;
  const { Company, Country, Industry, NumberOfEmployees, AnnualRevenue, ...person } = lead;
  return {
    connection: 'sf',
    object: 'Contact',
    fields: defined({ ...person, MailingCountry: Country, AccountId: '001000000000001AAA' }),
    account: {
      fields: defined({ Name: 'Acme', Industry, NumberOfEmployees, AnnualRevenue }),
    },
    opportunities: opportunities(p, 'sf'),
  };
}

function asHubSpot(p: Person): Fields {
  const industry = p.industry && external('industry', p.industry, 'hs', p.sourceAlias);
  const company = defined({
    industry,
    crm_bridge_employees: hsText(p.employees),
    annualrevenue: hsText(p.annualRevenue),
  });
  return {
    connection: 'hs',
    object: 'contacts',
    fields: defined({
      email: p.email,
      lastname: p.lastName,
      jobtitle: p.title,
      country: p.country,
      hs_analytics_source: p.source,
      lifecyclestage: p.lifecycleStage && external('lifecycle', p.lifecycleStage, 'hs'),
      associatedcompanyid: '9001',
      ...(p.companyOnContact ? company : {}),
      ...conversions(p, 'hs'),
      ...bant(p, 'hs'),
    }),
    account: {
      fields: p.companyOnContact
        ? { name: 'Acme' }
        : defined({
            name: 'Acme',
            industry,
            numberofemployees: company.crm_bridge_employees,
            annualrevenue: company.annualrevenue,
          }),
    },
    opportunities: opportunities(p, 'hs'),
  };
}

/** The verdict a user reads: what the person is, where they stand, how warm, whether sales should call. */
function verdict(
  record: Fields,
  through = project,
): Pick<Classification, 'leadType' | 'stage' | 'temperature' | 'salesReady'> {
  const input = readExternal(record, through, 'generated');
  if (!input.ok) throw new Error(input.problems.join('\n'));
  const { person, account, opportunities } = input.value;
  const result = classify(person, account, opportunities, policy as NonNullable<typeof policy>, {
    now: NOW,
    trace: false,
  });
  return {
    leadType: result.leadType,
    stage: result.stage,
    temperature: result.temperature,
    salesReady: result.salesReady,
  };
}

describe('one person, one verdict', () => {
  it('classifies a person identically as a raw Salesforce Lead, Contact (+ Account) and HubSpot contact (+ company)', () => {
    const seen = {
      stages: new Set<string>(),
      types: new Set<string | null>(),
      temperatures: new Set<string>(),
      salesReady: new Set<boolean>(),
    };
    fc.assert(
      fc.property(personFacts, (p) => {
        const lead = verdict(asLead(p));
        expect(verdict(asContact(p))).toEqual(lead);
        expect(verdict(asHubSpot(p))).toEqual(lead);
        seen.stages.add(lead.stage);
        seen.types.add(lead.leadType);
        seen.temperatures.add(lead.temperature);
        seen.salesReady.add(lead.salesReady);
      }),
      { numRuns: 1000, seed: 20250115 },
    );
    // The generated people must reach the interesting verdicts, or the property says little.
    expect(seen.stages.size).toBeGreaterThanOrEqual(6);
    // SQL needs a rep's Lead Status and MSRL a purchased list, which not all three records hold.
    expect(seen.types).toEqual(new Set([null, 'IQL', 'MQL', 'SRL']));
    expect(seen.temperatures.size).toBe(3);
    expect(seen.salesReady).toEqual(new Set([true, false]));
  });
});

/*
 * The same through config/example.pipedrive.yaml: a raw Pipedrive person with its organization and deals, and a raw
 * HubSpot contact with its company and deals. A Pipedrive person holds no country and no original source (an
 * organization holds the company's facts), so the generated people hold neither; both CRMs hold a rep's Lead Status.
 */
const pipedriveLoaded = await loadProject('config/example.pipedrive.yaml');
if (!pipedriveLoaded.ok) throw new Error('config/example.pipedrive.yaml is invalid');
const pipedriveProject = pipedriveLoaded.value;
const pipedriveConfig = pipedriveProject.config;

/** The value a system stores for a unified value, through config/example.pipedrive.yaml's value map. */
function pipedriveValue(map: string, unified: string, system: 'pd' | 'hs'): unknown {
  const entry = (pipedriveConfig.valueMaps[map] as ValueMap)[unified];
  const target = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry[system] : entry;
  return Array.isArray(target) ? target[0] : target;
}

const pipedrivePeople = fc
  .tuple(personFacts, optional(fc.constantFrom('new', 'working', 'unqualified')))
  .map(([p, leadStatus]) => ({
    ...p,
    country: undefined,
    source: undefined,
    emailOptOut: undefined,
    leadStatus,
  }));
type PipedrivePerson = typeof pipedrivePeople extends fc.Arbitrary<infer T> ? T : never;

/** A deal of each kind as each CRM holds it: Pipedrive keeps a won deal in its last stage, with status won. */
function pipedriveDeals(p: PipedrivePerson, system: 'pd' | 'hs'): { fields: Fields }[] {
  return p.opportunities.map((stage, i) => {
    const closed = stage === 'closedWon' || stage === 'closedLost';
    if (system === 'hs')
      return {
        fields: {
          dealname: `Deal ${i}`,
          dealstage: pipedriveValue('opportunityStage', stage, 'hs'),
          hs_is_closed: String(closed),
          hs_is_closed_won: String(stage === 'closedWon'),
        },
      };
    return {
      fields: {
        title: `Deal ${i}`,
        stage_id: closed ? 'Proposal Made' : pipedriveValue('opportunityStage', stage, 'pd'),
        status: stage === 'closedWon' ? 'won' : stage === 'closedLost' ? 'lost' : 'open',
      },
    };
  });
}

function asPipedrivePerson(p: PipedrivePerson): Fields {
  const [first, recent = first] = p.events;
  const count = p.events.length === 0 ? undefined : p.events.length + p.extraConversions;
  const active =
    p.activeDaysAgo === undefined ? undefined : new Date(NOW - p.activeDaysAgo * 86_400_000).toISOString();
  return {
    connection: 'pd',
    object: 'persons',
    fields: defined({
      email: p.email,
      name: p.lastName,
      job_title: p.title,
      'Lead status': p.leadStatus && pipedriveValue('leadStatus', p.leadStatus, 'pd'),
      'First conversion': first,
      'Recent conversion': recent,
      'Conversion count': count,
      'Page views': p.pageViews,
      'Last engagement': active,
      org_id: 7,
      Budget: p.budget,
      'Decision maker': p.authority,
      'Pain point': p.need,
      'Purchase timeline': p.timeline,
      'Lifecycle stage': p.lifecycleStage && pipedriveValue('lifecycle', p.lifecycleStage, 'pd'),
    }),
    account: {
      fields: defined({
        name: 'Acme',
        industry: p.industry && pipedriveValue('industry', p.industry, 'pd'),
        employee_count: p.employees,
        annual_revenue: p.annualRevenue,
      }),
    },
    opportunities: pipedriveDeals(p, 'pd'),
  };
}

function asPipedriveHubSpot(p: PipedrivePerson): Fields {
  const hubspot = asHubSpot({ ...p, companyOnContact: false });
  const { hs_analytics_source: _, ...fields } = hubspot.fields as Fields;
  return {
    ...hubspot,
    fields: defined({
      ...fields,
      hs_lead_status: p.leadStatus && pipedriveValue('leadStatus', p.leadStatus, 'hs'),
      lifecyclestage: p.lifecycleStage && pipedriveValue('lifecycle', p.lifecycleStage, 'hs'),
      industry: undefined,
    }),
    account: {
      fields: defined({
        name: 'Acme',
        industry: p.industry && pipedriveValue('industry', p.industry, 'hs'),
        numberofemployees: hsText(p.employees),
        annualrevenue: hsText(p.annualRevenue),
      }),
    },
    opportunities: pipedriveDeals(p, 'hs'),
  };
}

describe('one person, one verdict, with Pipedrive', () => {
  it('classifies a person identically as a raw Pipedrive person (+ organization) and HubSpot contact (+ company)', () => {
    const seen = {
      stages: new Set<string>(),
      types: new Set<string | null>(),
      salesReady: new Set<boolean>(),
    };
    fc.assert(
      fc.property(pipedrivePeople, (p) => {
        const person = verdict(asPipedrivePerson(p), pipedriveProject);
        expect(verdict(asPipedriveHubSpot(p), pipedriveProject)).toEqual(person);
        seen.stages.add(person.stage);
        seen.types.add(person.leadType);
        seen.salesReady.add(person.salesReady);
      }),
      { numRuns: 1000, seed: 20250115 },
    );
    // The generated people reach every lead type, and a rep's Lead Status (held by both CRMs) makes SQLs.
    expect(seen.stages.size).toBeGreaterThanOrEqual(5);
    expect(seen.types).toEqual(new Set([null, 'IQL', 'MQL', 'SQL', 'SRL']));
    // A Pipedrive person holds no country, and fit needs one: from these records alone, no one is sales-ready.
    expect(seen.salesReady).toEqual(new Set([false]));
  });
});
