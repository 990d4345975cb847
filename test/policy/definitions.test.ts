import { describe, expect, it } from 'vitest';
import type { PersonInput } from '../../src/model/index.ts';
import { classifyInput, daysAgo, FITTING, NOT_FITTING, policyWith } from './default-policy.ts';

/**
 * The default policy's mechanics on unified people: score arithmetic and decay, stage moves, the conversion's
 * details. Each statement of DEFINITIONS.md is checked from raw CRM records in definitions-table.test.ts.
 */
const demoAfterInquiry = {
  firstConversion: 'E-book: CRM hygiene',
  recentConversion: 'Request a demo',
  conversionCount: 2,
};

describe('score', () => {
  it('adds fit and engagement points', () => {
    expect(classifyInput(FITTING).score).toBe(25);
    expect(classifyInput({ ...NOT_FITTING, recentConversion: 'Request a demo' }).score).toBe(25);
    // demo (25) + content (5) + 2 form fills (10) + 40 page views (capped at 15)
    expect(classifyInput({ ...NOT_FITTING, ...demoAfterInquiry, pageViews: 40 }).score).toBe(
      25 + 5 + 10 + 15,
    );
  });

  it('halves engagement points every 60 days without activity, never fit points', () => {
    const fitDemo = { ...FITTING, recentConversion: 'Request a demo' };
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(60) }).score).toBe(25 + 13);
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(120) }).score).toBe(25 + 6);
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(10) }).score).toBe(
      25 + Math.round(35 * 0.5 ** (10 / 60)),
    );
  });

  it('shows each threshold in the reasons, so explain can print "score 55 < 75"', () => {
    expect(classifyInput(FITTING).reasons.thresholds).toEqual({ engaged: 30, mql: null, salesReady: 75 });
  });
});

describe('temperature', () => {
  it('is raised by engagement, never lowered, and says by which rule', () => {
    const facts: PersonInput = {
      ...NOT_FITTING,
      firstConversion: 'E-book',
      conversionCount: 4,
      pageViews: 10,
    };
    const engaged = classifyInput(facts);
    expect(engaged.score).toBeGreaterThanOrEqual(30);
    expect(engaged).toMatchObject({
      temperature: 'warm',
      reasons: { bant: { temperature: 'cold', raisedBy: 'bant.raise[1] warm' } },
    });
    const hot = classifyInput({ ...facts, custom: { budget: 50_000, authority: true, need: 'two CRMs' } });
    expect(hot).toMatchObject({ temperature: 'hot', reasons: { bant: { raisedBy: null } } });
  });

  it('applies configured BANT thresholds', () => {
    const strict = policyWith(['hot: 3\n  warm: 2', 'hot: 4\n  warm: 3']);
    const three = { budget: 25_000, authority: true, need: 'duplicates' };
    expect(classifyInput({ ...NOT_FITTING, custom: three }, { policy: strict }).temperature).toBe('warm');
  });
});

describe('stages only move forward unless a rule allows a move back', () => {
  const interested = { ...NOT_FITTING, firstConversion: 'Newsletter' };
  it.each([
    ['lead → sql (forward)', 'lead', { ...FITTING, ...demoAfterInquiry, leadStatus: 'working' }, 'sql'],
    ['sql stays sql when the rules say lead', 'sql', interested, 'sql'],
    ['customer stays customer without its opportunities', 'customer', interested, 'customer'],
    ['a stage stays when no rule matches', 'lead', NOT_FITTING, 'lead'],
    ['other re-enters the funnel on interest (allowed: reengaged)', 'other', interested, 'lead'],
    ['evangelist is not moved back into the funnel', 'evangelist', interested, 'evangelist'],
    ['a stage the funnel does not have (mql) is replaced', 'mql', interested, 'lead'],
  ] as const)('%s', (_, lifecycleStage, input, stage) => {
    expect(classifyInput({ ...input, lifecycleStage }).stage).toBe(stage);
  });

  it('a partner at lead leaves the funnel (allowed: notALead)', () => {
    const result = classifyInput(
      { ...FITTING, ...demoAfterInquiry, lifecycleStage: 'lead' },
      { account: { name: 'Reseller Inc', type: 'reseller' } },
    );
    expect(result).toMatchObject({ stage: 'other', interest: [], reasons: { notLead: 'partner' } });
  });

  it('a lost deal moves opportunity back to lead (allowed: lostDeal) and says why', () => {
    const result = classifyInput(
      { ...interested, lifecycleStage: 'opportunity' },
      { opportunities: [{ stage: 'closedLost', isClosed: true }] },
    );
    expect(result.stage).toBe('lead');
    expect(result.reasons.stageNote).toBe('moved back, allowed by lostDeal');
  });

  it('explains a refused move', () => {
    expect(classifyInput({ ...interested, lifecycleStage: 'sql' }).reasons.stageNote).toBe(
      'forward-only: sql → lead is not allowed',
    );
  });
});

describe('conversion', () => {
  it('sales-ready and accepted by a rep → convert, with how per system', () => {
    const result = classifyInput({
      ...FITTING,
      firstConversion: 'E-book',
      recentConversion: 'Start free trial',
      conversionCount: 2,
      leadStatus: 'working',
    });
    expect(result).toMatchObject({ salesReady: true, stage: 'sql', leadType: 'IQL' });
    expect(result.convert).toEqual({
      required: true,
      reason: 'sales-ready: fits and took a sales action (trialStart)',
      salesforce: {
        convertedStatus: 'Closed - Converted',
        createOpportunity: true,
        attachToMatchedAccount: true,
      },
      hubspot: {
        lifecycleStage: 'sql',
        createDeal: true,
        pipeline: 'default',
        dealStage: 'appointmentscheduled',
      },
    });
  });

  it('a conversion raises the stage to its target', () => {
    const early = policyWith([
      '  when: { fact: salesReady }\n  approval: rep',
      '  when: { signal: trialStart }\n  approval: automatic',
    ]);
    const trial = { ...NOT_FITTING, recentConversion: 'Start free trial' };
    expect(classifyInput(trial).stage).toBe('lead');
    const result = classifyInput(trial, { policy: early });
    expect(result.convert.required).toBe(true);
    expect(result).toMatchObject({ stage: 'sql', reasons: { stageNote: "the conversion's target" } });
  });

  it('sales-ready, but no rep accepted it → proposed, not converted', () => {
    const result = classifyInput({ ...FITTING, ...demoAfterInquiry });
    expect(result.convert).toEqual({
      required: false,
      proposed: true,
      reason:
        'sales-ready: fits and took a sales action (demoRequest); proposed, waiting for a rep to accept it',
    });
    expect(result).toMatchObject({ stage: 'lead', proposal: 'proposed' });
  });

  it.each([
    [
      'already a customer',
      { ...FITTING, ...demoAfterInquiry, leadStatus: 'working' },
      { opportunities: [{ stage: 'closedWon', isClosed: true, isWon: true }] },
      'already a customer (a won opportunity)',
    ],
    [
      'already converted in Salesforce',
      { ...FITTING, ...demoAfterInquiry, leadStatus: 'working', converted: { contactId: '003A' } },
      {},
      'already converted in Salesforce',
    ],
  ] as const)('%s → no conversion', (_, input, facts, reason) => {
    expect(classifyInput(input, facts).convert).toEqual({ required: false, reason });
  });
});

describe('the classification', () => {
  it('does not depend on whether the person is a lead or a contact', () => {
    const input = { ...FITTING, ...demoAfterInquiry };
    expect(classifyInput({ ...input, kind: 'contact' })).toEqual(classifyInput(input));
  });

  it('carries the policy version, its reasons and a trace of every rule evaluated', () => {
    const result = classifyInput({ ...FITTING, ...demoAfterInquiry });
    expect(result.policyVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(result.reasons).toMatchObject({
      fit: { matched: ['market', 'industry', 'size', 'role', 'channel'], of: 5, required: 5 },
      salesActions: ['demoRequest'],
      leadTypeRule: 'leadType[3] IQL',
      stageRule: 'stage.rules[5] lead',
    });
    expect(result.trace.find((t) => t.rule === 'fit.market')).toEqual({
      rule: 'fit.market',
      matched: true,
      saw: { 'address.country': 'US' },
    });
  });
});
