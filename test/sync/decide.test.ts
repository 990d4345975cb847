import { describe, expect, it } from 'vitest';
import type { ExternalRecord } from '../../src/connector/types.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../../src/policy/index.ts';
import { keyOf } from '../../src/store/index.ts';
import type { DecideContext } from '../../src/sync/context.ts';
import { planEntity } from '../../src/sync/plan.ts';
import type { PlanKnown } from '../../src/sync/plan-known.ts';
import type { Pulled } from '../../src/sync/pull.ts';
import { type Group, type KnownIdentities, resolveIdentities } from '../../src/sync/resolve.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';

/**
 * Resolve, merge, classify and plan are decisions over what the loader found: these tests hand them that by hand,
 * with no state store and no CRM. The context has no store at all.
 */
const T = '2026-11-01T10:00:00.000Z';

async function decideContext(): Promise<DecideContext> {
  const config = await exampleConfig();
  const policy = await loadPolicy(DEFAULT_POLICY_FILE);
  if (!policy.ok) throw new Error('the default policy is invalid');
  return {
    config,
    mapping: compileMapping(config),
    policy: policy.value,
    connectors: {},
    now: () => new Date(T),
  };
}

const ctx = await decideContext();

function person(connection: 'sf' | 'hs', object: string, id: string, fields: Record<string, unknown>) {
  const external: ExternalRecord = { object, id, fields, modifiedAt: T };
  const mapped = ctx.mapping.toUnified('person', connection, object, external);
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.failures));
  return { connection, object, external, unified: mapped.value } satisfies Pulled<'person'>;
}
const lead = (id: string, email: string) =>
  person('sf', 'Lead', id, { Email: email, LastName: 'Lovelace', Company: 'Analytical' });
const hs = (id: string, email: string, more: Record<string, unknown> = {}) =>
  person('hs', 'contacts', id, { email, lastname: 'Lovelace', ...more });

const nothingKnown: KnownIdentities = { links: new Map(), matchKeys: new Map(), linksOf: new Map() };
const ids = () => {
  let n = 0;
  return () => `u-${++n}`;
};
const members = (groups: readonly Group[]) =>
  groups.map((g) => [
    g.unifiedId,
    g.pulled.map((p) => `${p.connection}:${p.object}:${p.external.id}`).sort(),
  ]);

describe('resolution over what the loader found, with no store', () => {
  it('joins a Lead and a HubSpot contact pulled together by e-mail, whatever its case', () => {
    const r = resolveIdentities(
      ctx,
      'person',
      [lead('00Q1', 'ada@example.com'), hs('101', 'ADA@example.com ')],
      nothingKnown,
      ids(),
    );
    expect(members(r.groups)).toEqual([['u-1', ['hs:contacts:101', 'sf:Lead:00Q1']]]);
    expect(r.newLinks.map((l) => `${l.unifiedId} ${l.connection}/${l.externalId}`).sort()).toEqual([
      'u-1 hs/101',
      'u-1 sf/00Q1',
    ]);
    expect(r.matchKeys.get('u-1')).toEqual({ email: ['ada@example.com'] });
  });

  it('takes a known link first, then a known match key, and holds a second record of one object', () => {
    const known: KnownIdentities = {
      links: new Map([
        [
          keyOf({ connection: 'hs', object: 'contacts', externalId: '101' }),
          { entity: 'person', unifiedId: 'u-ada', connection: 'hs', object: 'contacts', externalId: '101' },
        ],
      ]),
      matchKeys: new Map([['email', new Map([['bo@example.com', ['u-bo']]])]]),
      linksOf: new Map([
        [
          'u-ada',
          [{ entity: 'person', unifiedId: 'u-ada', connection: 'hs', object: 'contacts', externalId: '101' }],
        ],
        [
          'u-bo',
          [{ entity: 'person', unifiedId: 'u-bo', connection: 'hs', object: 'contacts', externalId: '900' }],
        ],
      ]),
    };
    const r = resolveIdentities(
      ctx,
      'person',
      [
        hs('101', 'ada@example.com'),
        lead('00Q1', 'ada@example.com'),
        hs('102', 'bo@example.com'),
        lead('00Q2', 'bo@example.com'),
      ],
      known,
      ids(),
    );
    expect(members(r.groups)).toEqual([
      ['u-ada', ['hs:contacts:101', 'sf:Lead:00Q1']],
      ['u-bo', ['sf:Lead:00Q2']],
    ]);
    // hs 102 has the e-mail of u-bo, which already has hs contact 900: the same person twice in HubSpot.
    expect(r.quarantined.map((q) => `${q.connection}/${q.externalId}: ${q.reason}`)).toEqual([
      'hs/102: hs contacts 102 and 900 are the same person; merge them, then replay',
    ]);
  });
});

describe('planning over what the loader found, with no store', () => {
  const known = (groups: Group[], more: Partial<PlanKnown> = {}): PlanKnown => ({
    groups,
    held: new Set(),
    bases: new Map(),
    accountsByDomain: new Map(),
    accounts: new Map(),
    deals: new Map(),
    linksOf: new Map(),
    ...more,
  });
  const alone = (p: Pulled<'person'>, unifiedId = 'u-ada'): Group => ({
    unifiedId,
    pulled: [p],
    links: [
      { entity: 'person', unifiedId, connection: p.connection, object: p.object, externalId: p.external.id },
    ],
  });

  it('creates a HubSpot-only person in Salesforce as a Lead, classified', () => {
    const plan = planEntity(
      ctx,
      'person',
      known([alone(hs('101', 'ada@example.com', { firstname: 'Ada' }))]),
    );
    expect(plan.writes.map((w) => [w.connection, w.object, w.create])).toEqual([
      ['sf', 'Lead', true],
      ['hs', 'contacts', false],
    ]);
    expect(plan.writes[0]?.write.fields).toMatchObject({ Email: 'ada@example.com', FirstName: 'Ada' });
    // The policy's verdict goes back to the record it came from.
    expect(plan.writes[1]).toMatchObject({
      write: { id: '101', fields: { lifecyclestage: 'other', crm_bridge_temperature: 'cold' } },
      // …with the new Lead's id as its twin, once the create is done.
      twinFrom: { field: 'crm_bridge_salesforce_id', connection: 'sf' },
    });
    expect(plan.classified).toBe(1);
    expect(plan.snapshots[0]?.data).toMatchObject({ id: 'u-ada', email: 'ada@example.com' });
  });

  it('classifies a person by the deals the loader found them on', () => {
    const deal = { id: 'u-deal', name: 'Engines', stage: 'qualification', isClosed: false, isWon: false };
    const on = planEntity(
      ctx,
      'person',
      known([alone(hs('101', 'ada@example.com'))], { deals: new Map([['hs/101', [deal]]]) }),
    );
    const off = planEntity(ctx, 'person', known([alone(hs('101', 'ada@example.com'))]));
    expect(on.snapshots[0]?.data.lifecycleStage).toBe('opportunity');
    expect(off.snapshots[0]?.data.lifecycleStage).not.toBe('opportunity');
  });

  it('writes only what changed since the snapshot, and nothing for a held group', () => {
    const base = {
      id: 'u-ada',
      email: 'ada@example.com',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      kind: 'lead',
    };
    const pair: Group = {
      unifiedId: 'u-ada',
      pulled: [hs('101', 'ada@example.com', { phone: '+44 20 7946 0999' })],
      links: [
        { entity: 'person', unifiedId: 'u-ada', connection: 'hs', object: 'contacts', externalId: '101' },
        { entity: 'person', unifiedId: 'u-ada', connection: 'sf', object: 'Lead', externalId: '00Q1' },
      ],
    };
    const plan = planEntity(ctx, 'person', known([pair], { bases: new Map([['u-ada', base]]) }));
    const sf = plan.writes.find((w) => w.connection === 'sf');
    expect(sf).toMatchObject({ object: 'Lead', create: false, write: { id: '00Q1' } });
    expect(sf?.diff.phone).toEqual({ from: '+44 20 7946 0000', to: '+442079460999' });
    expect(planEntity(ctx, 'person', known([], { held: new Set(['u-ada']) })).writes).toEqual([]);
  });
});
