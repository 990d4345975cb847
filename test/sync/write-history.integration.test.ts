import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** Who changed this record? crm-bridge keeps what it wrote to each record and when, write by write. */
describe.each(ENGINES)('the write history, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
  });
  afterEach(async () => {
    await h.close();
  });

  it('keeps each create and update that landed, with its field changes, newest first; a dry run keeps none', async () => {
    const [lead] = h.sf.seed('Lead', [
      {
        LastName: 'Hopper',
        FirstName: 'Grace',
        Email: 'grace@history.example',
        Company: 'Navy',
        Title: 'Engineer',
      },
    ]) as [string];
    const first = await runSync(await h.context());
    const [link] = (
      await h.store.findLinks([{ connection: 'sf', object: 'Lead', externalId: lead }])
    ).values();
    if (link === undefined) throw new Error('the Lead was not linked');
    const created = await h.store.writesOf([link.unifiedId]);
    const contact = h.hs.store.all('contacts').find((c) => c.properties.email === 'grace@history.example');
    expect(created).toContainEqual(
      expect.objectContaining({
        connection: 'hs',
        object: 'contacts',
        externalId: String(contact?.id),
        kind: 'created',
        runId: first.runId,
      }),
    );
    const create = created.find((w) => w.kind === 'created');
    expect(create?.changes.email).toMatchObject({ to: 'grace@history.example' });

    h.sf.touch('Lead', [lead], { fields: { Title: 'Rear Admiral' } });
    await runSync(await h.context(), { dryRun: true });
    expect(await h.store.writesOf([link.unifiedId])).toHaveLength(created.length);
    const second = await runSync(await h.context());
    const [latest] = await h.store.writesOf([link.unifiedId]);
    expect(latest).toMatchObject({ connection: 'hs', kind: 'updated', runId: second.runId });
    expect(latest?.changes.title).toEqual({ from: 'Engineer', to: 'Rear Admiral' });
  });

  it('forgets what is older than sync.keep after a round, and keeps the rest', async () => {
    const old = {
      entity: 'person',
      unifiedId: 'u-old',
      connection: 'hs',
      object: 'contacts',
      externalId: '1',
      runId: 'run-old',
      kind: 'updated',
      changes: {},
    } as const;
    await h.store.recordWrites([
      { ...old, at: '2025-01-01T00:00:00.000Z' },
      { ...old, at: new Date(Date.now() - 86_400_000).toISOString() },
    ]);
    const ctx = await h.context();
    await runSync({ ...ctx, config: { ...ctx.config, sync: { ...ctx.config.sync, keep: '30d' } } });
    expect((await h.store.writesOf(['u-old'])).length).toBe(1);
  });
});
