import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import type { TestDatabase } from './databases.ts';

/**
 * A state store on a fresh database from `create` for the suite it is called in: opened before the suite's tests,
 * closed and dropped after them (the database goes even when the store never opened). The tests read it through
 * the returned function.
 */
export function suiteStore(create: () => TestDatabase): () => Store {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    db = create();
    store = await openStore(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });
  return () => {
    if (store === undefined) throw new Error('the suite’s store is opened before its tests run');
    return store;
  };
}
