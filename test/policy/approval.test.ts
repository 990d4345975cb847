import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/index.ts';
import { classifyInput, DEFAULT_POLICY, FITTING, policyWith } from './default-policy.ts';
import { issuesAfter, MINIMAL } from './minimal-policy.ts';

/** A fitting person who asked for a demo after a first inquiry: sales-ready by the default policy. */
const READY = {
  ...FITTING,
  firstConversion: 'E-book',
  recentConversion: 'Request a demo',
  conversionCount: 2,
  leadStatus: 'new',
};

const AUTOMATIC = policyWith(['  approval: rep\n', '  approval: automatic\n']);

describe('conversion.approval in the policy file', () => {
  it('defaults to a rep, with the CRM acceptance of the default policy as its own key', () => {
    expect(DEFAULT_POLICY.definition.conversion).toMatchObject({
      when: { fact: 'salesReady' },
      approval: 'rep',
      accepted: {
        any: [
          { field: 'leadStatus', in: ['working', 'converted'] },
          { field: 'conversionProposal', eq: 'accepted' },
        ],
      },
    });
    expect(issuesAfter()).toEqual([]);
    expect(AUTOMATIC.definition.conversion.approval).toBe('automatic');
  });

  it('is rep when a policy does not say (version 1 files load as they are, and propose)', () => {
    const minimal = parsePolicy(MINIMAL, 'policy.yaml');
    expect(MINIMAL).not.toContain('approval');
    expect(minimal.ok && minimal.value.conversion.approval).toBe('rep');
  });

  it('refuses other values, an acceptance read before it is decided and a when that waits for the acceptance', () => {
    expect(
      issuesAfter([
        'hubspot: { lifecycleStage: sql }',
        'hubspot: { lifecycleStage: sql }\n  approval: manual',
      ]),
    ).toEqual(['policy.yaml:39:13 conversion.approval: expected one of rep, automatic; got "manual"']);
    expect(
      issuesAfter([
        'hubspot: { lifecycleStage: sql }',
        'hubspot: { lifecycleStage: sql }\n  accepted: { all: [{ fact: salesReady }, { field: leadStatus, eq: working }] }',
      ]),
    ).toEqual([
      'policy.yaml:39:29 conversion.accepted.all[0].fact: "salesReady" is not known yet in salesReady rules (it is decided later)',
    ]);
    expect(
      issuesAfter([
        'conversion:\n',
        'conversion:\n  when: { all: [{ fact: salesReady }, { fact: accepted }] }\n',
      ]),
    ).toEqual([
      "policy.yaml:37:47 conversion.when.all[1].fact: with approval: rep, conversion.when is the sales-ready condition alone: a rep's acceptance is conversion.accepted (or crm-bridge conversions accept), and a when that requires it would propose nobody",
    ]);
    // With automatic conversion, a when that reads the acceptance is the admin's choice.
    expect(
      issuesAfter([
        'conversion:\n',
        'conversion:\n  approval: automatic\n  when: { all: [{ fact: salesReady }, { fact: accepted }] }\n',
      ]),
    ).toEqual([]);
  });

  it('changes the policy version', () => {
    expect(AUTOMATIC.version).not.toBe(DEFAULT_POLICY.version);
  });
});

describe('a conversion a rep confirms', () => {
  it('proposes a sales-ready person no rep accepted: stage lead, no conversion', () => {
    const result = classifyInput(READY);
    expect(result).toMatchObject({ salesReady: true, stage: 'lead', proposal: 'proposed' });
    expect(result.convert).toMatchObject({ required: false, proposed: true });
  });

  it('converts once a rep accepted it in the CRM (Lead Status working)', () => {
    const result = classifyInput({ ...READY, leadStatus: 'working' });
    expect(result).toMatchObject({ stage: 'sql', proposal: 'accepted', convert: { required: true } });
  });

  it('converts once a rep set the proposal shown in the CRM to accepted', () => {
    const result = classifyInput({ ...READY, conversionProposal: 'accepted' });
    expect(result).toMatchObject({ stage: 'sql', proposal: 'accepted', convert: { required: true } });
  });

  it('converts once a rep accepted it from the CLI, with the CRM untouched', () => {
    const result = classifyInput(READY, { decision: 'accepted' });
    expect(result).toMatchObject({ stage: 'sql', proposal: 'accepted', convert: { required: true } });
    expect(result.trace).toContainEqual({ rule: 'conversion.rep', matched: true, saw: { rep: 'accepted' } });
  });

  it('stops proposing a person a rep declined from the CLI, until a rep accepts it in the CRM', () => {
    const declined = classifyInput(READY, { decision: 'rejected' });
    expect(declined).toMatchObject({ stage: 'lead', proposal: null });
    expect(declined.convert).toEqual({
      required: false,
      reason:
        'sales-ready: fits and took a sales action (demoRequest), but a rep declined it (crm-bridge conversions reject)',
    });
    const later = classifyInput({ ...READY, leadStatus: 'working' }, { decision: 'rejected' });
    expect(later.convert.required).toBe(true);
  });

  it('proposes nobody who is not ready, and keeps "accepted" once the Lead was converted', () => {
    expect(classifyInput({ ...READY, recentConversion: 'E-book', conversionCount: 1 }).proposal).toBeNull();
    const converted = classifyInput({
      ...READY,
      leadStatus: 'converted',
      converted: { contactId: '003A' },
    });
    expect(converted).toMatchObject({ proposal: 'accepted', convert: { required: false } });
  });

  it('with approval automatic, converts a sales-ready person at once and proposes nothing', () => {
    const result = classifyInput(READY, { policy: AUTOMATIC });
    expect(result).toMatchObject({ stage: 'sql', proposal: null, convert: { required: true } });
  });
});
