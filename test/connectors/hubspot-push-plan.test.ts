import { describe, expect, it } from 'vitest';
import { PushPlan } from '../../connectors/hubspot/hubspot-push-plan.ts';
import type { Write } from '../../src/connector/types.ts';

const plan = (type: string, writes: Write[], upsertContactsByEmail = true) => {
  const p = new PushPlan(type, writes, { upsertContactsByEmail });
  p.settleCreates(new Set());
  return {
    plan: p,
    groups: Object.fromEntries(
      [...p.groups].map(([key, g]) => [key, g.inputs.map((i) => [i.objectWriteTraceId, i.id, i.idProperty])]),
    ),
    refused: Object.fromEntries([...p.refused].map(([i, e]) => [i, e.code])),
  };
};

describe('hubspot push plan', () => {
  it.each([
    ['contacts', { ref: 'a', id: '7', fields: {} }, { update: [['0', '7', undefined]] }],
    [
      'contacts',
      { ref: 'a', fields: { email: ' Ann@X.com ' } },
      { 'upsert:email': [['0', 'ann@x.com', 'email']] },
    ],
    ['contacts', { ref: 'a', fields: { lastname: 'No mail' } }, { create: [['0', undefined, undefined]] }],
    ['deals', { ref: 'a', fields: { email: 'x@y.z' } }, { create: [['0', undefined, undefined]] }],
    [
      'companies',
      { ref: 'a', upsertBy: { field: 'ext_id', value: 'E1' }, fields: {} },
      { 'upsert:ext_id': [['0', 'E1', 'ext_id']] },
    ],
  ] as const)('plans a %s write', (type, write, groups) => {
    expect(plan(type, [write as Write]).groups).toEqual(groups);
  });

  it('creates contacts plainly when upserting by e-mail is off', () => {
    expect(plan('contacts', [{ ref: 'a', fields: { email: 'a@x.com' } }], false).groups).toEqual({
      create: [['0', undefined, undefined]],
    });
  });

  it('refuses a second write of the same key in one push', () => {
    const { refused, groups } = plan('contacts', [
      { ref: 'a', fields: { email: 'a@x.com' } },
      { ref: 'b', upsertBy: { field: 'email', value: 'A@X.COM' }, fields: {} },
      { ref: 'c', id: '5', fields: {} },
      { ref: 'd', id: '5', fields: {} },
    ]);
    expect(refused).toEqual({ 1: 'DUPLICATE_IN_BATCH', 3: 'DUPLICATE_IN_BATCH' });
    expect(groups).toEqual({ 'upsert:email': [['0', 'a@x.com', 'email']], update: [['2', '5', undefined]] });
  });

  it('turns companies matched by domain into updates of the found id or creates with the domain', () => {
    const { plan: p } = plan('companies', [
      { ref: 'a', upsertBy: { field: 'domain', value: 'Acme.com' }, fields: { name: 'Acme' } },
      { ref: 'b', upsertBy: { field: 'domain', value: 'new.io' }, fields: { name: 'New' } },
      { ref: 'c', upsertBy: { field: 'domain', value: 'acme.com' }, fields: {} },
    ]);
    expect(p.byDomain.map((d) => d.domain)).toEqual(['acme.com', 'new.io', 'acme.com']);
    p.matchDomains(new Map([['acme.com', '42']]));
    p.settleCreates(new Set());
    expect(p.groups.get('update')?.inputs).toEqual([
      { id: '42', objectWriteTraceId: '0', properties: { domain: 'acme.com', name: 'Acme' } },
    ]);
    expect(p.groups.get('create')?.inputs).toEqual([
      { objectWriteTraceId: '1', properties: { domain: 'new.io', name: 'New' } },
    ]);
    expect(p.refused.get(2)?.kind).toBe('conflict');
  });

  it('sends a create that carries a unique value as an upsert by it, a domain create too', () => {
    const unique = new Set(['crm_bridge_salesforce_id']);
    const p = new PushPlan(
      'companies',
      [
        { ref: 'a', fields: { name: 'No domain', crm_bridge_salesforce_id: '001A' } },
        {
          ref: 'b',
          upsertBy: { field: 'domain', value: 'new.io' },
          fields: { crm_bridge_salesforce_id: '001B' },
        },
        { ref: 'c', fields: { name: 'No twin id' } },
        { ref: 'd', fields: { name: 'Blank twin id', crm_bridge_salesforce_id: '' } },
        { ref: 'e', fields: { name: 'Same twin id', crm_bridge_salesforce_id: '001A' } },
      ],
      { upsertContactsByEmail: true },
    );
    p.matchDomains(new Map());
    p.settleCreates(unique);
    const inputs = (group: string) =>
      p.groups.get(group)?.inputs.map((i) => [i.objectWriteTraceId, i.id, i.idProperty, i.properties.domain]);
    expect(inputs('upsert:crm_bridge_salesforce_id')).toEqual([
      ['0', '001A', 'crm_bridge_salesforce_id', undefined],
      ['1', '001B', 'crm_bridge_salesforce_id', 'new.io'],
    ]);
    expect(inputs('create')).toEqual([
      ['2', undefined, undefined, undefined],
      ['3', undefined, undefined, undefined],
    ]);
    expect(p.refused.get(4)?.code).toBe('DUPLICATE_IN_BATCH');
  });

  it('creates a company expected to be new by its twin id without a search; the others wait for one', () => {
    const unique = new Set(['crm_bridge_salesforce_id']);
    const p = new PushPlan(
      'companies',
      [
        {
          ref: 'a',
          upsertBy: { field: 'domain', value: 'New.io' },
          expectNew: true,
          fields: { name: 'New', crm_bridge_salesforce_id: '001A' },
        },
        {
          ref: 'b',
          upsertBy: { field: 'domain', value: 'no-twin.io' },
          expectNew: true,
          fields: { name: 'B' },
        },
        {
          ref: 'c',
          upsertBy: { field: 'domain', value: 'known.io' },
          fields: { crm_bridge_salesforce_id: '001C' },
        },
        {
          ref: 'd',
          upsertBy: { field: 'domain', value: 'new.io' },
          expectNew: true,
          fields: { crm_bridge_salesforce_id: '001D' },
        },
      ],
      { upsertContactsByEmail: true },
    );
    expect(p.createExpected(unique)).toBe(2);
    // Without the twin id a retried create could make a second company; without expectNew the caller may not know.
    expect(p.byDomain.map((d) => d.domain)).toEqual(['no-twin.io', 'known.io']);
    p.matchDomains(new Map([['known.io', '9']]));
    p.settleCreates(unique);
    expect(p.groups.get('upsert:crm_bridge_salesforce_id')?.inputs).toEqual([
      {
        id: '001A',
        idProperty: 'crm_bridge_salesforce_id',
        objectWriteTraceId: '0',
        properties: { domain: 'new.io', name: 'New', crm_bridge_salesforce_id: '001A' },
      },
    ]);
    // The same domain twice in one push is still refused, searched or not.
    expect(p.refused.get(3)?.code).toBe('DUPLICATE_IN_BATCH');
    expect(p.groups.get('update')?.inputs.map((i) => i.id)).toEqual(['9']);
    expect(p.groups.get('create')?.inputs.map((i) => i.properties.domain)).toEqual(['no-twin.io']);
  });
});
