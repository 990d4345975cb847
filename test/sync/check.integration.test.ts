import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { checkAgainstCrms, formatProblems } from '../../src/sync/check.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe('crm-bridge check against both sandboxes', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
  });
  afterAll(async () => {
    await h.close();
  });

  it('finds nothing wrong with the example config but the close date a deal can lack', async () => {
    const ctx = await h.context();
    const problems = await checkAgainstCrms(ctx.config, ctx.connectors);
    expect(formatProblems(problems, 'config/example.yaml')).toEqual([
      expect.stringMatching(
        /^config\/example\.yaml:\d+:\d+ objects\.opportunity\.fields\[2\]: sf Opportunity\.CloseDate is required to create a record, and closeDate can be empty; fix: add \{ default: \{ sf: <value> \} \} to the transforms of closeDate$/,
      ),
    ]);
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('names a missing field, a read-only field written to, and a picklist value the CRM does not have', async () => {
    const text = readFileSync('config/example.yaml', 'utf8')
      .replace('hs: jobtitle', 'hs: job_title')
      .replace(
        '{ unified: isWon, sf: IsWon, hs: hs_is_closed_won, rule: none }',
        '{ unified: isWon, sf: IsWon, hs: hs_is_closed_won }',
      )
      .replace('working: { sf: Working - Contacted,', 'working: { sf: Working,');
    const parsed = parseConfig(text, 'changed.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const ctx = await h.context();
    const problems = await checkAgainstCrms(parsed.value, ctx.connectors);
    const errors = problems.filter((p) => p.severity === 'error');
    // Every problem at once, each at its line of the config, with the fix.
    const lines = formatProblems(errors, 'changed.yaml', text);
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^changed\.yaml:\d+:\d+ objects\.opportunity\.fields\[\d+\]\.rule: hs deals\.hs_is_closed_won is read-only, but rule two-way writes isWon to it; fix: use rule none, or one-way from hs$/,
        ),
        expect.stringMatching(
          /^changed\.yaml:\d+:\d+ objects\.opportunity\.fields\[\d+\]\.rule: sf Opportunity\.IsWon is read-only, but rule two-way writes isWon to it; fix: use rule none, or one-way from sf$/,
        ),
        expect.stringMatching(
          /^changed\.yaml:\d+:\d+ objects\.person\.fields\[6\]\.hs: hs contacts\.job_title no such field \(did you mean jobtitle\?\), mapped to title; fix: name the field jobtitle, or create job_title in hs$/,
        ),
        expect.stringMatching(
          /^changed\.yaml:\d+:\d+ valueMaps\.leadStatus\.working\.sf: sf Lead\.Status value map leadStatus writes "Working", not an active value of this picklist; fix: add "Working" to the picklist, or write one of its values$/,
        ),
      ]),
    );
  });
});
