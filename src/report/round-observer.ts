import type { Connector, ExternalRecord, Page } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import { keyOf, type NewQuarantineEntry, type Store } from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';

/**
 * What a round did, as seen from outside the engine: every call it made to the connectors and every quarantine
 * entry it raised, counted as they happen. The engine's own report gives totals per entity; this gives them per
 * CRM object, and the lifecycle stage each CRM held for every person the round read.
 */
export interface RoundObservation {
  /** Per `connection/object`: records and pages pulled. */
  readonly pulled: Map<string, { records: number; pages: number }>;
  /** Every record pulled, with its entity (`connection/object/externalId` → entity). */
  readonly read: Map<string, EntityName>;
  /** The person field's value each record held when the round read it, keyed `connection/object/externalId`. */
  readonly stagesRead: Map<string, unknown>;
  /** Per `connection/object`: push calls made, records created and records updated (ids). */
  readonly pushed: Map<string, { calls: number; created: Set<string>; updated: Set<string> }>;
  /** Per connection: conversion calls made and people converted, by the object converted. */
  readonly converted: Map<string, { calls: number; byObject: Map<string, number> }>;
  /** The people converted, keyed `connection/object/externalId`. */
  readonly convertedKeys: Set<string>;
  /** Quarantine entries raised, one per record, field and kind. */
  readonly quarantined: Map<string, NewQuarantineEntry>;
}

/** An observation of nothing yet. */
export function emptyObservation(): RoundObservation {
  return {
    pulled: new Map(),
    read: new Map(),
    stagesRead: new Map(),
    pushed: new Map(),
    converted: new Map(),
    convertedKeys: new Set(),
    quarantined: new Map(),
  };
}

/**
 * A context whose connectors and store report to an observation and otherwise behave as the originals (same
 * objects underneath: call counts, budgets and connections are shared). `stageField` is the unified field the
 * lifecycle funnel counts (`lifecycleStage`), read from every person record pulled with the round's own mapping.
 */
export function observeRound(
  ctx: SyncContext,
  stageField: string,
): { ctx: SyncContext; observation: RoundObservation } {
  const observation = emptyObservation();
  const connectors = Object.fromEntries(
    Object.entries(ctx.connectors).map(([connection, connector]) => [
      connection,
      observeConnector(ctx, connection, connector, stageField, observation),
    ]),
  );
  return { ctx: { ...ctx, connectors, store: observeStore(ctx.store, observation) }, observation };
}

function entityOf(ctx: SyncContext, connection: string, object: string): EntityName | undefined {
  for (const [entity, mapping] of Object.entries(ctx.config.objects)) {
    const objects = (mapping as Record<string, unknown> | undefined)?.[connection];
    if (objects === object || (Array.isArray(objects) && objects.includes(object)))
      return entity as EntityName;
  }
  return undefined;
}

function observeConnector(
  ctx: SyncContext,
  connection: string,
  connector: Connector,
  stageField: string,
  seen: RoundObservation,
): Connector {
  const pull = (object: string, options: Parameters<Connector['pull']>[1]) => {
    const entity = entityOf(ctx, connection, object);
    const inbound = entity === 'person' ? ctx.mapping.inbound('person', connection, object) : undefined;
    const pages = connector.pull(object, options);
    return (async function* (): AsyncGenerator<Page<ExternalRecord>> {
      for await (const page of pages) {
        const at = `${connection}/${object}`;
        const counted = seen.pulled.get(at) ?? { records: 0, pages: 0 };
        counted.records += page.records.length;
        counted.pages += 1;
        seen.pulled.set(at, counted);
        for (const record of page.records) {
          // One key string per record, shared by both maps.
          const key = keyOf({ connection, object, externalId: record.id });
          if (entity !== undefined) seen.read.set(key, entity);
          if (inbound === undefined) continue;
          const value = (inbound(record).value as Record<string, unknown>)[stageField];
          seen.stagesRead.set(key, value === undefined || value === '' ? null : value);
        }
        yield page;
      }
    })();
  };
  const push: Connector['push'] = async (object, writes) => {
    const results = await connector.push(object, writes);
    const at = `${connection}/${object}`;
    const counted = seen.pushed.get(at) ?? { calls: 0, created: new Set(), updated: new Set() };
    counted.calls += 1;
    for (const r of results) if (r.ok) (r.created ? counted.created : counted.updated).add(r.id);
    seen.pushed.set(at, counted);
    return results;
  };
  const convertWith = connector.convert?.bind(connector);
  const convert: Connector['convert'] = async (conversions) => {
    if (convertWith === undefined) throw new Error(`the connector of ${connection} cannot convert`);
    const results = await convertWith(conversions);
    const counted = seen.converted.get(connection) ?? { calls: 0, byObject: new Map() };
    counted.calls += 1;
    const object = personObject(ctx, connection);
    const done = results.filter((r) => r.ok && !r.alreadyConverted).length;
    const refs = new Map(conversions.map((c) => [c.ref, c.personId]));
    for (const r of results)
      if (r.ok && !r.alreadyConverted)
        seen.convertedKeys.add(keyOf({ connection, object, externalId: refs.get(r.ref) ?? '' }));
    counted.byObject.set(object, (counted.byObject.get(object) ?? 0) + done);
    seen.converted.set(connection, counted);
    return results;
  };
  return new Proxy(connector, {
    get(target, property, receiver) {
      if (property === 'pull') return pull;
      if (property === 'push') return push;
      if (property === 'convert') return convertWith === undefined ? undefined : convert;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The object a connection converts people from: its first person object (Salesforce's Lead, HubSpot's contacts). */
export function personObject(ctx: SyncContext, connection: string): string {
  const objects = (ctx.config.objects.person as Record<string, unknown> | undefined)?.[connection];
  return typeof objects === 'string' ? objects : Array.isArray(objects) ? String(objects[0]) : 'person';
}

function observeStore(store: Store, seen: RoundObservation): Store {
  const quarantine: Store['quarantine'] = async (entries, settled) => {
    await store.quarantine(entries, settled);
    for (const e of entries) seen.quarantined.set(`${keyOf(e)}\u0000${e.field}\u0000${e.kind ?? 'held'}`, e);
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'quarantine') return quarantine;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
