import { describe, expect, it } from 'vitest';
import type { PersonInput } from '../../src/model/index.ts';
import { classifyInput, daysAgo, FITTING, NOT_FITTING, policyWith } from './default-policy.ts';

const BANT_NONE: PersonInput = { ...NOT_FITTING, title: 'Analyst' };

describe('prospect vs lead (fit and interest are separate axes)', () => {
  it.each([
    ['fits, no interest', FITTING, 'prospect', true, []],
    [
      'fits, downloaded an e-book',
      { ...FITTING, firstConversion: 'E-book: the CRM sync guide' },
      'lead',
      true,
      ['formFill', 'contentDownload'],
    ],
    ['does not fit, filled a web form', { ...NOT_FITTING, leadSource: 'web' }, 'lead', false, ['formFill']],
    ['neither fit nor interest', NOT_FITTING, 'other', false, []],
  ] as const)('%s → %s', (_, input, stage, fit, interest) => {
    const result = classifyInput(input);
    expect(result.stage).toBe(stage);
    expect(result.fit).toBe(fit);
    expect(result.interest).toEqual(interest);
  });

  it('counts fit on the account when the person lacks company facts', () => {
    const person: PersonInput = { kind: 'contact', title: 'CTO', leadSource: 'referral' };
    const account = { name: 'Acme', industry: 'finance', employees: 900, address: { country: 'Germany' } };
    expect(classifyInput(person).fit).toBe(false);
    expect(classifyInput(person, { account }).fit).toBe(true);
  });
});

describe('lead types', () => {
  it.each([
    ['IQL: a product whitepaper', { firstConversion: 'Pricing whitepaper' }, 'IQL'],
    ['IQL: a free trial', { recentConversion: 'Start free trial' }, 'IQL'],
    ['MQL: an e-book', { firstConversion: 'E-book: CRM hygiene' }, 'MQL'],
    ['MQL: a webinar', { recentConversion: 'Webinar: pipeline reviews' }, 'MQL'],
    [
      'SQL: worked by sales with a timeline',
      { firstConversion: 'E-book', leadStatus: 'working', custom: { timeline: 'next year' } },
      'SQL',
    ],
    ['SRL: asked to talk to sales', { recentConversion: 'Contact sales' }, 'SRL'],
    ['SRL: called in', { leadSource: 'phone' }, 'SRL'],
    ['SRL: requested a demo', { firstConversion: 'E-book', recentConversion: 'Request a demo' }, 'SRL'],
    ['MSRL: bought from a lead list', { leadSource: 'purchasedList' }, 'MSRL'],
    ['none without interest', {}, null],
  ] as const)('%s', (_, facts, leadType) => {
    expect(classifyInput({ ...NOT_FITTING, ...facts }).leadType).toBe(leadType);
  });
});

describe('temperature by BANT (defaults: ≥3 hot, 2 warm, ≤1 cold)', () => {
  const budget = { budget: 25_000 };
  const authority = { authority: true };
  const need = { need: 'duplicate records' };
  const timing = { timeline: 'this quarter' };
  it.each([
    ['none', {}, 'cold'],
    ['budget below 10 000 does not count', { budget: 9_999 }, 'cold'],
    ['one: budget', budget, 'cold'],
    ['two: budget, authority', { ...budget, ...authority }, 'warm'],
    ['two: need, timing', { ...need, ...timing }, 'warm'],
    ['three: budget, authority, need', { ...budget, ...authority, ...need }, 'hot'],
    ['four', { ...budget, ...authority, ...need, ...timing }, 'hot'],
  ] as const)('%s → %s', (_, custom, temperature) => {
    expect(classifyInput({ ...BANT_NONE, custom }).temperature).toBe(temperature);
  });

  it('reads authority from a C-level title too', () => {
    expect(classifyInput({ ...BANT_NONE, title: 'CFO', custom: budget }).temperature).toBe('warm');
  });

  it('applies configured thresholds', () => {
    const strict = policyWith(['hot: 3\n  warm: 2', 'hot: 4\n  warm: 3']);
    const three = { ...budget, ...authority, ...need };
    expect(classifyInput({ ...BANT_NONE, custom: three }, { policy: strict }).temperature).toBe('warm');
    expect(
      classifyInput({ ...BANT_NONE, custom: { ...budget, ...need } }, { policy: strict }).temperature,
    ).toBe('cold');
  });
});

describe('score', () => {
  const demo = { ...NOT_FITTING, recentConversion: 'Request a demo' };
  it('adds fit and engagement points', () => {
    expect(classifyInput(FITTING).score).toBe(20);
    expect(classifyInput(demo).score).toBe(30);
    expect(classifyInput({ ...demo, conversionCount: 2, pageViews: 40 }).score).toBe(30 + 10 + 15);
  });

  it('halves engagement points every 60 days without activity, never fit points', () => {
    const fitDemo = { ...FITTING, recentConversion: 'Request a demo' };
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(60) }).score).toBe(20 + 15);
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(120) }).score).toBe(20 + 8);
    expect(classifyInput({ ...fitDemo, lastActivityAt: daysAgo(10) }).score).toBe(
      20 + Math.round(40 * 0.5 ** (10 / 60)),
    );
  });

  it('reaching the MQL threshold (40) makes an MQL', () => {
    const engaged = { ...FITTING, firstConversion: 'E-book', conversionCount: 2 };
    expect(classifyInput(engaged)).toMatchObject({ score: 35, stage: 'lead' });
    expect(classifyInput({ ...engaged, pageViews: 5 })).toMatchObject({ score: 40, stage: 'mql' });
  });
});

describe('stage from the record’s facts', () => {
  it.each([
    ['an open opportunity', [{ stage: 'proposal' }], 'opportunity'],
    ['a closed-won opportunity', [{ stage: 'closedWon', isClosed: true, isWon: true }], 'customer'],
    ['a won flag alone', [{ isWon: true }], 'customer'],
    ['only a lost opportunity', [{ stage: 'closedLost', isClosed: true }], 'prospect'],
    ['a deleted open opportunity', [{ stage: 'proposal', deleted: true }], 'prospect'],
  ] as const)('%s → %s', (_, opportunities, stage) => {
    expect(classifyInput(FITTING, { opportunities: [...opportunities] }).stage).toBe(stage);
  });
});

describe('stages only move forward unless a rule allows a move back', () => {
  const interested = { ...NOT_FITTING, leadSource: 'web' };
  it.each([
    ['lead → mql (forward)', 'lead', { ...FITTING, firstConversion: 'E-book', conversionCount: 3 }, 'mql'],
    ['sql stays sql when the rules say lead', 'sql', interested, 'sql'],
    ['customer stays customer without its opportunities', 'customer', interested, 'customer'],
    ['a stage stays when no rule matches', 'mql', NOT_FITTING, 'mql'],
    ['other re-enters the funnel on interest (allowed: reengaged)', 'other', interested, 'lead'],
    ['evangelist is not moved back into the funnel', 'evangelist', interested, 'evangelist'],
    ['an unknown stage value is replaced', 'subscriber', interested, 'lead'],
  ] as const)('%s', (_, lifecycleStage, input, stage) => {
    expect(classifyInput({ ...input, lifecycleStage }).stage).toBe(stage);
  });

  it('a lost deal moves opportunity back to lead (allowed: lostDeal) and says why', () => {
    const result = classifyInput(
      { ...interested, lifecycleStage: 'opportunity' },
      { opportunities: [{ stage: 'closedLost', isClosed: true }] },
    );
    expect(result.stage).toBe('lead');
    expect(result.trace.find((t) => t.rule === 'stage')?.note).toBe('lead (moved back, allowed by lostDeal)');
  });

  it('explains a refused move', () => {
    const result = classifyInput({ ...interested, lifecycleStage: 'sql' });
    expect(result.trace.find((t) => t.rule === 'stage')?.note).toBe(
      'sql (forward-only: sql → lead is not allowed)',
    );
  });
});

describe('conversion', () => {
  const highScore: PersonInput = {
    ...NOT_FITTING,
    firstConversion: 'Pricing whitepaper',
    recentConversion: 'Request a demo',
    conversionCount: 4,
    pageViews: 30,
    lastActivityAt: daysAgo(1),
    custom: { budget: 50_000, authority: true, need: 'two CRMs' },
  };
  it('fit and a sales action → convert, with how per system', () => {
    const result = classifyInput({ ...FITTING, recentConversion: 'Start free trial' });
    expect(result).toMatchObject({ salesReady: true, stage: 'sql' });
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

  it('a score at the sales-ready threshold → convert even without fit', () => {
    const result = classifyInput(highScore);
    expect(result.fit).toBe(false);
    expect(result.score).toBeGreaterThanOrEqual(75);
    expect(result.convert).toMatchObject({
      required: true,
      reason: `sales-ready: score ${result.score} ≥ 75`,
    });
  });

  it('a conversion raises the stage to its target', () => {
    const early = policyWith([
      '  when: { fact: salesReady }\n  salesforce:',
      '  when: { signal: trialStart }\n  salesforce:',
    ]);
    const trial = { ...NOT_FITTING, recentConversion: 'Start free trial' };
    expect(classifyInput(trial).stage).toBe('lead');
    const result = classifyInput(trial, { policy: early });
    expect(result.convert.required).toBe(true);
    expect(result.stage).toBe('sql');
  });

  it.each([
    [
      'not fit and no sales action',
      { ...NOT_FITTING, leadSource: 'web' },
      {},
      'conversion.when did not match (not sales-ready)',
    ],
    ['fit but no sales action', FITTING, {}, 'conversion.when did not match (not sales-ready)'],
    [
      'a sales action but no fit (and a low score)',
      { ...NOT_FITTING, recentConversion: 'Request a demo' },
      {},
      'conversion.when did not match (not sales-ready)',
    ],
    [
      'already a customer',
      highScore,
      { opportunities: [{ stage: 'closedWon', isClosed: true, isWon: true }] },
      'already a customer (a won opportunity)',
    ],
    [
      'already converted in Salesforce',
      { ...highScore, converted: { contactId: '003A' } },
      {},
      'already converted in Salesforce',
    ],
    [
      'already at customer',
      { ...highScore, kind: 'contact', lifecycleStage: 'customer' },
      {},
      'already past sql (at customer)',
    ],
  ] as const)('%s → no conversion', (_, input, facts, reason) => {
    expect(classifyInput(input, facts).convert).toEqual({ required: false, reason });
  });
});

describe('the classification', () => {
  it('does not depend on whether the person is a lead or a contact', () => {
    const input = { ...FITTING, recentConversion: 'Request a demo' };
    expect(classifyInput({ ...input, kind: 'contact' })).toEqual(classifyInput(input));
  });

  it('carries the policy version and a trace of every rule evaluated', () => {
    const result = classifyInput({ ...FITTING, recentConversion: 'Request a demo' });
    expect(result.policyVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(result.trace.find((t) => t.rule === 'fit.market')).toEqual({
      rule: 'fit.market',
      matched: true,
      saw: { 'address.country': 'US' },
    });
    expect(result.trace.find((t) => t.rule === 'signals.demoRequest')).toEqual({
      rule: 'signals.demoRequest',
      matched: true,
      saw: { firstConversion: null, recentConversion: 'Request a demo' },
    });
    expect(result.trace.map((t) => t.rule)).toContain('stage.rules[2] sql');
  });
});
