import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { ENGINES, postgresDatabase, type TestDatabase } from '../support/databases.ts';

describe.each(ENGINES)('state store on %s', (_engine, create) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = create();
    store = await openStore(db.url);
  });
  afterAll(async () => {
    // The schema goes even when the store never opened.
    await (store as Store | undefined)?.close();
    await db.drop();
  });

  it('keeps a cursor per connection and object, and moves it', async () => {
    expect(await store.getCursor('sf', 'Lead')).toBeUndefined();
    await store.saveCursor('sf', 'Lead', { modifiedAt: '2026-11-01T10:00:00.000Z', id: '00Q1' });
    await store.saveCursor('sf', 'Lead', { modifiedAt: '2026-11-02T10:00:00.000Z', id: '00Q9' });
    await store.saveCursor('hs', 'contacts', { modifiedAt: '2026-11-03T00:00:00.000Z', id: '501' });
    expect(await store.getCursor('sf', 'Lead')).toEqual({
      modifiedAt: '2026-11-02T10:00:00.000Z',
      id: '00Q9',
    });
    expect(await store.getCursor('hs', 'contacts')).toEqual({
      modifiedAt: '2026-11-03T00:00:00.000Z',
      id: '501',
    });
  });

  it('keeps where each delete scan got to and when it ran', async () => {
    expect(await store.getDeleteCheck('hs', 'contacts')).toBeUndefined();
    const check = { cursorAt: '2026-11-01T10:00:00.000Z', checkedAt: '2026-11-25T12:00:00.000Z' };
    await store.saveDeleteCheck('hs', 'contacts', check);
    await store.saveDeleteCheck('hs', 'contacts', { ...check, checkedAt: '2026-11-25T12:05:00.000Z' });
    expect(await store.getDeleteCheck('hs', 'contacts')).toEqual({
      ...check,
      checkedAt: '2026-11-25T12:05:00.000Z',
    });
  });

  it('maps one unified id to each system, and re-points a converted lead', async () => {
    const lead = {
      entity: 'person',
      unifiedId: 'u1',
      connection: 'sf',
      object: 'Lead',
      externalId: '00Q1',
    } as const;
    const contact = {
      entity: 'person',
      unifiedId: 'u1',
      connection: 'hs',
      object: 'contacts',
      externalId: '101',
    } as const;
    await store.link([lead, contact]);
    const found = await store.findLinks([
      lead,
      contact,
      { connection: 'sf', object: 'Lead', externalId: 'nope' },
    ]);
    expect([...found.keys()].sort()).toEqual(['hs/contacts/101', 'sf/Lead/00Q1']);

    // Salesforce converted the lead: its Contact joins the same unified person.
    await store.link([
      { entity: 'person', unifiedId: 'u1', connection: 'sf', object: 'Contact', externalId: '0031' },
    ]);
    const all = await store.linksOf(['u1']);
    expect(all.map((l) => `${l.connection}/${l.object}/${l.externalId}`).sort()).toEqual([
      'hs/contacts/101',
      'sf/Contact/0031',
      'sf/Lead/00Q1',
    ]);

    // A merge moves a record to another unified id: the link is re-pointed, not duplicated.
    await store.link([{ ...contact, unifiedId: 'u2' }]);
    expect((await store.findLinks([contact])).get('hs/contacts/101')?.unifiedId).toBe('u2');
    await store.unlink([lead]);
    expect((await store.findLinks([lead])).size).toBe(0);
    expect(await store.hasLinks('sf', 'Contact')).toBe(true);
    expect(await store.hasLinks('sf', 'Lead')).toBe(false);
  });

  it('finds unified ids by match key, including ambiguous ones', async () => {
    await store.setMatchKeys('person', 'p1', { email: ['ada@example.com'] });
    await store.setMatchKeys('person', 'p2', { email: ['ada@example.com', 'ada@work.example'] });
    await store.setMatchKeys('account', 'a1', { domain: ['example.com'] });
    const byEmail = await store.findByMatchKey('person', 'email', [
      'ada@example.com',
      'ada@work.example',
      'x@y.z',
    ]);
    expect(byEmail.get('ada@example.com')).toEqual(['p1', 'p2']);
    expect(byEmail.get('ada@work.example')).toEqual(['p2']);
    expect(byEmail.has('x@y.z')).toBe(false);
    await store.setMatchKeys('person', 'p2', { email: ['ada@work.example'] });
    expect(
      (await store.findByMatchKey('person', 'email', ['ada@example.com'])).get('ada@example.com'),
    ).toEqual(['p1']);
  });

  it('remembers the hash of what was written, for echo suppression, in batches larger than one statement', async () => {
    const entries = Array.from({ length: 1200 }, (_, i) => ({
      connection: 'hs',
      object: 'contacts',
      externalId: String(i),
      hash: `h${i}`,
    }));
    await store.saveWritten(entries);
    await store.saveWritten([{ connection: 'hs', object: 'contacts', externalId: '7', hash: 'changed' }]);
    const hashes = await store.writtenHashes(entries);
    expect(hashes.size).toBe(1200);
    expect(hashes.get('hs/contacts/7')).toBe('changed');
    expect(hashes.get('hs/contacts/1199')).toBe('h1199');
  });

  it('forgets what was written to some records, so that the next pull sees them as changed', async () => {
    await store.saveWritten([
      { connection: 'sf', object: 'Lead', externalId: '00Qa', hash: 'a' },
      { connection: 'sf', object: 'Lead', externalId: '00Qb', hash: 'b' },
    ]);
    await store.forgetWritten([
      { connection: 'sf', object: 'Lead', externalId: '00Qa' },
      { connection: 'sf', object: 'Lead', externalId: 'never-written' },
    ]);
    const hashes = await store.writtenHashes([
      { connection: 'sf', object: 'Lead', externalId: '00Qa' },
      { connection: 'sf', object: 'Lead', externalId: '00Qb' },
    ]);
    expect(Object.fromEntries(hashes)).toEqual({ 'sf/Lead/00Qb': 'b' });
  });

  it('records which connection last set each field', async () => {
    await store.saveProvenance('u1', {
      email: { connection: 'sf', modifiedAt: '2026-11-01T00:00:00.000Z' },
      title: { connection: 'hs', modifiedAt: '2026-11-02T00:00:00.000Z' },
    });
    await store.saveProvenance('u1', { title: { connection: 'sf', modifiedAt: '2026-11-03T00:00:00.000Z' } });
    const p = await store.provenance('u1');
    expect(p.get('email')).toEqual({ connection: 'sf', modifiedAt: '2026-11-01T00:00:00.000Z' });
    expect(p.get('title')).toEqual({ connection: 'sf', modifiedAt: '2026-11-03T00:00:00.000Z' });
  });

  it('keeps the last synced snapshot of each record', async () => {
    await store.saveSnapshots([
      { unifiedId: 'u1', entity: 'person', data: { email: 'ada@example.com', title: 'CTO' } },
      { unifiedId: 'u2', entity: 'account', data: { domain: 'example.com' } },
    ]);
    await store.saveSnapshots([
      { unifiedId: 'u1', entity: 'person', data: { email: 'ada@example.com', title: 'CEO' } },
    ]);
    const snapshots = await store.snapshots(['u1', 'u2', 'u3']);
    expect(snapshots.get('u1')).toEqual({ email: 'ada@example.com', title: 'CEO' });
    expect(snapshots.get('u2')).toEqual({ domain: 'example.com' });
    expect(snapshots.has('u3')).toBe(false);
  });

  it("keeps a rep's latest decision on each conversion, finds the people still marked proposed, and lists proposals oldest first", async () => {
    const person = (proposal: string | null, since?: string) => ({
      email: 'x@example.com',
      conversionProposal: proposal,
      ...(since === undefined ? {} : { conversionProposedAt: since }),
    });
    await store.saveSnapshots([
      { unifiedId: 'ap1', entity: 'person', data: person('proposed', '2026-11-02T00:00:00.000Z') },
      { unifiedId: 'ap2', entity: 'person', data: person('proposed', '2026-11-01T00:00:00.000Z') },
      { unifiedId: 'ap3', entity: 'person', data: person('accepted', '2026-10-01T00:00:00.000Z') },
      { unifiedId: 'ap4', entity: 'person', data: person(null) },
      // An account never is a proposal, whatever its record holds.
      { unifiedId: 'ap5', entity: 'account', data: { conversionProposal: 'proposed' } },
    ]);
    expect((await store.proposals(10)).map((p) => p.unifiedId)).toEqual(['ap2', 'ap1']);
    expect((await store.proposals(1)).map((p) => p.person)).toEqual([
      person('proposed', '2026-11-01T00:00:00.000Z'),
    ]);
    expect(await store.pendingApprovals()).toEqual([]);

    await store.recordApproval('ap1', 'rejected', '2026-11-03T00:00:00.000Z');
    await store.recordApproval('ap1', 'accepted', '2026-11-04T00:00:00.000Z');
    await store.recordApproval('ap3', 'accepted');
    await store.recordApproval('nobody', 'accepted');
    const approvals = await store.approvalsOf(['ap1', 'ap2', 'ap3', 'nobody']);
    expect(approvals.get('ap1')).toEqual({
      unifiedId: 'ap1',
      decision: 'accepted',
      decidedAt: '2026-11-04T00:00:00.000Z',
    });
    expect(approvals.has('ap2')).toBe(false);
    expect(approvals.get('ap3')?.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // ap1 is accepted but its record still says proposed: the next round plans it. ap3 shows it already.
    expect(await store.pendingApprovals()).toEqual(['ap1']);
    await store.saveSnapshots([{ unifiedId: 'ap1', entity: 'person', data: person('accepted') }]);
    expect(await store.pendingApprovals()).toEqual([]);
    expect((await store.approvalsOf(Array.from({ length: 1200 }, (_, i) => `ap${i}`))).size).toBe(2);
  });

  it('quarantines a bad record once, counts repeated attempts, and resolves it', async () => {
    const entry = {
      entity: 'person',
      connection: 'hs',
      object: 'contacts',
      externalId: '42',
      field: 'email',
      value: 'not-an-email',
      reason: 'invalid e-mail',
    } as const;
    await store.quarantine([entry]);
    await store.quarantine([{ ...entry, reason: 'invalid e-mail (again)' }]);
    const [listed, ...rest] = await store.listQuarantine();
    expect(rest).toEqual([]);
    expect(listed).toMatchObject({ ...entry, reason: 'invalid e-mail (again)', attempts: 2 });
    expect(await store.countQuarantine()).toBe(1);
    await store.resolveQuarantine([listed?.id ?? -1]);
    expect(await store.listQuarantine()).toEqual([]);
    expect(await store.countQuarantine()).toBe(0);
    expect(await store.listQuarantine({ includeResolved: true })).toHaveLength(1);
  });

  it('takes one entry per record and field from one call, the record held over a field left out', async () => {
    // One round may raise the same field twice (an e-mail that does not map, and then no match key to create by).
    const at = {
      entity: 'person',
      connection: 'hs',
      object: 'contacts',
      externalId: '43',
      field: 'email',
    } as const;
    await store.quarantine([
      { ...at, kind: 'field', value: 'not-an-address', reason: 'email: not an e-mail address' },
      { ...at, kind: 'held', value: 'not-an-address', reason: 'no valid email to create the record by' },
      { ...at, kind: 'field', value: 'not-an-address', reason: 'email: not an e-mail address (again)' },
    ]);
    const listed = await store.listQuarantine();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      ...at,
      kind: 'held',
      reason: 'no valid email to create the record by',
      attempts: 1,
    });
  });

  it('prunes what is older than a bound: write history, settled quarantine entries and finished runs, nothing open', async () => {
    // A store of its own: the others' entries and runs would be pruned with these.
    const ownDb = create();
    const own = await openStore(ownDb.url);
    try {
      const write = {
        entity: 'person',
        unifiedId: 'u-1',
        connection: 'hs',
        object: 'contacts',
        externalId: '7',
        runId: 'run-a',
        kind: 'updated',
        changes: { phone: { from: null, to: '+15550100' } },
      } as const;
      await own.recordWrites([
        { ...write, at: '2025-03-01T00:00:00.000Z' },
        { ...write, at: '2026-11-30T00:00:00.000Z' },
      ]);
      const entry = {
        entity: 'person',
        connection: 'hs',
        object: 'contacts',
        field: 'email',
        value: 'x',
        reason: 'bad',
      } as const;
      await own.quarantine([
        { ...entry, externalId: 'settled' },
        { ...entry, externalId: 'open' },
      ]);
      const settled = (await own.listQuarantine()).find((q) => q.externalId === 'settled');
      await own.resolveQuarantine([settled?.id ?? -1]);
      await own.startRun('run-finished', 'sf-hs');
      await own.finishRun('run-finished', 'succeeded', {
        counts: {},
        apiCalls: {},
        errors: {},
        durationMs: 1,
      });
      await own.startRun('run-running', 'sf-hs');

      // A bound in 2026 takes only the write of 2025.
      expect(await own.prune(new Date('2026-01-01T00:00:00.000Z'))).toEqual({
        writes: 1,
        settled: 0,
        runs: 0,
      });
      expect((await own.writesOf(['u-1'])).map((w) => w.at)).toEqual(['2026-11-30T00:00:00.000Z']);
      // A bound after everything: what is settled or finished goes, what is open or running stays.
      expect(await own.prune(new Date(Date.now() + 60_000))).toEqual({ writes: 1, settled: 1, runs: 1 });
      expect((await own.listQuarantine({ includeResolved: true })).map((q) => q.externalId)).toEqual([
        'open',
      ]);
      expect((await own.listRuns(10)).map((r) => [r.id, r.status])).toEqual([['run-running', 'running']]);
    } finally {
      await own.close();
      await ownDb.drop();
    }
  });

  it('logs runs with their summary, newest first', async () => {
    await store.startRun('run-1', 'sf-hs');
    await store.finishRun('run-1', 'succeeded', {
      counts: { created: 3 },
      apiCalls: { sf: 4 },
      errors: {},
      durationMs: 120,
    });
    await new Promise((r) => setTimeout(r, 5));
    await store.startRun('run-2', 'sf-hs');
    const [latest, previous] = await store.listRuns(10);
    expect(latest).toMatchObject({ id: 'run-2', status: 'running' });
    expect(previous).toMatchObject({ id: 'run-1', status: 'succeeded', summary: { counts: { created: 3 } } });
  });

  it("keeps a round's work in progress by key, replaces a part saved again, and drops it with stale rounds", async () => {
    const batches = Array.from({ length: 250 }, (_, i) => ({
      key: `person/batch/${String(i).padStart(4, '0')}`,
      body: { writes: [{ id: `00Q${i}`, fields: { email: `p${i}@example.com` } }] },
    }));
    await store.saveRoundState('run-a', [...batches, { key: 'person/pending', body: { cursors: [] } }]);
    await store.saveRoundState('run-b', [{ key: 'person/batch/0000', body: { other: true } }]);
    await store.saveRoundState('run-a', [{ key: 'person/batch/0001', body: { replaced: true } }]);
    const saved = await store.roundState('run-a', 'person/batch/');
    expect(saved).toHaveLength(250);
    expect(saved[0]).toEqual(batches[0]);
    expect(saved[1]).toEqual({ key: 'person/batch/0001', body: { replaced: true } });
    expect(await store.roundState('run-a', 'person/pending')).toEqual([
      { key: 'person/pending', body: { cursors: [] } },
    ]);
    expect(await store.roundState('run-a', 'account/')).toEqual([]);
    await store.dropRoundState('run-a');
    expect(await store.roundState('run-a', '')).toEqual([]);
    expect(await store.roundState('run-b', '')).toHaveLength(1);
    // A round abandoned long ago goes with the next round that finishes.
    await store.dropRoundState('run-c', new Date(Date.now() + 1000));
    expect(await store.roundState('run-b', '')).toEqual([]);
  });

  it("reads a round's parts by exact key prefix: keys beside the prefix in the key order are left out", async () => {
    const keys = [
      'o/person/00001', // the prefix without its last character
      'o/person/00001/00000',
      'o/person/00001/00001',
      'o/person/000010', // one past the prefix's last character
      'o/person/00001.', // one before it
      'o/person/00002/00000',
      'o/persons/00001/00000',
      'o/person/é/1',
      'o/person/é/2',
      'o/person/ê/1',
    ];
    await store.saveRoundState(
      'run-p',
      [...keys].reverse().map((key) => ({ key, body: key })),
    );
    const read = async (prefix: string) => (await store.roundState('run-p', prefix)).map((e) => e.key);
    expect(await read('o/person/00001/')).toEqual(['o/person/00001/00000', 'o/person/00001/00001']);
    expect(await read('o/person/00001')).toEqual([
      'o/person/00001',
      'o/person/00001.',
      'o/person/00001/00000',
      'o/person/00001/00001',
      'o/person/000010',
    ]);
    // A prefix ending past ASCII is read too.
    expect(await read('o/person/é')).toEqual(['o/person/é/1', 'o/person/é/2']);
    expect(await read('o/')).toHaveLength(keys.length);
    await store.dropRoundState('run-p');
  });

  it("finds and drops a round's parts by exact key, leaving other rounds' and other keys alone", async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `q/person/${String(i).padStart(9, '0')}`);
    await store.saveRoundState(
      'run-k',
      keys.map((key) => ({ key, body: { key } })),
    );
    await store.saveRoundState('run-l', [{ key: keys[5] as string, body: 'other round' }]);
    const asked = [keys[1199], keys[5], 'q/person/missing', keys[600], keys[5]] as string[];
    expect((await store.roundStateAt('run-k', asked)).map((e) => e.body)).toEqual([
      { key: keys[5] },
      { key: keys[600] },
      { key: keys[1199] },
    ]);
    await store.dropRoundStateAt('run-k', keys.slice(0, 1100));
    expect(await store.roundState('run-k', 'q/')).toHaveLength(100);
    expect(await store.roundStateAt('run-l', [keys[5] as string])).toEqual([
      { key: keys[5], body: 'other round' },
    ]);
    await store.dropRoundState('run-k');
    await store.dropRoundState('run-l');
  });
});

describe('opening a store', () => {
  it('refuses an unknown URL without printing its password', async () => {
    await expect(openStore('mysql://admin:hunter2@db/crm')).rejects.toThrow(
      'DATABASE_URL must start with sqlite: or postgres://; got "mysql://admin:***@db/crm"',
    );
  });

  it('migrates several PostgreSQL schemas of one database at once (each finds its own migration tables)', async () => {
    const dbs = Array.from({ length: 6 }, () => postgresDatabase());
    const stores = await Promise.all(dbs.map((d) => openStore(d.url)));
    await Promise.all(
      stores.map((s) => s.saveCursor('sf', 'Lead', { modifiedAt: '2026-01-01T00:00:00.000Z', id: 'a' })),
    );
    for (const s of stores) await s.close();
    for (const d of dbs) await d.drop();
  });

  it('migrates an existing database idempotently', async () => {
    const db = ENGINES[0][1]();
    const first = await openStore(db.url);
    await first.saveCursor('sf', 'Lead', { modifiedAt: '2026-01-01T00:00:00.000Z', id: 'a' });
    await first.close();
    const second = await openStore(db.url);
    expect(await second.getCursor('sf', 'Lead')).toEqual({ modifiedAt: '2026-01-01T00:00:00.000Z', id: 'a' });
    await second.close();
    await db.drop();
  });
});
