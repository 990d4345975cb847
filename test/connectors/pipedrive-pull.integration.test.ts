import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PipedriveConnector } from '../../connectors/pipedrive/index.ts';
import type { PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import type { Cursor, ExternalRecord } from '../../src/connector/types.ts';
import { startPipedrive } from './pipedrive-harness.ts';

/** Reads one page at a time, starting again from the last saved cursor each time, as a crashing worker would. */
async function pullPageByPage(
  connector: PipedriveConnector,
  object: string,
  since: Cursor | undefined,
  pageSize: number,
) {
  const records: ExternalRecord[] = [];
  let cursor = since;
  let pages = 0;
  for (;;) {
    const stream = connector.pull(object, {
      fields: ['name', 'title'],
      pageSize,
      ...(cursor ? { since: cursor } : {}),
    });
    const iterator = stream[Symbol.asyncIterator]();
    const next = await iterator.next();
    await iterator.return?.();
    if (next.done) return { records, cursor, pages };
    pages++;
    records.push(...next.value.records);
    cursor = next.value.cursor ?? cursor;
  }
}

describe('Pipedrive pull', () => {
  let sandbox: PipedriveSandbox;
  let connector: PipedriveConnector;
  let now = Date.parse('2026-03-01T12:00:00.250Z');

  beforeAll(async () => {
    ({ sandbox, connector } = await startPipedrive({ clock: () => now }));
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    now = Date.parse('2026-03-01T12:00:00.250Z');
  });

  it('loses and repeats nothing when 500 records share one second, even resuming after every page', async () => {
    const ids = sandbox.seed(
      'persons',
      Array.from({ length: 500 }, (_, i) => ({ name: `Same Second ${i}` })),
    );
    const { records, cursor, pages } = await pullPageByPage(connector, 'persons', undefined, 100);
    expect(records.map((r) => r.id)).toEqual(ids);
    // One second is never split: its records form one page, whatever the page size asked.
    expect(pages).toBe(1);
    expect(new Set(records.map((r) => r.modifiedAt)).size).toBe(1);

    // Changes within that same second, to records before and after the cursor's: each comes back once.
    sandbox.touch('persons', [ids[3] as string, ids[499] as string], { fields: { job_title: 'Changed' } });
    const again = await pullPageByPage(connector, 'persons', cursor, 100);
    expect(again.records.map((r) => r.id).sort()).toEqual([ids[3], ids[499]].sort());
    expect(again.records.every((r) => r.fields.job_title === 'Changed')).toBe(true);
    const idle = await pullPageByPage(connector, 'persons', again.cursor, 100);
    expect(idle.records).toEqual([]);
  });

  it('hands on a long run of equal seconds page by page in (modifiedAt, id) order, resuming from any page', async () => {
    const seconds = [0, 0, 0, 1, 1, 2];
    const ids: string[] = [];
    for (const [i, s] of seconds.entries()) {
      ids.push(
        ...sandbox.seed(
          'deals',
          Array.from({ length: 150 }, (_, j) => ({ title: `D ${i}.${j}` })),
          now + s * 1000,
        ),
      );
    }
    const expected = [...ids].sort((a, b) => Number(a) - Number(b));
    const { records } = await pullPageByPage(connector, 'deals', undefined, 100);
    expect(records.map((r) => r.id)).toEqual(expected);
    const keys = records.map((r) => `${r.modifiedAt}|${r.id.padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("orders and resumes the same when the API lists a second's records in no particular order", async () => {
    const scrambled = await startPipedrive({ clock: () => now, scrambleTies: true });
    try {
      const ids: string[] = [];
      for (const s of [0, 0, 1, 1, 1, 2]) {
        ids.push(
          ...scrambled.sandbox.seed(
            'persons',
            Array.from({ length: 120 }, (_, j) => ({ name: `S ${s}.${j}` })),
            now + s * 1000,
          ),
        );
      }
      const listed = await fetch(`${scrambled.sandbox.url}/api/v2/persons?sort_by=update_time&limit=5`, {
        headers: { 'x-api-token': 'sandbox-pipedrive-token' },
      });
      const firstIds = ((await listed.json()) as { data: { id: number }[] }).data.map((p) => String(p.id));
      expect(firstIds).not.toEqual(ids.slice(0, 5));
      const { records } = await pullPageByPage(scrambled.connector, 'persons', undefined, 50);
      expect(records.map((r) => r.id)).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    } finally {
      await scrambled.sandbox.close();
    }
  });

  it('pulls leads through v1 offset paging, incrementally by update time', async () => {
    const [person = ''] = sandbox.seed('persons', [{ name: 'Owner Of Leads' }]);
    const leads = sandbox.seed(
      'leads',
      Array.from({ length: 230 }, (_, i) => ({
        title: `Lead ${i}`,
        person_id: Number(person),
        value: { amount: i, currency: 'EUR' },
      })),
    );
    const full = await pullPageByPage(connector, 'leads', undefined, 100);
    expect(full.records.map((r) => r.id).sort()).toEqual([...leads].sort());
    expect(full.records.find((r) => r.id === leads[7])?.fields).toMatchObject({
      title: 'Lead 7',
      value: 7,
      currency: 'EUR',
    });
    now += 5000;
    sandbox.touch('leads', [leads[0] as string], { fields: { title: 'Renamed lead' } });
    const next = await pullPageByPage(connector, 'leads', full.cursor, 100);
    expect(next.records.map((r) => [r.id, r.fields.title])).toEqual([[leads[0], 'Renamed lead']]);
  });
});
