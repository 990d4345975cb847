import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';

/** A small valid config; each case below changes one thing in it. Line numbers matter: keep the layout. */
const BASE = `version: 1
connections:
  sf: { system: salesforce, accessToken: env:SALESFORCE_ACCESS_TOKEN }
  hs: { system: hubspot, accessToken: env:HUBSPOT_ACCESS_TOKEN }
sync:
  pair: [sf, hs]
  schedule: { every: 15m }
objects:
  person:
    sf: [Lead, Contact]
    hs: contacts
    fields:
      - { unified: email, sf: Email, hs: email, transform: [email] }
      - { unified: lastName, sf: LastName, hs: lastname, rule: prefer:sf }
      - { unified: lifecycleStage, sf: Lifecycle_Stage__c, hs: lifecyclestage, rule: policy, values: lifecycle }
valueMaps:
  lifecycle:
    lead: { sf: Lead, hs: lead }
    mql: { sf: MQL, hs: marketingqualifiedlead }
`;

function problems(text: string): string[] {
  const result = parseConfig(text, 'config.yaml');
  return result.ok ? [] : result.issues.map(formatIssue);
}

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`the base config has no ${JSON.stringify(from)}`);
  return BASE.replace(from, to);
}

describe('config validation', () => {
  it('accepts the base config', () => {
    expect(problems(BASE)).toEqual([]);
  });

  it.each([
    [
      'unknown field rule',
      edit('rule: prefer:sf', 'rule: twoway'),
      'config.yaml:14:64 objects.person.fields[1].rule: expected one of two-way, none, policy, prefer:sf, prefer:hs, always:sf, always:hs, one-way:sf->hs, one-way:hs->sf; got "twoway"',
    ],
    [
      'rule naming a system instead of a connection',
      edit('rule: prefer:sf', 'rule: prefer:salesforce'),
      'config.yaml:14:64 objects.person.fields[1].rule: expected one of two-way, none, policy, prefer:sf, prefer:hs, always:sf, always:hs, one-way:sf->hs, one-way:hs->sf; got "prefer:salesforce"',
    ],
    [
      'unknown system',
      edit('system: salesforce', 'system: salesforse'),
      'config.yaml:3:17 connections.sf.system: expected one of salesforce, hubspot, pipedrive; got "salesforse"',
    ],
    [
      'wrong type',
      edit('schedule: { every: 15m }', 'schedule: 15m'),
      'config.yaml:7:13 sync.schedule: expected a mapping; got "15m"',
    ],
    [
      'duplicate target field',
      edit('sf: LastName', 'sf: Email'),
      'config.yaml:14:34 objects.person.fields[1].sf: duplicate target field sf Email on Lead, Contact (already mapped by fields[0])',
    ],
    [
      'value map to nowhere',
      edit('values: lifecycle', 'values: lifecycl'),
      'config.yaml:15:102 objects.person.fields[2].values: unknown value map; expected one of lifecycle; got "lifecycl"',
    ],
    [
      'unknown transform',
      edit('transform: [email]', 'transform: [emial]'),
      'config.yaml:13:61 objects.person.fields[0].transform[0]: expected one of trim, lowercase, uppercase, email, phone, domainFromUrl, domainFromEmail, number, integer, boolean, date, datetime, emptyToNull, or one of phone, default, join, split, truncate with arguments; got "emial"',
    ],
    [
      'bad transform argument',
      edit('transform: [email]', 'transform: [{ phone: { defaultCallingCode: "+1" } }]'),
      'config.yaml:13:92 objects.person.fields[0].transform[0].phone.defaultCallingCode: expected 1 to 3 digits, e.g. "1" or "44"; got "+1"',
    ],
    [
      'bad YAML syntax',
      edit('    hs: contacts\n', '    hs: contacts\n   fields: [\n'),
      'config.yaml:12:1 invalid YAML: All mapping items must start at the same column',
    ],
    [
      'missing required key',
      edit('  pair: [sf, hs]\n', ''),
      'config.yaml:6:3 sync.pair: missing required key "pair"',
    ],
    [
      'secret written inline',
      edit('accessToken: env:HUBSPOT_ACCESS_TOKEN', 'accessToken: pat-na1-11111111-2222'),
      'config.yaml:4:39 connections.hs.accessToken: expected env:<VARIABLE> (secrets are never written in the config); got a literal value',
    ],
    [
      'env reference with an invalid variable name',
      edit('env:HUBSPOT_ACCESS_TOKEN', 'env:hubspot-token'),
      'config.yaml:4:39 connections.hs.accessToken: expected env:<VARIABLE> with VARIABLE in upper case, digits and _',
    ],
    [
      'unknown unified field',
      edit('unified: lastName', 'unified: lastname'),
      'config.yaml:14:20 objects.person.fields[1].unified: unknown unified field for person (did you mean "lastName"?); got "lastname"',
    ],
    [
      'unknown connection in a field',
      edit('hs: lastname', 'hubspot: lastname'),
      'config.yaml:14:44 objects.person.fields[1].hubspot: unknown key "hubspot"; expected unified, rule, transform, values, type, onInvalid or a connection name (sf, hs)',
    ],
    [
      'pair naming an unknown connection',
      edit('pair: [sf, hs]', 'pair: [sf, hubspot]'),
      'config.yaml:6:14 sync.pair[1]: unknown connection; expected one of sf, hs; got "hubspot"',
    ],
    [
      'unknown external object',
      edit('sf: [Lead, Contact]', 'sf: [Lead, Contacts]'),
      'config.yaml:10:16 objects.person.sf[1]: unknown salesforce object for person; expected one of Lead, Contact; got "Contacts"',
    ],
    ['unknown top-level key', `${BASE}polcy: ./policy.yaml\n`, 'config.yaml:20:1 polcy: unknown key "polcy"'],
    [
      'mistyped system key',
      edit('{ system: hubspot,', '{ sytem: hubspot,'),
      'config.yaml:4:9 connections.hs.sytem: unknown key "sytem": did you mean "system" (one of salesforce, hubspot, pipedrive)?',
    ],
    [
      'missing system key',
      edit('{ system: hubspot, accessToken', '{ accessToken'),
      'config.yaml:4:7 connections.hs: missing required key "system" (one of salesforce, hubspot, pipedrive)',
    ],
    [
      'duplicate YAML key',
      edit('    hs: contacts\n', '    hs: contacts\n    hs: companies\n'),
      'config.yaml:12:5 invalid YAML: Map keys must be unique',
    ],
    [
      'field object that the entity does not sync',
      edit('sf: LastName', 'sf: { Account: Name }'),
      'config.yaml:14:36 objects.person.fields[1].sf.Account: "Account" is not one of the sf objects of person (Lead, Contact)',
    ],
    [
      'join without a list of fields',
      edit('sf: LastName', 'sf: [FirstName, LastName]'),
      'config.yaml:14:34 objects.person.fields[1].sf: several external fields need a { join: <separator> } transform',
    ],
    [
      'type on a standard field',
      edit('rule: prefer:sf', 'rule: prefer:sf, type: number'),
      'config.yaml:14:81 objects.person.fields[1].type: "type" is only for custom.* fields; lastName is typed by the unified model',
    ],
    [
      'value map entry naming an unknown connection',
      edit('lead: { sf: Lead, hs: lead }', 'lead: { sf: Lead, hubspot: lead }'),
      'config.yaml:18:23 valueMaps.lifecycle.lead.hubspot: unknown connection "hubspot" in value map; expected one of sf, hs',
    ],
    ['wrong version', edit('version: 1', 'version: 2'), 'config.yaml:1:10 version: expected 1; got 2'],
    [
      'schedule with both every and cron',
      edit('{ every: 15m }', '{ every: 15m, cron: "*/15 * * * *" }'),
      'config.yaml:7:13 sync.schedule: expected exactly one of "every" or "cron"',
    ],
    [
      'an entity missing one side of the pair',
      edit('    hs: contacts\n', ''),
      'config.yaml:10:5 objects.person: missing the hs objects: name them with "hs: <object>"',
    ],
  ])('reports %s with its position', (_kind, text, expected) => {
    expect(problems(text)).toContain(expected);
  });

  it('reports every mistake at once, in file order', () => {
    const text = edit('system: salesforce', 'system: salesforse')
      .replace('rule: prefer:sf', 'rule: twoway')
      .replace('values: lifecycle', 'values: nowhere');
    const lines = problems(text).map((line) => line.split(' ')[0]);
    expect(lines).toEqual(['config.yaml:3:17', 'config.yaml:14:64', 'config.yaml:15:102']);
  });

  it('never echoes an inline secret', () => {
    const secret = 'pat-na1-0123456789abcdef';
    const text = edit('accessToken: env:HUBSPOT_ACCESS_TOKEN', `accessToken: ${secret}`);
    expect(problems(text).join('\n')).not.toContain(secret);
  });
});
