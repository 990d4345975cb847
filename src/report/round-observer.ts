import type { Connector, ExternalRecord, Page } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import {
  type ExternalKey,
  keyOf,
  type NewQuarantineEntry,
  type ReadMark,
  type RoundReportStore,
  type Store,
  stageText,
} from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';

/**
 * What a round did, as seen from outside the engine: every call it made to the connectors and every quarantine
 * entry it raised, counted as they happen. The engine's own report gives totals per entity; this gives them per
 * CRM object. What it holds grows with the objects and the entries raised, not with the people: each record read
 * (with the stage a person record held) and each record written or converted is marked in the state store instead
 * (`ReportMarks`).
 */
export interface RoundObservation {
  /** Per `connection/object`: records and pages pulled. */
  readonly pulled: Map<string, { records: number; pages: number }>;
  /** Per connection: conversion calls made and people converted, by the object converted. */
  readonly converted: Map<string, { calls: number; byObject: Map<string, number> }>;
  /** Quarantine entries raised, one per record, field and kind. */
  readonly quarantined: Map<string, NewQuarantineEntry>;
}

/** Where a round's records read and acted on are marked: its rows in the state store. */
export interface ReportMarks {
  read(records: readonly ReadMark[]): Promise<void>;
  touched(keys: readonly ExternalKey[]): Promise<void>;
}

/** The marks of round `runId` in the store's report rows. */
export function marksIn(report: RoundReportStore, runId: string): ReportMarks {
  return {
    read: (records) => report.markRead(runId, records),
    touched: (keys) => report.markTouched(runId, keys),
  };
}

/** An observation of nothing yet. */
export function emptyObservation(): RoundObservation {
  return { pulled: new Map(), converted: new Map(), quarantined: new Map() };
}

/**
 * A context whose connectors and store report to an observation and otherwise behave as the originals (same
 * objects underneath: call counts, budgets and connections are shared). `stageField` is the unified field the
 * lifecycle funnel counts (`lifecycleStage`), read from every person record pulled with the round's own mapping.
 */
export function observeRound(
  ctx: SyncContext,
  stageField: string,
  marks: ReportMarks,
): { ctx: SyncContext; observation: RoundObservation } {
  const observation = emptyObservation();
  const connectors = Object.fromEntries(
    Object.entries(ctx.connectors).map(([connection, connector]) => [
      connection,
      observeConnector(ctx, connection, connector, stageField, observation, marks),
    ]),
  );
  return { ctx: { ...ctx, connectors, store: observeStore(ctx.store, observation, marks) }, observation };
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
  marks: ReportMarks,
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
        if (entity !== undefined)
          await marks.read(
            page.records.map((record) => ({
              connection,
              object,
              externalId: record.id,
              entity,
              ...(inbound === undefined
                ? {}
                : { stage: stageText((inbound(record).value as Record<string, unknown>)[stageField]) }),
            })),
          );
        yield page;
      }
    })();
  };
  const push: Connector['push'] = async (object, writes) => {
    const results = await connector.push(object, writes);
    await marks.touched(results.flatMap((r) => (r.ok ? [{ connection, object, externalId: r.id }] : [])));
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
    await marks.touched(
      results.flatMap((r) =>
        r.ok && !r.alreadyConverted ? [{ connection, object, externalId: refs.get(r.ref) ?? '' }] : [],
      ),
    );
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

function observeStore(store: Store, seen: RoundObservation, marks: ReportMarks): Store {
  const quarantine: Store['quarantine'] = async (entries, settled) => {
    await store.quarantine(entries, settled);
    for (const e of entries) seen.quarantined.set(`${keyOf(e)}\u0000${e.field}\u0000${e.kind ?? 'held'}`, e);
    await marks.touched(entries);
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'quarantine') return quarantine;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
