import { describe, expect, it } from 'vitest';
import { Person } from '../../src/model/index.ts';
import { classify, parsePolicy } from '../../src/policy/index.ts';
import { issuesAfter, MINIMAL } from './minimal-policy.ts';

describe('a policy file', () => {
  it('that is valid compiles and classifies', () => {
    const result = parsePolicy(MINIMAL, 'policy.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const person = Person.parse({
      kind: 'lead',
      recentConversion: 'Book a demo',
      address: { country: 'CA' },
    });
    const account = { sources: {}, custom: {}, deleted: false, employees: 80 };
    const verdict = classify(person, account, [], result.value, { now: 0 });
    expect(verdict).toMatchObject({ fit: true, leadType: 'SRL', salesReady: true, stage: 'sql', score: 100 });
  });
});

describe('bad policies are rejected with file:line:column messages', () => {
  it.each<[string, [string, string][], string[]]>([
    [
      'an unknown field path, with a suggestion',
      [['account.employees', 'account.employes']],
      [
        'policy.yaml:9:20 fit.criteria.size.field: unknown field (did you mean "account.employees"?); got "account.employes"',
      ],
    ],
    [
      'an unknown field path',
      [['address.country', 'favouriteColour']],
      ['policy.yaml:10:22 fit.criteria.market.field: unknown field; got "favouriteColour"'],
    ],
    [
      'a stage listed twice (a cycle in the funnel)',
      [['order: [lead, mql, sql, customer]', 'order: [lead, mql, sql, lead, customer]']],
      [
        'policy.yaml:27:27 stage.order[3]: "lead" is listed twice in the order (already order[0]); the funnel cannot loop back',
      ],
    ],
    [
      'a stage both in the order and outside it',
      [['outside: [other]', 'outside: [other, mql]']],
      ['policy.yaml:28:20 stage.outside[1]: "mql" is in the order; a stage is either in it or outside'],
    ],
    [
      'a rule naming a stage that is not in the order',
      [['{ stage: lead, when', '{ stage: leed, when']],
      [
        'policy.yaml:33:16 stage.rules[2].stage: unknown stage; expected one of lead, mql, sql, customer, other; got "leed"',
      ],
    ],
    [
      'an unknown default stage',
      [['default: other', 'default: nurture']],
      [
        'policy.yaml:29:12 stage.default: unknown stage; expected one of lead, mql, sql, customer, other; got "nurture"',
      ],
    ],
    [
      'allowBackward naming an unknown stage',
      [['to: [sql]', 'to: [sale]']],
      [
        'policy.yaml:35:48 stage.allowBackward[0].to[0]: unknown stage; expected one of lead, mql, sql, customer, other; got "sale"',
      ],
    ],
    [
      'allowBackward listing a forward move',
      [['from: [customer], to: [sql]', 'from: [lead], to: [sql]']],
      [
        'policy.yaml:35:44 stage.allowBackward[0].to[0]: "lead" → "sql" is a forward move, always allowed; allowBackward lists moves back',
      ],
    ],
    [
      'a conversion target outside the order',
      [['lifecycleStage: sql', 'lifecycleStage: other']],
      [
        'policy.yaml:38:30 conversion.hubspot.lifecycleStage: expected a stage of the order (lead, mql, sql, customer); got "other"',
      ],
    ],
    [
      'hot not above warm',
      [['bant:\n  criteria:', 'bant:\n  hot: 2\n  warm: 2\n  criteria:']],
      ['policy.yaml:12:8 bant.hot: hot (2) must be above warm (2)'],
    ],
    [
      'warm raised to the default hot',
      [['bant:\n  criteria:', 'bant:\n  warm: 3\n  criteria:']],
      ['policy.yaml:12:9 bant.warm: hot (3) must be above warm (3)'],
    ],
    [
      'hot above the four BANT criteria',
      [['bant:\n  criteria:', 'bant:\n  hot: 5\n  criteria:']],
      ['policy.yaml:12:8 bant.hot: expected at most 4; got 5'],
    ],
    [
      'an MQL threshold not below sales-ready',
      [['mql: 40, salesReady: 80', 'mql: 80, salesReady: 80']],
      ['policy.yaml:21:22 score.thresholds.mql: mql (80) must be below salesReady (80)'],
    ],
    [
      'an engaged threshold not below sales-ready',
      [['mql: 40, salesReady: 80', 'engaged: 90, salesReady: 80']],
      ['policy.yaml:21:26 score.thresholds.engaged: engaged (90) must be below salesReady (80)'],
    ],
    [
      'a temperature read by a score rule (engagement may still raise it)',
      [['when: { signal: demoRequest } }', 'when: { temperature: [hot] } }']],
      [
        'policy.yaml:20:72 score.rules[1].when.temperature: the temperature is not known yet in score rules (it is decided later)',
      ],
    ],
    [
      'a temperature raise reading what is decided after it',
      [['score:\n', '  raise: [{ to: warm, when: { fact: salesReady } }]\nscore:\n']],
      [
        'policy.yaml:17:37 bant.raise[0].when.fact: "salesReady" is not known yet in leadType rules (it is decided later)',
      ],
    ],
    [
      'a notLeads rule reading a signal',
      [['signals:\n', 'notLeads:\n  partner: { signal: formFill }\nsignals:\n']],
      ['policy.yaml:3:22 notLeads.partner.signal: a signal cannot refer to another signal'],
    ],
    [
      'an unreachable threshold',
      [['mql: 40, salesReady: 80', 'mql: 40, salesReady: 120']],
      [
        'policy.yaml:21:38 score.thresholds.salesReady: salesReady (120) is unreachable: the rules give at most 100 points',
      ],
    ],
    [
      'a backreference in a regex',
      [['matches: demo', 'matches: "(a)\\\\1"']],
      [
        'policy.yaml:3:52 signals.demoRequest.matches: unsupported regular expression: backreference "\\1"; patterns run on RE2, which matches in linear time and has no backreferences or lookarounds',
      ],
    ],
    [
      'a lookahead in a regex',
      [['matches: demo', 'matches: "(?=a)"']],
      [
        'policy.yaml:3:52 signals.demoRequest.matches: unsupported regular expression: lookahead "(?="; patterns run on RE2, which matches in linear time and has no backreferences or lookarounds',
      ],
    ],
    [
      'a negative lookbehind in a regex',
      [['matches: demo', 'matches: "(?<!pre)demo"']],
      [
        'policy.yaml:3:52 signals.demoRequest.matches: unsupported regular expression: lookbehind "(?<!"; patterns run on RE2, which matches in linear time and has no backreferences or lookarounds',
      ],
    ],
    [
      'a pattern over 200 characters',
      [['matches: demo', `matches: "${'a'.repeat(201)}"`]],
      [
        'policy.yaml:3:52 signals.demoRequest.matches: pattern is 201 characters long; at most 200 are allowed',
      ],
    ],
    [
      'an invalid regex',
      [['matches: demo', 'matches: "demo("']],
      [
        'policy.yaml:3:52 signals.demoRequest.matches: invalid regular expression: missing closing ): "demo("',
      ],
    ],
    [
      'a fact read before it is decided',
      [['size: { field: account.employees, gte: 50 }', 'size: { fact: salesReady }']],
      [
        'policy.yaml:9:19 fit.criteria.size.fact: "salesReady" is not known yet in fit rules (it is decided later)',
      ],
    ],
    [
      'a signal defined by another signal',
      [['formFill: { field: conversionCount, gte: 1 }', 'formFill: { signal: demoRequest }']],
      ['policy.yaml:4:23 signals.formFill.signal: a signal cannot refer to another signal'],
    ],
    [
      'an unknown signal',
      [['{ signal: formFill } }', '{ signal: formFil } }']],
      ['policy.yaml:24:34 leadType[1].when.signal: unknown signal (did you mean "formFill"?); got "formFil"'],
    ],
    [
      'a sales action that is not a signal',
      [['salesActions: [demoRequest]', 'salesActions: [demoRequest, trial]']],
      ['policy.yaml:5:29 salesActions[1]: unknown signal; got "trial"'],
    ],
    [
      'a number comparison on a text field',
      [['need: { field: custom.need, exists: true }', 'need: { field: title, gte: 3 }']],
      ['policy.yaml:15:32 bant.criteria.need.gte: "gte" needs a number field; title holds text'],
    ],
    [
      'text compared with a true/false field',
      [['authority: { field: custom.authority, eq: true }', 'authority: { field: doNotCall, eq: "yes" }']],
      [
        'policy.yaml:14:40 bant.criteria.authority.eq: expected true or false (doNotCall holds true or false); got "yes"',
      ],
    ],
    [
      'more required fit criteria than defined',
      [['require: all', 'require: 3']],
      ['policy.yaml:7:12 fit.require: requires 3 criteria but only 2 are defined'],
    ],
    [
      'a fit without criteria',
      [
        [
          '    size: { field: account.employees, gte: 50 }\n    market: { field: address.country, in: [US, CA] }\n',
          '    {}\n',
        ],
      ],
      ['policy.yaml:9:5 fit.criteria: expected at least one criterion'],
    ],
    [
      'two operators in one comparison',
      [['in: [US, CA] }', 'in: [US], exists: true }']],
      [
        'policy.yaml:10:13 fit.criteria.market: a comparison has one operator (gte with lte for a range); found in and exists',
      ],
    ],
    [
      'a range that never matches',
      [
        [
          'market: { field: address.country, in: [US, CA] }',
          'market: { field: employees, gte: 500, lte: 50 }',
        ],
      ],
      ['policy.yaml:10:13 fit.criteria.market: never matches: gte 500 is above lte 50'],
    ],
    [
      'an unknown key',
      [['version: 1', 'version: 1\ncolour: blue']],
      ['policy.yaml:2:1 colour: unknown key "colour"'],
    ],
  ])('%s', (_, edits, expected) => {
    expect(issuesAfter(...edits)).toEqual(expected);
  });

  it('reports every mistake at once, in file order', () => {
    expect(
      issuesAfter(
        ['order: [lead, mql, sql, customer]', 'order: [lead, mql, sql, lead, customer]'],
        ['mql: 40, salesReady: 80', 'mql: 90, salesReady: 80'],
        ['account.employees', 'account.employes'],
        ['matches: demo', 'matches: "(?!x)y"'],
      ),
    ).toEqual([
      'policy.yaml:3:52 signals.demoRequest.matches: unsupported regular expression: lookahead "(?!"; patterns run on RE2, which matches in linear time and has no backreferences or lookarounds',
      'policy.yaml:9:20 fit.criteria.size.field: unknown field (did you mean "account.employees"?); got "account.employes"',
      'policy.yaml:21:22 score.thresholds.mql: mql (90) must be below salesReady (80)',
      'policy.yaml:27:27 stage.order[3]: "lead" is listed twice in the order (already order[0]); the funnel cannot loop back',
    ]);
  });
});
