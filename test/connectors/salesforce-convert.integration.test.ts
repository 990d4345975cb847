import { afterEach, describe, expect, it } from 'vitest';
import { lead, type SalesforceRig, startRig } from './salesforce-harness.ts';

describe('salesforce convertLead', () => {
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('converts into a new account, contact and opportunity, with the org’s converted status', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [leadId] = sandbox.seed('Lead', [{ ...lead(1), Company: 'Globex', Title: 'CTO' }]) as string[];
    const [result] = await connector.convert([
      { ref: 'c', personId: leadId as string, createOpportunity: true, opportunityName: 'Globex expansion' },
    ]);
    if (!result?.ok) throw new Error(`conversion failed: ${JSON.stringify(result)}`);
    expect(result.alreadyConverted).toBe(false);
    expect(sandbox.read('Account', result.accountId as string)?.Name).toBe('Globex');
    expect(sandbox.read('Contact', result.contactId)).toMatchObject({
      Title: 'CTO',
      AccountId: result.accountId,
    });
    expect(sandbox.read('Opportunity', result.opportunityId as string)?.Name).toBe('Globex expansion');
    expect(sandbox.read('Lead', leadId as string)).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedContactId: result.contactId,
      ConvertedAccountId: result.accountId,
      ConvertedOpportunityId: result.opportunityId,
    });
  });

  it('attaches to an existing account and creates no opportunity when told not to', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const accountId = sandbox.seed('Account', [{ Name: 'Initech' }])[0] as string;
    const [leadId] = sandbox.seed('Lead', [lead(2)]) as string[];
    const [result] = await connector.convert([
      { ref: 'c', personId: leadId as string, accountId, createOpportunity: false },
    ]);
    expect(result).toMatchObject({ ok: true, accountId, alreadyConverted: false });
    expect(result?.ok && result.opportunityId).toBeFalsy();
    expect(sandbox.count('Account')).toBe(1);
    expect(sandbox.count('Opportunity')).toBe(0);
  });

  it('returns what an already converted lead became, without calling convertLead again', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [leadId] = sandbox.seed('Lead', [lead(3)]) as string[];
    const conversion = { ref: 'c', personId: leadId as string, createOpportunity: true };
    const [first] = await connector.convert([conversion]);
    const soapCalls = sandbox.calls('soap');
    const [again] = await connector.convert([{ ...conversion, personId: (leadId as string).slice(0, 15) }]);
    expect(sandbox.calls('soap')).toBe(soapCalls);
    expect(again).toEqual({ ...first, alreadyConverted: true });
    expect(sandbox.count('Contact')).toBe(1);
  });

  it('returns an invalid status, an unknown lead and a malformed id as values beside a success', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [a, b] = sandbox.seed('Lead', [lead(4), lead(5)]) as string[];
    const results = await connector.convert([
      {
        ref: 'bad-status',
        personId: a as string,
        convertedStatus: 'Working - Contacted',
        createOpportunity: false,
      },
      { ref: 'ok', personId: b as string, createOpportunity: false },
      { ref: 'missing', personId: '00Q00000000zzzzEAA', createOpportunity: false },
      { ref: 'malformed', personId: "x' OR Id != '", createOpportunity: false },
    ]);
    expect(results.map((r) => (r.ok ? [r.ref, 'ok'] : [r.ref, r.error.kind, r.error.code]))).toEqual([
      ['bad-status', 'invalid', 'INVALID_STATUS'],
      ['ok', 'ok'],
      ['missing', 'not-found', 'NOT_FOUND'],
      ['malformed', 'invalid', 'MALFORMED_ID'],
    ]);
    expect(sandbox.read('Lead', a as string)?.IsConverted).toBe(false);
  });

  it('converts 250 leads in 3 calls of at most 100', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 250 }, (_, i) => lead(i)),
    );
    const results = await connector.convert(
      ids.map((id, i) => ({ ref: `c${i}`, personId: id, createOpportunity: false })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(250);
    expect(sandbox.calls('soap')).toBe(3);
  });

  it('converts a lead the caller just read unconverted without reading it first, and still settles a race', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [fresh, converted] = sandbox.seed('Lead', [lead(3), lead(4)]) as [string, string];
    const [earlier] = await connector.convert([{ ref: 'x', personId: converted, createOpportunity: false }]);
    if (!earlier?.ok) throw new Error('setup conversion failed');
    const queries = sandbox.calls('query');
    const results = await connector.convert([
      {
        ref: 'a',
        personId: fresh,
        convertedStatus: 'Closed - Converted',
        createOpportunity: false,
        expectUnconverted: true,
      },
      {
        ref: 'b',
        personId: converted,
        convertedStatus: 'Closed - Converted',
        createOpportunity: false,
        expectUnconverted: true,
      },
    ]);
    expect(results[0]).toMatchObject({ ref: 'a', ok: true, alreadyConverted: false });
    expect(results[1]).toMatchObject({
      ref: 'b',
      ok: true,
      alreadyConverted: true,
      contactId: earlier.contactId,
    });
    // Only the lead Salesforce refused as converted was read, after the call; the fresh one needed no query.
    expect(sandbox.calls('query') - queries).toBe(1);
  });
});
