import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { checkAgainstCrms } from '../../src/sync/check.ts';
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

  it('finds nothing wrong with the example config', async () => {
    const ctx = await h.context();
    expect(await checkAgainstCrms(ctx.config, ctx.connectors)).toEqual([]);
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
    expect(problems.map((p) => `${p.connection} ${p.object}.${p.field}: ${p.message}`).sort()).toEqual([
      'hs contacts.job_title: no such field (did you mean jobtitle?), mapped to title',
      'hs deals.hs_is_closed_won: is read-only, but rule two-way writes isWon to it (use rule none, or one-way from hs)',
      'sf Lead.Status: value map leadStatus uses "Working", not active values of this picklist',
      'sf Opportunity.IsWon: is read-only, but rule two-way writes isWon to it (use rule none, or one-way from sf)',
    ]);
  });
});
