import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_ORG } from '../../sandboxes/salesforce/index.ts';
import type { Cursor, ExternalRecord, Page } from '../../src/connector/types.ts';
import { collect, lead, type SalesforceRig, startRig } from './salesforce-harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function drain(pages: AsyncIterable<Page<ExternalRecord>>) {
  const records: ExternalRecord[] = [];
  let cursor: Cursor | undefined;
  for await (const page of pages) {
    records.push(...page.records);
    cursor = page.cursor ?? cursor;
  }
  return { records, cursor };
}

/** Lets the clock move on, so that what is written next has a later stamp. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('salesforce pull', () => {
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('streams 50,000 leads page by page, asking for the next page only when the consumer wants it', async () => {
    rig = await startRig(EXAMPLE_ORG, { pageSize: 2000 });
    const { sandbox, connector } = rig;
    sandbox.seed('Lead', sandbox.generate.leads(50_000));
    const fields = ['Email', 'FirstName', 'LastName', 'Company', 'Title', 'Phone', 'City', 'Country'];
    const pageSizes: number[] = [];
    const heap: number[] = [];
    let previous: string | undefined;
    for await (const page of connector.pull('Lead', { fields })) {
      pageSizes.push(page.records.length);
      // No read-ahead: the sandbox has served exactly the pages handed out so far.
      expect(sandbox.calls('query') + sandbox.calls('queryMore')).toBe(pageSizes.length);
      const first = page.records[0];
      if (previous !== undefined && first) expect(`${first.modifiedAt}|${first.id}` > previous).toBe(true);
      const last = page.records.at(-1);
      if (last) previous = `${last.modifiedAt}|${last.id}`;
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
    expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(50_000);
    expect(pageSizes).toHaveLength(25);
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(2000);
    // Holding every record would grow the heap by tens of MB; one page at a time keeps it flat.
    const growth = Math.max(...heap.slice(2)) - (heap[1] as number);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  }, 30_000);

  it('returns exactly the 10 changed records, two of them sharing a SystemModstamp across a page boundary', async () => {
    rig = await startRig({}, { pageSize: 200 });
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 1000 }, (_, i) => lead(i)),
    );
    const fields = ['Email', 'LastName'];
    const full = await drain(connector.pull('Lead', { fields }));
    expect(full.records).toHaveLength(1000);

    const changed = [5, 50, 150, 320, 404, 555, 640, 777, 901, 999].map((i) => ids[i] as string);
    sandbox.touch('Lead', changed.slice(0, 8), { fields: { Title: 'Changed' } });
    sandbox.touch('Lead', changed.slice(8), { fields: { Title: 'Changed' }, sameTimestamp: true });
    sandbox.setPageSize(9); // the 9th and 10th changes, with equal timestamps, land on either side of a page

    const pages: Page<ExternalRecord>[] = [];
    for await (const page of connector.pull('Lead', { fields, since: full.cursor as Cursor }))
      pages.push(page);
    const pulled = pages.flatMap((p) => p.records);
    expect(pulled.map((r) => r.id).sort()).toEqual([...changed].sort());
    const [ninth, tenth] = [pages[0]?.records.at(-1), pages[1]?.records[0]];
    expect(ninth?.modifiedAt).toBe(tenth?.modifiedAt);

    // Resuming from the cursor between the two equal timestamps yields only the one after it.
    const resumed = await drain(connector.pull('Lead', { fields, since: pages[0]?.cursor as Cursor }));
    expect(resumed.records.map((r) => r.id)).toEqual([tenth?.id]);
  });

  it("reads every record at the timestamp of a cursor without an id (the sync engine's overlap window)", async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 5 }, (_, i) => lead(i)),
    );
    const tied = ids.slice(1, 4);
    // Records written within the same millisecond share a stamp, as in Salesforce: these are written later.
    await tick();
    sandbox.touch('Lead', tied, { fields: { Title: 'Changed' }, sameTimestamp: true });
    const at = sandbox.read('Lead', tied[0] as string)?.SystemModstamp as string;
    const since = { modifiedAt: new Date(Date.parse(at)).toISOString(), id: '' };
    const { records } = await drain(connector.pull('Lead', { fields: ['Email'], since }));
    expect(records.map((r) => r.id).sort()).toEqual([...tied].sort());

    await tick();
    sandbox.touch('Lead', [ids[0] as string]);
    await tick();
    sandbox.remove('Lead', tied.slice(0, 2), ids[0]);
    await tick();
    sandbox.remove('Lead', tied.slice(2), ids[0]);
    const removedAt = sandbox.read('Lead', tied[2] as string)?.SystemModstamp as string;
    const refs = [];
    const after = { modifiedAt: new Date(Date.parse(removedAt)).toISOString(), id: '' };
    for await (const batch of connector.deleted('Lead', after)) refs.push(...batch);
    expect(refs.map((r) => r.id)).toEqual([tied[2]]);
  });

  it('reads records by id, leaving out strings that are no Salesforce id', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [id] = sandbox.seed('Lead', [lead(1)]) as string[];
    const found = await connector.read(
      'Lead',
      ['', 'null', id as string, (id as string).slice(0, 15)],
      ['Email'],
    );
    expect(found.map((r) => r.id)).toEqual([id]);
    expect(await connector.read('Lead', ['', "x' OR Id != '"], ['Email'])).toEqual([]);
    expect(sandbox.calls('query')).toBe(1);
  });

  it('selects only the requested fields plus the ones cursors, merges and conversions need', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    sandbox.seed('Lead', [lead(1)]);
    sandbox.seed('Account', [{ Name: 'Acme' }]);
    const [leadPage] = await collect(connector.pull('Lead', { fields: ['email'] }));
    expect(Object.keys(leadPage?.records[0]?.fields ?? {}).sort()).toEqual(
      [
        'ConvertedAccountId',
        'ConvertedContactId',
        'ConvertedDate',
        'ConvertedOpportunityId',
        'CreatedDate',
        'Email',
        'Id',
        'IsConverted',
        'IsDeleted',
        'MasterRecordId',
        'SystemModstamp',
      ].sort(),
    );
    const [accountPage] = await collect(connector.pull('Account', { fields: ['Name'] }));
    expect(Object.keys(accountPage?.records[0]?.fields ?? {}).sort()).toEqual(
      ['CreatedDate', 'Id', 'IsDeleted', 'MasterRecordId', 'Name', 'SystemModstamp'].sort(),
    );
  });

  it('links opportunities to their contacts through OpportunityContactRole', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [accountId] = sandbox.seed('Account', [{ Name: 'Acme' }]);
    const contacts = sandbox.seed('Contact', [{ LastName: 'A', AccountId: accountId }, { LastName: 'B' }]);
    const [opportunityId, lonely] = sandbox.seed('Opportunity', [
      { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2027-01-01', AccountId: accountId },
      { Name: 'Solo', StageName: 'Prospecting', CloseDate: '2027-01-01' },
    ]);
    sandbox.seed(
      'OpportunityContactRole',
      contacts.map((ContactId) => ({ OpportunityId: opportunityId, ContactId })),
    );
    const { records } = await drain(connector.pull('Opportunity', { fields: ['Name', 'AccountId'] }));
    expect(records.find((r) => r.id === opportunityId)?.associations).toEqual({ Contact: contacts });
    expect(records.find((r) => r.id === lonely)?.associations).toBeUndefined();
  });

  it('reports deleted and merged records after the cursor, with the surviving record of a merge', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 6 }, (_, i) => lead(i)),
    ) as string[];
    const { cursor } = await drain(connector.pull('Lead', { fields: ['Email'] }));
    sandbox.remove('Lead', [ids[1] as string]);
    sandbox.remove('Lead', [ids[2] as string], ids[0]);
    const refs = [];
    for await (const batch of connector.deleted('Lead', cursor as Cursor)) refs.push(...batch);
    expect(refs.map(({ deletedAt: _, ...ref }) => ref)).toEqual([
      { object: 'Lead', id: ids[1] },
      { object: 'Lead', id: ids[2], mergedInto: ids[0] },
    ]);
    const { records } = await drain(connector.pull('Lead', { fields: ['Email'], since: cursor as Cursor }));
    expect(records).toEqual([]);
  });

  it('refuses a field or object name that describe does not know, before any query', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const injected = collect(connector.pull('Lead', { fields: ['Email FROM Lead WHERE Id != null'] }));
    await expect(injected).rejects.toMatchObject({ kind: 'invalid', code: 'INVALID_FIELD' });
    await expect(collect(connector.pull('Lead WHERE Id', { fields: ['Email'] }))).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_TYPE',
    });
    expect(sandbox.calls('query')).toBe(0);
  });

  it('says what a converted lead became', async () => {
    rig = await startRig();
    const { sandbox, connector } = rig;
    const [leadId, plain] = sandbox.seed('Lead', [lead(1), lead(2)]) as string[];
    const [result] = await connector.convert([
      { ref: 'c', personId: leadId as string, createOpportunity: true },
    ]);
    if (!result?.ok) throw new Error('conversion failed');
    const { records } = await drain(connector.pull('Lead', { fields: ['Email'] }));
    const day = new Date().toISOString().slice(0, 10);
    expect(records.find((r) => r.id === leadId)?.converted).toEqual({
      contactId: result.contactId,
      accountId: result.accountId,
      opportunityId: result.opportunityId,
      at: `${day}T00:00:00.000Z`,
    });
    expect(records.find((r) => r.id === plain)?.converted).toBeUndefined();
  });

  it('starts again from its cursor when a query locator has expired', async () => {
    rig = await startRig({}, { pageSize: 200 });
    const { sandbox, connector } = rig;
    const ids = sandbox.seed(
      'Lead',
      Array.from({ length: 700 }, (_, i) => lead(i)),
    );
    const seen: string[] = [];
    for await (const page of connector.pull('Lead', { fields: ['Email'] })) {
      seen.push(...page.records.map((r) => r.id));
      if (seen.length === 200) sandbox.expireQueryLocators();
    }
    expect(seen).toEqual(ids);
    expect(sandbox.calls('query')).toBe(2);
  });
});
