import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { resolveLinks } from '../../src/sync/links.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

describe('resolving a record link to its unified id', () => {
  let db: TestDatabase;
  let store: Store;
  let config: BridgeConfig;
  beforeEach(async () => {
    db = sqliteDatabase();
    store = await openStore(db.url);
    config = await exampleConfig();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('finds a deal’s contact and its account apart when a CRM numbers contacts and companies alike', async () => {
    // A CRM may number each object on its own (Pipedrive from 1): contact 7 and company 7 are different records.
    await store.link([
      { entity: 'person', unifiedId: 'person-ada', connection: 'hs', object: 'contacts', externalId: '7' },
      {
        entity: 'account',
        unifiedId: 'account-acme',
        connection: 'hs',
        object: 'companies',
        externalId: '7',
      },
    ]);
    const deal = { account: { refs: { hs: '7' } }, contacts: [{ refs: { hs: '7' } }] };
    await resolveLinks(config, store, 'opportunity', [deal]);
    expect(deal).toEqual({
      account: { id: 'account-acme', refs: { hs: '7' } },
      contacts: [{ id: 'person-ada', refs: { hs: '7' } }],
    });
  });
});
