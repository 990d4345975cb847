import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_ORG } from '../../sandboxes/salesforce/index.ts';
import type { ExternalRecord, Write, WriteResult } from '../../src/connector/types.ts';
import { collect, lead, type SalesforceRig, startRig } from './salesforce-harness.ts';

const summary = (records: readonly ExternalRecord[]) => records.map((r) => `${r.id}|${r.fields.Email}`);
const outcome = (results: readonly WriteResult[]) =>
  results.map((r) => (r.ok ? `${r.ref}:${r.created ? 'created' : 'updated'}` : `${r.ref}:${r.error.code}`));

describe('salesforce under injected faults', () => {
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('completes a pull and a push with 10 % 503s and 5 % connection resets, with the same result', async () => {
    // Seed 12 injects both a 503 and a reset into the pull and into the push (the draws are reproducible).
    rig = await startRig({ seed: 12 }, { pageSize: 200 });
    const { sandbox, connector } = rig;
    sandbox.seed(
      'Lead',
      Array.from({ length: 3000 }, (_, i) => lead(i)),
    );
    const fields = ['Email', 'LastName'];
    const clean = await collect(connector.pull('Lead', { fields }));
    const writes = (tag: string): Write[] =>
      Array.from({ length: 1000 }, (_, i) => ({
        ref: `${tag}${i}`,
        fields: i % 100 === 7 ? { LastName: 'No Company' } : lead(10_000 + i, `${tag}.${i}@example.com`),
      }));
    const injected = () => ({ ...sandbox.server.faults.injected });
    sandbox.setFaults({ unavailable: 0.1, reset: 0.05 });
    const faulty = await collect(connector.pull('Lead', { fields }));
    const pullFaults = injected();

    sandbox.setFaults({});
    const cleanPush = await connector.push('Lead', writes('a'));
    sandbox.setFaults({ unavailable: 0.1, reset: 0.05 });
    const before = sandbox.count('Lead');
    const faultyPush = await connector.push('Lead', writes('b'));

    const pushFaults = injected();
    expect(pullFaults).toMatchObject({ unavailable: 1, reset: 1 });
    expect(pushFaults.unavailable - pullFaults.unavailable).toBeGreaterThan(0);
    expect(pushFaults.reset - pullFaults.reset).toBeGreaterThan(0);
    expect(summary(faulty.flatMap((p) => p.records))).toEqual(summary(clean.flatMap((p) => p.records)));
    expect(outcome(faultyPush).map((o) => o.slice(1))).toEqual(outcome(cleanPush).map((o) => o.slice(1)));
    // Nothing written twice: exactly the valid records were added.
    expect(sandbox.count('Lead') - before).toBe(faultyPush.filter((r) => r.ok).length);
  }, 30_000);

  it('retries only the records that hit UNABLE_TO_LOCK_ROW', async () => {
    rig = await startRig({ seed: 3 });
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 400 }, (_, i) => lead(i)),
    );
    sandbox.setFaults({ lock: 0.3 });
    const results = await connector.push(
      'Lead',
      ids.map((id, i) => ({ ref: `u${i}`, id, fields: { Title: 'Locked once' } })),
    );
    expect(results.every((r) => r.ok && !r.created)).toBe(true);
    expect(sandbox.server.faults.injected.lock).toBeGreaterThan(0);
    expect(sandbox.calls('collections:update')).toBe(2 + sandbox.server.faults.injected.lock);
  });

  it('gives up with an unavailable failure when Salesforce stays down', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    await connector.describe('Lead');
    sandbox.setFaults({ unavailable: 1 });
    await expect(connector.push('Lead', [{ ref: 'x', fields: lead(1) }])).rejects.toMatchObject({
      name: 'ConnectorFailure',
      kind: 'unavailable',
      code: 'SERVER_UNAVAILABLE',
    });
  });

  it('abandons a call that hangs and retries it, without writing twice', async () => {
    rig = await startRig({ seed: 11, timeoutMs: 2000 }, { pageSize: 200, requestTimeoutMs: 150 });
    const { sandbox, connector } = rig;
    sandbox.seed(
      'Lead',
      Array.from({ length: 1000 }, (_, i) => lead(i)),
    );
    await connector.describe('Lead');
    sandbox.setFaults({ timeout: 0.15 });
    const pages = await collect(connector.pull('Lead', { fields: ['Email'] }));
    const results = await connector.push(
      'Lead',
      Array.from({ length: 400 }, (_, i) => ({ ref: `t${i}`, fields: lead(5000 + i) })),
    );
    expect(sandbox.server.faults.injected.timeout).toBeGreaterThan(0);
    expect(pages.flatMap((p) => p.records)).toHaveLength(1000);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sandbox.count('Lead')).toBe(1400);
  });

  it('does not create twice when a create was carried out but its answer was lost', async () => {
    rig = await startRig({ seed: 4 }, { requestTimeoutMs: 100 });
    const { sandbox, connector } = rig;
    await connector.describe('Lead');
    sandbox.setFaults({ lostAnswer: 0.5 });
    const results = await connector.push(
      'Lead',
      Array.from({ length: 600 }, (_, i) => ({ ref: `c${i}`, fields: lead(i) })),
    );
    expect(sandbox.lostAnswers).toBeGreaterThan(0);
    expect(results.every((r) => r.ok && r.created)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.id : ''))).size).toBe(600);
    // Each lost answer was settled by looking the records up by e-mail, not by sending them again.
    expect(sandbox.calls('query')).toBe(sandbox.lostAnswers);
    expect(sandbox.count('Lead')).toBe(600);
  });

  it('does not create twice a record found again only by the external id it carries, when answers are lost', async () => {
    // Accounts without a website and opportunities have no e-mail to be found by: the other CRM's id they carry,
    // in a unique external-id field, finds them.
    rig = await startRig({ seed: 4, ...EXAMPLE_ORG }, { requestTimeoutMs: 100 });
    const { sandbox, connector } = rig;
    await connector.describe('Account');
    sandbox.setFaults({ lostAnswer: 0.5 });
    const results = await connector.push(
      'Account',
      Array.from({ length: 600 }, (_, i) => ({
        ref: `a${i}`,
        fields: { Name: `Account ${i}`, HubSpot_Id__c: String(5000 + i) },
      })),
    );
    expect(sandbox.lostAnswers).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(results.map((r) => (r.ok ? r.id : ''))).size).toBe(600);
    expect(sandbox.count('Account')).toBe(600);
  });

  it('reads and writes through answers cut off mid-body: pages read again, creates settled, none twice', async () => {
    rig = await startRig({ seed: 5 }, { pageSize: 200 });
    const { sandbox, connector } = rig;
    sandbox.seed(
      'Lead',
      Array.from({ length: 1000 }, (_, i) => lead(i)),
    );
    const fields = ['Email', 'LastName'];
    const clean = await collect(connector.pull('Lead', { fields }));
    sandbox.setFaults({ cut: 0.25 });
    const pulled = await collect(connector.pull('Lead', { fields }));
    const cutReads = sandbox.server.faults.injected.cut;
    const results = await connector.push(
      'Lead',
      Array.from({ length: 600 }, (_, i) => ({ ref: `c${i}`, fields: lead(5000 + i) })),
    );
    // Seed 5 cuts both a page of the pull and a create call of the push (the draws are reproducible).
    expect(cutReads).toBeGreaterThan(0);
    expect(sandbox.server.faults.injected.cut - cutReads).toBeGreaterThan(0);
    expect(summary(pulled.flatMap((p) => p.records))).toEqual(summary(clean.flatMap((p) => p.records)));
    expect(results.every((r) => r.ok && r.created)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.id : ''))).size).toBe(600);
    expect(sandbox.count('Lead')).toBe(1600);
  });

  it('converts each lead once when convertLead answers are lost or rows are locked', async () => {
    // Seed 6 loses two convertLead answers and locks the rows of two calls.
    rig = await startRig({ seed: 6 }, { requestTimeoutMs: 100 });
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 150 }, (_, i) => lead(i)),
    );
    await connector.describe('Lead');
    sandbox.setFaults({ lostAnswer: 0.3, lock: 0.2 });
    const results = await connector.convert(
      ids.map((id, i) => ({ ref: `c${i}`, personId: id, createOpportunity: false })),
    );
    expect([sandbox.lostAnswers, sandbox.server.faults.injected.lock]).toEqual([2, 2]);
    // A lead our own lost call converted is reported as converted now, not as found converted.
    expect(results.every((r) => r.ok && !r.alreadyConverted)).toBe(true);
    expect(sandbox.count('Contact')).toBe(150);
    expect(new Set(results.map((r) => (r.ok ? r.contactId : ''))).size).toBe(150);
  });
});
