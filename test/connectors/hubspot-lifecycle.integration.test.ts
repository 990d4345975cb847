import { afterEach, describe, expect, it } from 'vitest';
import { PARTNER_PIPELINE } from '../../sandboxes/hubspot/index.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

describe('hubspot lifecycle conversion', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
  });

  const contactAt = (stage: string, email = `${stage}@example.com`) => {
    const [id = ''] =
      h?.sandbox.seed('contacts', [{ email, firstname: 'Lee', lastname: 'Stage', lifecyclestage: stage }]) ??
      [];
    return id;
  };
  const stageOf = (id: string) => h?.sandbox.read('contacts', id)?.lifecyclestage;
  const stageWrites = () => h?.sandbox.calls('POST /crm/v3/objects/batch/update') ?? 0;

  it('moves a lifecycle stage forward', async () => {
    h = await startHubSpot();
    const id = contactAt('lead');
    const [result] = await h.connector.convert([
      { ref: 'f', personId: id, createOpportunity: false, lifecycleStage: 'opportunity' },
    ]);
    expect(result).toEqual({ ref: 'f', ok: true, contactId: id, alreadyConverted: false });
    expect(stageOf(id)).toBe('opportunity');
  });

  it('refuses to move a stage back unless allowed, and then clears it and sets it in two requests', async () => {
    h = await startHubSpot();
    const id = contactAt('customer');
    const refused = await h.connector.convert([
      { ref: 'b', personId: id, createOpportunity: false, lifecycleStage: 'salesqualifiedlead' },
    ]);
    expect(refused[0]).toMatchObject({ ok: true, alreadyConverted: true });
    expect(stageOf(id)).toBe('customer');
    expect(stageWrites()).toBe(0);

    const allowed = await h.connector.convert([
      {
        ref: 'b',
        personId: id,
        createOpportunity: false,
        lifecycleStage: 'salesqualifiedlead',
        allowBackward: true,
      },
    ]);
    expect(allowed[0]).toMatchObject({ ok: true, alreadyConverted: false });
    expect(stageOf(id)).toBe('salesqualifiedlead');
    expect(stageWrites()).toBe(2);
  });

  it('shows why: HubSpot (and the sandbox) silently ignore a direct backward set', async () => {
    h = await startHubSpot();
    const id = contactAt('customer');
    const [result] = await h.connector.push('contacts', [
      { ref: 'x', id, fields: { lifecyclestage: 'lead' } },
    ]);
    expect(result).toMatchObject({ ok: true });
    expect(stageOf(id)).toBe('customer');
  });

  it('creates a deal in the given pipeline and stage, associated with the contact and its company, once', async () => {
    h = await startHubSpot();
    const { sandbox, connector } = h;
    const id = contactAt('marketingqualifiedlead');
    const [company = ''] = sandbox.seed('companies', [{ name: 'Initech', domain: 'initech.example' }]);
    sandbox.store.associate('contacts', id, 'companies', company);
    const conversion = {
      ref: 'd',
      personId: id,
      createOpportunity: true,
      lifecycleStage: 'opportunity',
      opportunityName: 'Initech - TPS reports',
      deal: { pipeline: 'default', stage: 'qualifiedtobuy', amount: 25_000 },
    };
    const [first] = await connector.convert([conversion]);
    if (!first?.ok) throw new Error(`conversion failed: ${JSON.stringify(first)}`);
    expect(first).toMatchObject({ contactId: id, accountId: company, alreadyConverted: false });
    const dealId = first.opportunityId as string;
    expect(sandbox.read('deals', dealId)).toMatchObject({
      dealname: 'Initech - TPS reports',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
      amount: '25000',
    });
    expect(sandbox.store.associated('deals', dealId, 'contacts')).toEqual([id]);
    expect(sandbox.store.associated('deals', dealId, 'companies')).toEqual([company]);
    expect(stageOf(id)).toBe('opportunity');

    const [again] = await connector.convert([conversion]);
    expect(again).toMatchObject({ ok: true, alreadyConverted: true, contactId: id, opportunityId: dealId });
    expect(sandbox.count('deals')).toBe(1);
  });

  it('counts only a deal in the requested pipeline as present', async () => {
    h = await startHubSpot({ pipelines: [PARTNER_PIPELINE] });
    const { sandbox, connector } = h;
    const id = contactAt('opportunity');
    const [sales = ''] = sandbox.seed('deals', [
      { dealname: 'Sales', pipeline: 'default', dealstage: 'qualifiedtobuy' },
    ]);
    sandbox.store.associate('deals', sales, 'contacts', id);
    const conversion = { ref: 'p', personId: id, createOpportunity: true, lifecycleStage: 'opportunity' };
    const [inSales] = await connector.convert([conversion]);
    expect(inSales).toMatchObject({ ok: true, alreadyConverted: true, opportunityId: sales });
    const [inPartner] = await connector.convert([
      { ...conversion, deal: { pipeline: 'partner', stage: 'partnerqualified' } },
    ]);
    expect(inPartner).toMatchObject({ ok: true, alreadyConverted: false });
    if (!inPartner?.ok) throw new Error('conversion failed');
    expect(inPartner.opportunityId).not.toBe(sales);
    expect(sandbox.read('deals', inPartner.opportunityId as string)).toMatchObject({
      pipeline: 'partner',
      dealstage: 'partnerqualified',
    });
  });

  it('reports an unknown contact and an unknown stage as values', async () => {
    h = await startHubSpot();
    const id = contactAt('lead');
    const results = await h.connector.convert([
      { ref: 'missing', personId: '987654', createOpportunity: false, lifecycleStage: 'opportunity' },
      { ref: 'typo', personId: id, createOpportunity: false, lifecycleStage: 'sql' },
    ]);
    expect(results).toMatchObject([
      { ref: 'missing', ok: false, error: { kind: 'not-found' } },
      { ref: 'typo', ok: false, error: { kind: 'invalid', fields: ['lifecyclestage'] } },
    ]);
  });
});
