import { copyData } from '../model/copy.ts';
import type { EntityName } from '../model/index.ts';
import {
  type ExternalKey,
  type IdentityLink,
  keyOf,
  type NewQuarantineEntry,
  type Store,
} from '../store/index.ts';

/**
 * A state store for a dry run: reads come from the real store with what the round has "saved" laid over them, and
 * nothing reaches the real store. So a dry run runs the real round's steps, each seeing what the steps before it
 * would have saved (the links to the accounts it would create, the snapshots it would record), and plans what the
 * real round would plan.
 */
export function dryRunStore(base: Store): Store {
  const links = new Map<string, IdentityLink>();
  const unlinked = new Set<string>();
  /** Match key values per entity, key and unified id, replacing the real store's for that id and key. */
  const matchKeys = new Map<string, Map<string, readonly string[]>>();
  const written = new Map<string, string | null>();
  const snapshots = new Map<string, Record<string, unknown>>();
  const keysOf = (entity: EntityName, key: string) => {
    const at = `${entity}\u0000${key}`;
    let found = matchKeys.get(at);
    if (found === undefined) {
      found = new Map();
      matchKeys.set(at, found);
    }
    return found;
  };
  const setKeys = (
    entity: EntityName,
    unifiedId: string,
    keys: Readonly<Record<string, readonly string[]>>,
  ) => {
    for (const [key, values] of Object.entries(keys)) keysOf(entity, key).set(unifiedId, values);
  };
  const store: Store = {
    engine: base.engine,
    getCursor: (connection, object) => base.getCursor(connection, object),
    saveCursor: async () => {},
    getDeleteCheck: (connection, object) => base.getDeleteCheck(connection, object),
    saveDeleteCheck: async () => {},
    async findLinks(keys: readonly ExternalKey[]) {
      const out = await base.findLinks(keys.filter((k) => !links.has(keyOf(k))));
      for (const key of unlinked) out.delete(key);
      for (const k of keys) {
        const link = links.get(keyOf(k));
        if (link !== undefined) out.set(keyOf(k), link);
      }
      return out;
    },
    async linksOf(unifiedIds: readonly string[]) {
      const ids = new Set(unifiedIds);
      const own = [...links.values()].filter((l) => ids.has(l.unifiedId));
      const theirs = (await base.linksOf(unifiedIds)).filter(
        (l) => !unlinked.has(keyOf(l)) && !links.has(keyOf(l)),
      );
      return [...theirs, ...own];
    },
    async link(add: readonly IdentityLink[]) {
      for (const l of add) {
        links.set(keyOf(l), l);
        unlinked.delete(keyOf(l));
      }
    },
    async unlink(keys: readonly ExternalKey[]) {
      for (const k of keys) {
        links.delete(keyOf(k));
        unlinked.add(keyOf(k));
      }
    },
    async hasLinks(connection, object) {
      if ([...links.values()].some((l) => l.connection === connection && l.object === object)) return true;
      return base.hasLinks(connection, object);
    },
    async findByMatchKey(entity, key, values) {
      const out = await base.findByMatchKey(entity, key, values);
      const own = keysOf(entity, key);
      // A unified record whose values this run replaced answers with those only.
      for (const [value, ids] of out) {
        const kept = ids.filter((id) => !own.has(id));
        if (kept.length > 0) out.set(value, kept);
        else out.delete(value);
      }
      const wanted = new Set(values);
      for (const [id, ownValues] of own)
        for (const value of ownValues)
          if (wanted.has(value)) out.set(value, [...new Set([...(out.get(value) ?? []), id])]);
      return out;
    },
    async setMatchKeysMany(entity, entries) {
      for (const e of entries) setKeys(entity, e.unifiedId, e.keys);
    },
    async setMatchKeys(entity, unifiedId, keys) {
      setKeys(entity, unifiedId, keys);
    },
    async writtenHashes(keys: readonly ExternalKey[]) {
      const out = await base.writtenHashes(keys.filter((k) => !written.has(keyOf(k))));
      for (const k of keys) {
        const hash = written.get(keyOf(k));
        if (typeof hash === 'string') out.set(keyOf(k), hash);
      }
      return out;
    },
    async saveWritten(entries) {
      for (const e of entries) written.set(keyOf(e), e.hash);
    },
    async forgetWritten(keys) {
      for (const k of keys) written.set(keyOf(k), null);
    },
    provenance: (unifiedId) => base.provenance(unifiedId),
    saveProvenance: async () => {},
    async snapshots(unifiedIds: readonly string[]) {
      const out = await base.snapshots(unifiedIds.filter((id) => !snapshots.has(id)));
      for (const id of unifiedIds) {
        const own = snapshots.get(id);
        if (own !== undefined) out.set(id, copyData(own));
      }
      return out;
    },
    async saveSnapshots(entries) {
      for (const e of entries) snapshots.set(e.unifiedId, copyData(e.data) as Record<string, unknown>);
    },
    quarantine: async (_entries: readonly NewQuarantineEntry[]) => {},
    heldAmong: (keys) => base.heldAmong(keys),
    listQuarantine: (options) => base.listQuarantine(options),
    resolveQuarantine: async () => {},
    countQuarantine: () => base.countQuarantine(),
    saveRoundState: async () => {},
    roundState: async () => [],
    roundStateAt: async () => [],
    dropRoundStateAt: async () => {},
    dropRoundState: async () => {},
    startRun: async () => {},
    finishRun: async () => {},
    recordWrites: async () => {},
    writesOf: (ids, limit) => base.writesOf(ids, limit),
    recordApproval: async () => {},
    approvalsOf: (ids) => base.approvalsOf(ids),
    pendingApprovals: () => base.pendingApprovals(),
    proposals: (limit) => base.proposals(limit),
    listRuns: (limit) => base.listRuns(limit),
    prune: async () => ({ writes: 0, settled: 0, runs: 0 }),
    // The real store belongs to whoever opened it.
    close: async () => {},
  };
  return store;
}
